import { addressKey } from './address-key.js';
import { type RateLimit, TokenBucket } from './token-bucket.js';

/** Accounts with recent wrong passwords remembered at most; past this, those whose budget is full again go. */
const MAX_ACCOUNTS = 100_000;
/** Addresses remembered per account as its owner's (a home, a phone, a club). */
const KNOWN_ADDRESSES_PER_ACCOUNT = 4;
/** Accounts whose owners' addresses are remembered at most (the oldest are forgotten first). */
const MAX_KNOWN_ACCOUNTS = 100_000;

/**
 * The guessing budget of each account, shared by every way of presenting a
 * password (version-1 logins over TCP, TLS and WebSocket, the web's password
 * change): each wrong password takes a token of the account's bucket, and
 * while it is empty, the account's password is not checked at all, whatever
 * address asks: a botnet of a thousand addresses gets no more guesses at one
 * account than a single one. A right password takes nothing.
 *
 * So that guessing at an account cannot lock its owner out, an address from
 * which the account logged in with the right password (one of its last
 * KNOWN_ADDRESSES_PER_ACCOUNT) is not held by the account's budget (its
 * address's own login limit still holds). Pure: time is passed in.
 */
export class AccountGuesses {
  readonly #buckets = new Map<number, TokenBucket>();
  /** Insertion order is the forgetting order: an account that logs in moves to the back. */
  readonly #known = new Map<number, string[]>();

  constructor(readonly limit: RateLimit) {}

  get accountsTracked(): number {
    return this.#buckets.size;
  }

  /** 0 if `accountId`'s password may be checked now for `address`, else how many ms until it may. */
  waitMs(accountId: number, address: string, now: number): number {
    if (this.#known.get(accountId)?.includes(addressKey(address))) return 0;
    return this.#buckets.get(accountId)?.waitMs(now) ?? 0;
  }

  /** A wrong password for `accountId` was presented now. */
  failed(accountId: number, now: number): void {
    let bucket = this.#buckets.get(accountId);
    if (!bucket) {
      if (this.#buckets.size >= MAX_ACCOUNTS) this.#sweep(now);
      bucket = new TokenBucket(this.limit, now);
      this.#buckets.set(accountId, bucket);
    }
    bucket.take(now);
  }

  /** The right password for `accountId` was presented from `address`: that address is its owner's. */
  succeeded(accountId: number, address: string): void {
    const key = addressKey(address);
    const known = (this.#known.get(accountId) ?? []).filter((known) => known !== key);
    known.unshift(key);
    this.#known.delete(accountId);
    this.#known.set(accountId, known.slice(0, KNOWN_ADDRESSES_PER_ACCOUNT));
    if (this.#known.size > MAX_KNOWN_ACCOUNTS) {
      const oldest = this.#known.keys().next();
      if (!oldest.done) this.#known.delete(oldest.value);
    }
  }

  /**
   * Forgets accounts whose budget is full again. Under a guessing attack on
   * more accounts than that at once, the map may grow past MAX_ACCOUNTS
   * rather than forget a budget that is still being spent.
   */
  #sweep(now: number): void {
    for (const [id, bucket] of this.#buckets) if (bucket.isFull(now)) this.#buckets.delete(id);
  }
}
