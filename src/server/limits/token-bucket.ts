/** A sustained rate with a burst allowance; `perSecond` 0 means no limit. */
export interface RateLimit {
  readonly perSecond: number;
  readonly burst: number;
}

export const UNLIMITED: RateLimit = { perSecond: 0, burst: 0 };

/**
 * The classic token bucket: it holds up to `burst` tokens, gains `perSecond`
 * of them every second, and every event takes one. Pure: time is passed in.
 */
export class TokenBucket {
  #tokens: number;
  #updatedAt: number;

  constructor(
    readonly limit: RateLimit,
    now: number,
  ) {
    this.#tokens = limit.burst;
    this.#updatedAt = now;
  }

  /** 0 when a token is there now, otherwise how many ms until there will be one. */
  waitMs(now: number): number {
    if (this.limit.perSecond <= 0) return 0;
    this.#refill(now);
    if (this.#tokens >= 1) return 0;
    return Math.ceil(((1 - this.#tokens) / this.limit.perSecond) * 1000);
  }

  /** Takes a token; with none there, goes into debt that later events wait for. */
  take(now: number): void {
    if (this.limit.perSecond <= 0) return;
    this.#refill(now);
    this.#tokens -= 1;
  }

  /** Whether forgetting this bucket and starting a new one would change nothing. */
  isFull(now: number): boolean {
    if (this.limit.perSecond <= 0) return true;
    this.#refill(now);
    return this.#tokens >= this.limit.burst;
  }

  #refill(now: number): void {
    const elapsed = Math.max(0, now - this.#updatedAt);
    this.#updatedAt = now;
    this.#tokens = Math.min(this.limit.burst, this.#tokens + (elapsed / 1000) * this.limit.perSecond);
  }
}
