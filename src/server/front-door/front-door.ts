import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { type SecureContext, TLSSocket } from 'node:tls';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { AddressBook, ConnectionGuard } from '../limits/address-book.js';
import type { ServerLimits } from '../limits/limits.js';
import { firstByteKind } from '../web/http-detect.js';
import { refuseConnection } from '../web/http-refusal.js';
import type { WebServer } from '../web/web-server.js';
import { refusePlainConnection } from './plain-refusal.js';
import { parseProxyHeader, plainAddress } from './proxy-protocol.js';

const KEEPALIVE_IDLE_MS = 30_000;

/** Connections refused at once, by reason. */
export interface RefusedCounts {
  'server-full': number;
  'address-full': number;
  'connection-rate': number;
  'plain-refused': number;
  'tls-busy': number;
  'tls-address-busy': number;
  'tls-rate': number;
  'tls-timeout': number;
  'tls-idle': number;
  'proxy-invalid': number;
  'proxy-timeout': number;
}

export interface FrontDoorOptions {
  readonly log: Logger;
  readonly clock: Clock;
  readonly limits: ServerLimits;
  readonly addresses: AddressBook;
  /** TLS on the same port; undefined: a first byte of 0x16 is just a bad version-1 byte. */
  readonly secureContext: SecureContext | undefined;
  /** `refuse`: plain version-1 connections are answered PLAIN_REFUSED and closed. */
  readonly plain: 'allow' | 'refuse';
  /** Load balancers whose connections start with a PROXY header. */
  readonly trustedProxies: readonly string[];
  /** The web server, once it exists (HTTP and WebSockets on the same port); undefined: none. */
  readonly web: () => WebServer | undefined;
  /** True once the server stops: new connections are closed at once. */
  readonly stopping: () => boolean;
  /**
   * A version-1 session over a stream (the socket itself, or TLS over it):
   * the caller makes the session, and the front door resumes the stream.
   */
  readonly startSession: (stream: Duplex, socket: Socket, address: string, guard: ConnectionGuard) => void;
}

/**
 * The front door of the one port: accepts a connection, reads the PROXY
 * header of a trusted load balancer, admits the address under its limits,
 * then sniffs the first byte: 0x16 starts TLS (and the first decrypted byte
 * is sniffed again), an HTTP method's first letter goes to the web server,
 * anything else is a plain version-1 session. Every wait is bounded on the
 * Clock; what it refuses is counted in `refused`.
 */
export class FrontDoor {
  readonly refused: RefusedCounts = {
    'server-full': 0,
    'address-full': 0,
    'connection-rate': 0,
    'plain-refused': 0,
    'tls-busy': 0,
    'tls-address-busy': 0,
    'tls-rate': 0,
    'tls-timeout': 0,
    'tls-idle': 0,
    'proxy-invalid': 0,
    'proxy-timeout': 0,
  };
  /** TLS handshakes completed. */
  tlsHandshakes = 0;
  #handshaking = 0;
  readonly #trustedProxies: ReadonlySet<string>;

  constructor(private readonly options: FrontDoorOptions) {
    this.#trustedProxies = new Set(options.trustedProxies.map(plainAddress));
  }

  accept(socket: Socket): void {
    if (this.options.stopping()) {
      socket.destroy();
      return;
    }
    const peer = socket.remoteAddress;
    // Gone before we saw it (a load balancer's health check connects and resets at once).
    if (peer === undefined) {
      socket.destroy();
      return;
    }
    if (this.#trustedProxies.has(plainAddress(peer))) this.#readProxyHeader(socket, peer);
    else this.#admit(socket, peer);
  }

  /**
   * A connection from a trusted load balancer: its PROXY header names the
   * client, which is then admitted as if it had connected itself. Bounded by
   * the login timeout; a connection without a valid header is closed.
   */
  #readProxyHeader(socket: Socket, proxy: string): void {
    const { log, clock, limits } = this.options;
    let received = Buffer.alloc(0);
    let decided = false;
    const onError = (error: Error) => log.debug({ proxy, err: error.message }, 'connection error');
    const waiting =
      limits.loginTimeoutMs > 0
        ? clock.after(limits.loginTimeoutMs, () => {
            if (decided) return;
            this.refused['proxy-timeout']++;
            socket.destroy();
          })
        : () => {};
    const onClose = () => waiting();
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const header = parseProxyHeader(received);
      if (header.kind === 'incomplete') return;
      decided = true;
      waiting();
      socket.off('data', onData);
      socket.off('close', onClose);
      socket.off('error', onError);
      if (header.kind === 'invalid') {
        this.refused['proxy-invalid']++;
        log.debug({ proxy, reason: header.reason }, 'connection from a trusted proxy without a valid PROXY header');
        socket.destroy();
        return;
      }
      socket.pause();
      const rest = received.subarray(header.length);
      if (rest.length > 0) socket.unshift(rest);
      const address = header.kind === 'proxied' ? header.source.address : proxy;
      log.debug({ address, proxy, version: header.version }, 'proxied connection');
      this.#admit(socket, address);
      if (!socket.destroyed) socket.resume();
    };
    socket.on('error', onError);
    socket.once('close', onClose);
    socket.on('data', onData);
  }

  /** Admits a connection from `address` (the socket's, or the one a PROXY header gave) under the per-address limits. */
  #admit(socket: Socket, address: string): void {
    const { clock, log } = this.options;
    const admission = this.options.addresses.admit(address, clock.now());
    if (!admission.ok) {
      this.refused[admission.reason]++;
      log.debug({ address, reason: admission.reason }, 'connection refused');
      refuseConnection(socket, admission.reason, clock, this.options.web() !== undefined);
      return;
    }
    // Keepalive probes find connections whose network vanished without a FIN.
    socket.setKeepAlive(true, KEEPALIVE_IDLE_MS);
    socket.on('error', (error) => log.debug({ address, err: error.message }, 'connection error'));
    this.#sniff(socket, address, admission.guard);
  }

  /** Reads the first byte: 0x16 starts TLS, an HTTP method's first letter HTTP, anything else a plain version-1 session. */
  #sniff(socket: Socket, address: string, guard: ConnectionGuard): void {
    const { secureContext, plain } = this.options;
    this.#whenFirstByte(socket, guard, (first) => {
      const kind = firstByteKind(first);
      const web = this.options.web();
      if (kind === 'tls' && secureContext) {
        this.#startTls(socket, address, guard, secureContext);
      } else if (kind === 'http' && web) {
        // Under --plain refuse the web server only redirects to HTTPS.
        if (plain === 'refuse') this.refused['plain-refused']++;
        web.accept(socket, address, false, guard);
      } else if (plain === 'refuse') {
        this.refused['plain-refused']++;
        this.options.log.debug({ address }, 'plain connection refused (--plain refuse)');
        socket.once('close', () => guard.release());
        refusePlainConnection(socket, this.options.clock, this.options.limits.incompleteMessageMs);
      } else {
        this.options.startSession(socket, socket, address, guard);
      }
    });
  }

  /** Inside TLS, the first plaintext byte tells HTTPS from version 1 over TLS. */
  #sniffDecrypted(secure: TLSSocket, socket: Socket, address: string, guard: ConnectionGuard): void {
    this.#whenFirstByte(secure, guard, (first) => {
      const web = this.options.web();
      if (firstByteKind(first) === 'http' && web) {
        socket.once('close', () => secure.destroy());
        web.accept(secure, address, true, guard);
      } else {
        this.options.startSession(secure, socket, address, guard);
      }
    });
  }

  /**
   * Waits for the stream's first bytes, puts them back and calls `decide`
   * with the first one, the stream paused. A connection that never sends a
   * byte is not logged in either: the login timeout covers it (0 = never);
   * one that closes first releases its guard.
   */
  #whenFirstByte(stream: Duplex, guard: ConnectionGuard, decide: (first: number) => void): void {
    const { clock, limits } = this.options;
    let decided = false;
    const waiting =
      limits.loginTimeoutMs > 0
        ? clock.after(limits.loginTimeoutMs, () => {
            if (!decided) stream.destroy();
          })
        : () => {};
    const onClose = () => {
      waiting();
      guard.release();
    };
    stream.once('close', onClose);
    stream.once('data', (chunk: Buffer) => {
      decided = true;
      waiting();
      stream.off('close', onClose);
      stream.pause();
      stream.unshift(chunk);
      decide(chunk[0] as number);
    });
  }

  /**
   * A TLS handshake, bounded in number (all addresses, and per address),
   * per-address rate and time: in all, and without a byte either way. The
   * session starts once it is done.
   */
  #startTls(socket: Socket, address: string, guard: ConnectionGuard, secureContext: SecureContext): void {
    const { clock, limits } = this.options;
    const refusal = this.#handshaking >= limits.maxTlsHandshakes ? 'tls-busy' : guard.admitHandshake(clock.now());
    if (refusal) {
      this.refused[refusal]++;
      guard.release();
      socket.destroy();
      return;
    }
    this.#handshaking++;
    const secure = new TLSSocket(socket, { isServer: true, secureContext });
    let handshaking = true;
    let started = false;
    const done = () => {
      if (!handshaking) return;
      handshaking = false;
      this.#handshaking--;
      guard.handshakeEnded();
      cancelTimeout();
      stopWatching();
    };
    const drop = (reason: 'tls-timeout' | 'tls-idle') => {
      if (!handshaking) return;
      this.refused[reason]++;
      done();
      secure.destroy();
    };
    const cancelTimeout = clock.after(limits.tlsHandshakeTimeoutMs, () => drop('tls-timeout'));
    const stopWatching = this.#watchProgress(socket, () => drop('tls-idle'));
    secure.once('secure', () => {
      done();
      this.tlsHandshakes++;
      started = true;
      this.#sniffDecrypted(secure, socket, address, guard);
    });
    secure.on('error', (error) => this.options.log.debug({ address, err: error.message }, 'TLS error'));
    secure.once('close', () => {
      done();
      if (!started) guard.release();
      socket.destroy();
    });
  }

  /**
   * Calls `stalled` once no byte has crossed the socket either way for
   * --tls-idle-timeout (checked four times as often); returns a function
   * that stops watching. The TLS layer reads the socket itself, so progress
   * is its byte counts.
   */
  #watchProgress(socket: Socket, stalled: () => void): () => void {
    const idleMs = this.options.limits.tlsIdleTimeoutMs;
    if (idleMs <= 0) return () => {};
    const clock = this.options.clock;
    let bytes = socket.bytesRead + socket.bytesWritten;
    let movedAt = clock.now();
    return clock.every(Math.max(10, idleMs / 4), () => {
      const now = clock.now();
      const current = socket.bytesRead + socket.bytesWritten;
      if (current !== bytes) {
        bytes = current;
        movedAt = now;
      } else if (now - movedAt >= idleMs) {
        stalled();
      }
    });
  }
}
