import type { Timers } from './play-session.js';

const FIRST_RETRY_MS = 500;
const LAST_RETRY_MS = 5000;

/**
 * When to log in again after a dropped connection: attempts back off from
 * half a second to five, and stop once the outage is older than the window
 * (the server's grace for a game is about that long).
 */
export class RetrySchedule {
  #timer: unknown;
  #retries = 0;
  #dropAt: number | undefined;

  constructor(
    private readonly timers: Timers,
    private readonly windowMs: number,
  ) {}

  /** The connection dropped: a new outage starts now. */
  dropped(): void {
    this.#dropAt = this.timers.now();
    this.#retries = 0;
  }

  /** Whether the outage (starting now if none is known) is still within the window. */
  within(): boolean {
    if (this.#dropAt === undefined) this.#dropAt = this.timers.now();
    return this.timers.now() - this.#dropAt < this.windowMs;
  }

  schedule(run: () => void): void {
    const delay = Math.min(FIRST_RETRY_MS * 2 ** this.#retries, LAST_RETRY_MS);
    this.#retries += 1;
    this.#timer = this.timers.setTimeout(() => {
      this.#timer = undefined;
      run();
    }, delay);
  }

  stop(): void {
    if (this.#timer !== undefined) this.timers.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Logged in again, or given up: the next outage starts afresh. */
  reset(): void {
    this.#retries = 0;
    this.#dropAt = undefined;
  }
}
