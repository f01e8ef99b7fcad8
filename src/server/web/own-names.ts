import { isIP } from 'node:net';
import { hostname } from 'node:os';

/** Allows every Host: the protection against DNS rebinding is off (behind a proxy that checks names itself). */
export const ANY_HOST = '*';

/**
 * The host part of a Host header (`name`, `name:port`, `1.2.3.4:port`,
 * `[::1]:port`), lower case, without a trailing dot or brackets; undefined
 * when it is not a host.
 */
export function hostOf(header: string): string | undefined {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9._-]+))(?::\d{1,5})?$/.exec(header.trim());
  if (!match) return undefined;
  if (match[1] !== undefined) return isIP(match[1]) === 6 ? match[1].toLowerCase() : undefined;
  return (match[2] ?? '').toLowerCase().replace(/\.$/, '');
}

/**
 * The names this server answers to, against DNS rebinding: a page of
 * another site whose name its owner has pointed at this server's address
 * sends that name as Host, and its Origin agrees with it, so comparing the
 * two proves nothing. Its own names are the ones given (--allowed-hosts),
 * the listen address, the machine's host name (and NAME.local), localhost
 * and its subdomains, and any IP address written as such: a page can only
 * have an IP address for its origin if it was served from that address,
 * which no DNS answer changes.
 */
export class OwnNames {
  readonly #names: ReadonlySet<string>;
  readonly #any: boolean;

  constructor(allowed: readonly string[], listenAddress: string | undefined, machineName = hostname()) {
    this.#any = allowed.includes(ANY_HOST);
    const machine = machineName.toLowerCase();
    this.#names = new Set(
      [...allowed, machine, `${machine.split('.')[0]}.local`, ...(listenAddress ? [listenAddress] : [])]
        .map((name) => name.toLowerCase().replace(/\.$/, ''))
        .filter((name) => name !== '' && name !== ANY_HOST),
    );
  }

  /** Whether a request with this Host header was sent to one of the server's own names (no Host: not a browser, so yes). */
  accepts(hostHeader: string | undefined): boolean {
    if (hostHeader === undefined || this.#any) return true;
    const host = hostOf(hostHeader);
    return host !== undefined && (isIP(host) !== 0 || this.isName(host));
  }

  /** Whether `host` (as hostOf gives it) is one of the names, not addresses, of this server. */
  isName(host: string): boolean {
    return host === 'localhost' || host.endsWith('.localhost') || this.#names.has(host);
  }
}

/** Parses `--allowed-hosts NAME[,NAME]`: host names (or `*`); throws a one-line error otherwise. */
export function parseAllowedHosts(text: string): string[] {
  const names = text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  for (const name of names) {
    if (
      name !== ANY_HOST &&
      !/^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\.?$/.test(name)
    ) {
      throw new Error(`${name} is not a host name; write names such as play.example.org, without scheme or port`);
    }
  }
  return names;
}
