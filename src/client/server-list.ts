import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { TrustError } from './transport.js';

/** A server as the player named it (`host`), and one address to dial for it. */
export interface ServerAddress {
  readonly host: string;
  readonly port: number;
  /** An address `host` resolves to; the same as `host` for an IP address. */
  readonly address: string;
}

/** `HOST`, `HOST:PORT`, `IPV6` or `[IPV6]:PORT` (a --host value); undefined if malformed. */
export function parseHostOption(value: string, defaultPort: number): { host: string; port: number } | undefined {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(value);
  if (bracketed) return withPort(bracketed[1] ?? '', bracketed[2], defaultPort);
  if (isIP(value) === 6) return { host: value, port: defaultPort };
  const withColon = /^([^:]+):(\d+)$/.exec(value);
  if (withColon) return withPort(withColon[1] ?? '', withColon[2], defaultPort);
  return value === '' || value.includes(':') ? undefined : { host: value, port: defaultPort };
}

function withPort(host: string, port: string | undefined, defaultPort: number) {
  const number = port === undefined ? defaultPort : Number(port);
  return host !== '' && Number.isInteger(number) && number >= 1 && number <= 65535 ? { host, port: number } : undefined;
}

export type Resolver = (host: string) => Promise<string[]>;

/** Every address a name resolves to (IPv4 and IPv6), as the system resolver orders them. */
export const resolveAll: Resolver = async (host) =>
  isIP(host) ? [host] : (await lookup(host, { all: true })).map((entry) => entry.address);

/**
 * Every address the player's servers stand for, in order: each server in
 * turn, each with every address its name resolves to. A name that does not
 * resolve is kept as it is (dialling it then says why it failed).
 */
export async function expandServers(
  servers: readonly { host: string; port: number }[],
  resolve: Resolver = resolveAll,
): Promise<ServerAddress[]> {
  const seen = new Set<string>();
  const addresses: ServerAddress[] = [];
  for (const server of servers) {
    const resolved = await resolve(server.host).catch(() => [server.host]);
    for (const address of resolved.length > 0 ? resolved : [server.host]) {
      const key = `${address}|${server.port}`;
      if (seen.has(key)) continue;
      seen.add(key);
      addresses.push({ host: server.host, port: server.port, address });
    }
  }
  return addresses;
}

/**
 * Tries the addresses one after the other, starting with the one that
 * worked last, until one connects. A refusal to trust a server (a changed
 * certificate, a TLS downgrade) stops at once: another address must not
 * be a way around it. Rejects with every failure, one per line.
 */
export class ServerRotation {
  #current = 0;

  constructor(readonly addresses: readonly ServerAddress[]) {
    if (addresses.length === 0) throw new Error('no server address to connect to');
  }

  async connect<T>(open: (server: ServerAddress) => Promise<T>): Promise<{ value: T; server: ServerAddress }> {
    const failures: string[] = [];
    const count = this.addresses.length;
    for (let tried = 0; tried < count; tried++) {
      const index = (this.#current + tried) % count;
      const server = this.addresses[index] as ServerAddress;
      try {
        const value = await open(server);
        this.#current = index;
        return { value, server };
      } catch (error) {
        if (error instanceof TrustError) throw error;
        failures.push((error as Error).message);
      }
    }
    throw new Error(failures.length === 1 ? failures[0] : `no server answered:\n  ${failures.join('\n  ')}`);
  }
}
