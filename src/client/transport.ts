import { connect as connectTcp, isIP, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { connect as connectTls, type TLSSocket } from 'node:tls';
import { type KnownServers, serverKey } from './known-servers.js';

/** `auto`: TLS when the server offers it, plain (with a warning) from a server never seen with TLS. */
export type TransportMode = 'auto' | 'tls' | 'plain';

export interface TransportOptions {
  /** The server as the player named it: the TLS name and the known-servers key. */
  readonly host: string;
  /** The address to dial, one of those `host` resolves to (default: `host` itself). */
  readonly address?: string;
  readonly port: number;
  readonly mode: TransportMode;
  /** PEM CA certificate(s) to verify the server with, instead of the system's and trust on first use. */
  readonly ca?: string | undefined;
  readonly knownServers: KnownServers;
  /** Asked when a server shows a certificate no CA vouches for and it was never seen: true trusts it from now on. */
  readonly confirmNew: (fingerprint: string, key: string) => Promise<boolean>;
  readonly warn: (text: string) => void;
  readonly timeoutMs?: number;
}

export interface Transport {
  readonly stream: Duplex;
  readonly tls: boolean;
  /** How the server was trusted, for the player to read. */
  readonly description: string;
}

/** A refusal to connect that protects the player: the message says what happened and what to do. */
export class TrustError extends Error {}

function connectFailure(error: NodeJS.ErrnoException, host: string, port: number): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return `nothing is listening on ${host} port ${port}; is the server running? (check --host and --port)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot find the host ${host}; check --host`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${host} cannot be reached from this machine; check --host and your network`;
    default:
      return `cannot connect to ${host} port ${port}: ${error.message}`;
  }
}

/** A plain TCP connection; rejects with a readable message. */
export function openPlain(host: string, port: number, timeoutMs: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const socket = connectTcp({ host, port, noDelay: true });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer from ${host} port ${port} within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new Error(connectFailure(error, host, port)));
    });
  });
}

type TlsAttempt =
  | { readonly kind: 'secure'; readonly socket: TLSSocket }
  /** TCP connected, but the server closed instead of answering the handshake: it does not speak TLS. */
  | { readonly kind: 'no-tls' };

/** TLS records start with a content type: 0x16 handshake, 0x15 alert. Anything else is not a TLS server talking. */
const TLS_RECORD_TYPES = new Set([0x15, 0x16]);

/**
 * The raw connection seen by TLS through a tap that checks the server's first
 * byte: a version-1 server answers a ClientHello with its own messages (or
 * closes), and the tap reports that at once instead of letting the handshake
 * wait for a TLS record that never comes.
 */
class FirstByteTap extends Duplex {
  constructor(
    private readonly raw: Socket,
    onNotTls: () => void,
  ) {
    super();
    let checked = false;
    raw.on('data', (chunk: Buffer) => {
      if (!checked) {
        checked = true;
        if (!TLS_RECORD_TYPES.has(chunk[0] ?? -1)) {
          onNotTls();
          return;
        }
      }
      this.push(chunk);
    });
    raw.on('end', () => this.push(null));
    raw.on('error', (error) => this.destroy(error));
    raw.on('close', () => this.destroy());
  }

  override _read(): void {}

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.raw.write(chunk, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.raw.end();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.raw.destroy();
    callback(error);
  }
}

async function tryTls(
  host: string,
  address: string,
  port: number,
  ca: string | undefined,
  timeoutMs: number,
): Promise<TlsAttempt> {
  const raw = (await openPlain(address, port, timeoutMs)) as Socket;
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (outcome: TlsAttempt | Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const notTls = () => {
      socket.destroy();
      settle({ kind: 'no-tls' });
    };
    const socket = connectTls({
      socket: new FirstByteTap(raw, notTls),
      // Verified by hand below: a self-signed certificate gets trust on first use instead of a refusal.
      rejectUnauthorized: false,
      ...(isIP(host) === 0 ? { servername: host } : {}),
      ...(ca ? { ca } : {}),
    });
    const timer = setTimeout(() => {
      socket.destroy();
      settle(new Error(`no TLS answer from ${host} port ${port} within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    socket.once('secureConnect', () => {
      socket.removeAllListeners('error');
      settle({ kind: 'secure', socket });
    });
    // The server closed or broke the handshake: it does not speak TLS.
    socket.once('error', notTls);
    socket.once('close', notTls);
  });
}

/**
 * Opens the connection the way the player asked: TLS verified by a CA (the
 * system's or --ca), or by the fingerprint pinned the first time; plain only
 * when asked, or from a server that does not speak TLS and was never seen
 * speaking it (with a warning: the password then crosses the network in clear).
 */
export async function openTransport(options: TransportOptions): Promise<Transport> {
  const { host, port, mode, knownServers, warn } = options;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const key = serverKey(host, port);
  const address = options.address ?? host;
  if (mode === 'plain') {
    warn('Plain connection (--plain): your password crosses the network unencrypted.');
    return { stream: await openPlain(address, port, timeoutMs), tls: false, description: 'plain, as asked' };
  }
  const known = knownServers.get(key);
  const attempt = await tryTls(host, address, port, options.ca, timeoutMs);
  if (attempt.kind === 'no-tls') {
    if (mode === 'tls') {
      throw new TrustError(
        `${host} port ${port} does not speak TLS (a version-1 server?); without --tls the client falls back to plain, with a warning`,
      );
    }
    if (known) {
      throw new TrustError(
        `${host} port ${port} spoke TLS before (first seen ${known.firstSeen}) but now offers only plain: someone may be trying to read your password. Not connecting. If the server really dropped TLS, run: checkers-client --forget-server ${key}`,
      );
    }
    warn(`${host} port ${port} does not speak TLS: your password will cross the network unencrypted.`);
    return {
      stream: await openPlain(address, port, timeoutMs),
      tls: false,
      description: 'plain: the server has no TLS',
    };
  }
  const socket = attempt.socket;
  const fingerprint = socket.getPeerCertificate().fingerprint256;
  const refuse = (error: TrustError): never => {
    socket.destroy();
    throw error;
  };
  if (socket.authorized) {
    if (known?.verifiedBy !== 'ca' || known.fingerprint !== fingerprint) {
      knownServers.remember(key, {
        fingerprint,
        verifiedBy: 'ca',
        firstSeen: known?.firstSeen ?? new Date().toISOString(),
      });
    }
    return { stream: socket, tls: true, description: 'TLS, certificate verified by a trusted authority' };
  }
  if (options.ca) {
    refuse(
      new TrustError(
        `the certificate of ${host} is not signed by the CA in --ca (${String(socket.authorizationError)}); not connecting`,
      ),
    );
  }
  if (known) {
    if (known.fingerprint === fingerprint) {
      return { stream: socket, tls: true, description: 'TLS, certificate matches the one seen before' };
    }
    refuse(
      new TrustError(
        [
          `THE CERTIFICATE OF ${key} HAS CHANGED. Someone may be impersonating the server to read your password.`,
          `  seen before (${known.firstSeen}): ${known.fingerprint}`,
          `  offered now:                    ${fingerprint}`,
          'Not connecting. Check the fingerprint with the server operator (checkers-server tls fingerprint); if the',
          `change is genuine, forget the old one with: checkers-client --forget-server ${key}`,
        ].join('\n'),
      ),
    );
  }
  if (!(await options.confirmNew(fingerprint, key))) {
    refuse(
      new TrustError(
        `not trusting the certificate of ${key} (SHA-256 ${fingerprint}); compare it with the operator's (checkers-server tls fingerprint), then answer yes or pass --trust-new`,
      ),
    );
  }
  knownServers.remember(key, { fingerprint, verifiedBy: 'fingerprint', firstSeen: new Date().toISOString() });
  return { stream: socket, tls: true, description: 'TLS, certificate trusted on first use' };
}
