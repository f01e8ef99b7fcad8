import type { AnyMessageName, AnyProtocolState } from '../../protocol/index.js';
import { addressKey } from './address-key.js';
import type { ServerLimits } from './limits.js';
import { TokenBucket } from './token-bucket.js';

/** What one address (an IPv4 address or an IPv6 /64) holds and may still do. */
class AddressEntry {
  connections = 0;
  /** TLS handshakes in progress. */
  handshaking = 0;
  readonly newConnections: TokenBucket;
  readonly messages: TokenBucket;
  readonly logins: TokenBucket;
  readonly handshakes: TokenBucket;
  readonly httpRequests: TokenBucket;

  constructor(limits: ServerLimits, now: number) {
    this.httpRequests = new TokenBucket(limits.httpRequestRatePerAddress, now);
    this.handshakes = new TokenBucket(limits.tlsHandshakeRatePerAddress, now);
    this.newConnections = new TokenBucket(limits.connectionRatePerAddress, now);
    this.messages = new TokenBucket(limits.messageRatePerAddress, now);
    this.logins = new TokenBucket(limits.loginRatePerAddress, now);
  }

  isIdle(now: number): boolean {
    return (
      this.connections === 0 &&
      this.newConnections.isFull(now) &&
      this.messages.isFull(now) &&
      this.logins.isFull(now) &&
      this.handshakes.isFull(now) &&
      this.httpRequests.isFull(now)
    );
  }
}

export type RefusalReason = 'server-full' | 'address-full' | 'connection-rate';
export type HandshakeRefusal = 'tls-address-busy' | 'tls-rate';

export type Admission =
  | { readonly ok: true; readonly guard: ConnectionGuard }
  | { readonly ok: false; readonly reason: RefusalReason };

/**
 * Per-address accounting for the limits that span connections. Entries are
 * kept while an address has connections or its buckets are still refilling
 * (so reconnecting does not reset its limits) and swept afterwards, so memory
 * stays bounded by the connections held plus recent addresses.
 */
export class AddressBook {
  readonly #entries = new Map<string, AddressEntry>();
  #connections = 0;
  /** Messages held back by a rate limit since the start: logins (Connect) and other messages. */
  readonly rateLimitWaits = { login: 0, message: 0 };

  constructor(readonly limits: ServerLimits) {}

  get connections(): number {
    return this.#connections;
  }

  get addressesTracked(): number {
    return this.#entries.size;
  }

  /** Decides whether a new connection from `address` may stay; the guard must be released when it closes. */
  admit(address: string, now: number): Admission {
    if (this.#connections >= this.limits.maxConnections) return { ok: false, reason: 'server-full' };
    const key = addressKey(address);
    let entry = this.#entries.get(key);
    if (!entry) {
      entry = new AddressEntry(this.limits, now);
      this.#entries.set(key, entry);
    }
    if (entry.connections >= this.limits.maxConnectionsPerAddress) return { ok: false, reason: 'address-full' };
    if (entry.newConnections.waitMs(now) > 0) return { ok: false, reason: 'connection-rate' };
    entry.newConnections.take(now);
    entry.connections++;
    this.#connections++;
    return { ok: true, guard: new ConnectionGuard(this, entry, this.limits, now) };
  }

  /**
   * A password presented outside a version-1 connection (the web's password
   * change): it takes a token of the address's login limit, the one its
   * version-1 logins take (ConnectionGuard.admit), so that an address has one
   * budget of guesses, whichever way it presents them. 0 if it may go ahead
   * (the token is taken), else how many ms until it may.
   */
  admitLogin(address: string, now: number): number {
    const key = addressKey(address);
    let entry = this.#entries.get(key);
    if (!entry) {
      entry = new AddressEntry(this.limits, now);
      this.#entries.set(key, entry);
    }
    const wait = entry.logins.waitMs(now);
    if (wait > 0) {
      this.rateLimitWaits.login++;
      return wait;
    }
    entry.logins.take(now);
    return 0;
  }

  /** Forgets addresses that hold no connection and whose limits are back to full. */
  sweep(now: number): void {
    for (const [key, entry] of this.#entries) if (entry.isIdle(now)) this.#entries.delete(key);
  }

  /** @internal called by ConnectionGuard.release */
  released(entry: AddressEntry): void {
    entry.connections--;
    this.#connections--;
  }
}

/** The rate limits of one connection, and of its address, as seen by its session. */
export class ConnectionGuard {
  readonly #messages: TokenBucket;
  readonly #logins: TokenBucket;
  #released = false;
  #handshaking = false;

  constructor(
    private readonly book: AddressBook,
    private readonly entry: AddressEntry,
    private readonly limits: ServerLimits,
    now: number,
  ) {
    this.#messages = new TokenBucket(limits.messageRate, now);
    this.#logins = new TokenBucket(limits.loginRate, now);
  }

  /**
   * Before a message is handled: 0 to go ahead (its tokens are taken), or how
   * many ms it must wait, for this connection's limits or its address's. A
   * MakeMove in UserMove (a MovePath in Moving) is a move the server asked for: it takes no token,
   * but it does wait out a debt left by illegal moves (see `moveRefused`).
   */
  admit(type: AnyMessageName, state: AnyProtocolState, now: number): number {
    const asked = (type === 'MakeMove' && state === 'UserMove') || (type === 'MovePath' && state === 'Moving');
    const login = type === 'Connect' || type === 'Resume' || type === 'Guest';
    const wait = Math.max(
      this.#messages.waitMs(now),
      this.entry.messages.waitMs(now),
      login ? Math.max(this.#logins.waitMs(now), this.entry.logins.waitMs(now)) : 0,
    );
    if (wait > 0) this.book.rateLimitWaits[login ? 'login' : 'message']++;
    if (wait > 0 || asked) return wait;
    this.#messages.take(now);
    this.entry.messages.take(now);
    if (login) {
      this.#logins.take(now);
      this.entry.logins.take(now);
    }
    return 0;
  }

  /**
   * Whether this address may start another TLS handshake now: undefined if so
   * (a token is taken and the handshake counted until `handshakeEnded`), or why not.
   */
  admitHandshake(now: number): HandshakeRefusal | undefined {
    if (this.entry.handshaking >= this.limits.maxTlsHandshakesPerAddress) return 'tls-address-busy';
    if (this.entry.handshakes.waitMs(now) > 0) return 'tls-rate';
    this.entry.handshakes.take(now);
    this.entry.handshaking++;
    this.#handshaking = true;
    return undefined;
  }

  /** The handshake admitted on this connection is done, failed or dropped. Safe to call twice. */
  handshakeEnded(): void {
    if (!this.#handshaking) return;
    this.#handshaking = false;
    this.entry.handshaking--;
  }

  /**
   * Before an HTTP request is answered: 0 to go ahead (a token of the
   * address's HTTP budget is taken), or how many ms until it could. A refused
   * request takes nothing, so a flood does not push the next try further away.
   */
  admitHttpRequest(now: number): number {
    const wait = this.entry.httpRequests.waitMs(now);
    if (wait === 0) this.entry.httpRequests.take(now);
    return wait;
  }

  /** An illegal move is charged after the fact: the next message waits for the debt. */
  moveRefused(now: number): void {
    this.#messages.take(now);
    this.entry.messages.take(now);
  }

  release(): void {
    if (this.#released) return;
    this.#released = true;
    this.handshakeEnded();
    this.book.released(this.entry);
  }
}
