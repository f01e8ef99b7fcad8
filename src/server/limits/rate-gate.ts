import { addressKey } from './address-key.js';
import { type RateLimit, TokenBucket } from './token-bucket.js';

export type GateAnswer =
  | { readonly ok: true }
  /** `scope` says whose limit it was: this address's, or everyone's together. */
  | { readonly ok: false; readonly scope: 'address' | 'server'; readonly retryAfterMs: number };

/** Addresses remembered at most; past this, addresses whose buckets are full again are forgotten. */
const MAX_TRACKED = 10_000;

/**
 * A rate limit per address (an IPv4 address or an IPv6 /64) and one for all
 * addresses together, for requests that cost the server (a sign-up, a
 * password change: each a password hash). A refused request takes no token, so
 * a flood does not push an honest address's next try further away. Pure:
 * time is passed in.
 */
export class RateGate {
  readonly #addresses = new Map<string, TokenBucket>();
  readonly #all: TokenBucket;

  constructor(
    readonly perAddress: RateLimit,
    readonly overall: RateLimit,
    now: number,
  ) {
    this.#all = new TokenBucket(overall, now);
  }

  get addressesTracked(): number {
    return this.#addresses.size;
  }

  /** Admits one request from `address` now (taking a token from both limits), or says how long to wait. */
  admit(address: string, now: number): GateAnswer {
    const key = addressKey(address);
    let bucket = this.#addresses.get(key);
    if (!bucket) {
      if (this.#addresses.size >= MAX_TRACKED) this.#sweep(now);
      bucket = new TokenBucket(this.perAddress, now);
      if (this.#addresses.size < MAX_TRACKED) this.#addresses.set(key, bucket);
    }
    const addressWait = bucket.waitMs(now);
    if (addressWait > 0) return { ok: false, scope: 'address', retryAfterMs: addressWait };
    const overallWait = this.#all.waitMs(now);
    if (overallWait > 0) return { ok: false, scope: 'server', retryAfterMs: overallWait };
    bucket.take(now);
    this.#all.take(now);
    return { ok: true };
  }

  #sweep(now: number): void {
    for (const [key, bucket] of this.#addresses) if (bucket.isFull(now)) this.#addresses.delete(key);
  }
}
