import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** What the client remembers of a server it has met over TLS. */
export interface KnownServer {
  /** SHA-256 fingerprint of its certificate, "AB:CD:...". */
  readonly fingerprint: string;
  /** How the certificate was accepted: by a trusted CA, or pinned on first use. */
  readonly verifiedBy: 'ca' | 'fingerprint';
  readonly firstSeen: string;
}

/** The client's configuration directory: $CHECKERS_CONFIG_DIR, else $XDG_CONFIG_HOME/checkers, else ~/.config/checkers. */
export function configDirectory(): string {
  if (process.env.CHECKERS_CONFIG_DIR) return process.env.CHECKERS_CONFIG_DIR;
  const base = process.env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'checkers');
}

/** How a server is named in the file: host as typed, and port. */
export function serverKey(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * Servers seen with TLS, as SSH's known_hosts: a pinned fingerprint for
 * self-signed certificates, and in every case the fact that the server spoke
 * TLS, so that a later plain-only answer is refused as a downgrade.
 */
export class KnownServers {
  readonly file: string;

  constructor(directory = configDirectory()) {
    this.file = join(directory, 'known-servers.json');
  }

  get(key: string): KnownServer | undefined {
    return this.#read()[key];
  }

  remember(key: string, server: KnownServer): void {
    this.#write({ ...this.#read(), [key]: server });
  }

  /** Returns whether there was anything to forget. */
  forget(key: string): boolean {
    const servers = this.#read();
    if (!(key in servers)) return false;
    delete servers[key];
    this.#write(servers);
    return true;
  }

  #read(): Record<string, KnownServer> {
    if (!existsSync(this.file)) return {};
    try {
      const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as { servers?: Record<string, KnownServer> };
      return parsed.servers ?? {};
    } catch (error) {
      throw new Error(`cannot read ${this.file}: ${(error as Error).message}; fix or delete it`);
    }
  }

  #write(servers: Record<string, KnownServer>): void {
    const directory = join(this.file, '..');
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify({ servers }, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, this.file);
  }
}
