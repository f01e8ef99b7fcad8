import type { Clock } from '../../src/server/clock.js';

interface Timer {
  at: number;
  readonly ms: number;
  readonly order: number;
  readonly callback: () => void;
  readonly every: number | undefined;
  cancelled: boolean;
}

/**
 * A clock that moves only when the test says so: timers run in time order
 * (then in the order they were set) as `advance` passes their moment, so move
 * clocks, grace periods and matchmaking windows are checked in milliseconds.
 */
export class ManualClock implements Clock {
  #now: number;
  #order = 0;
  readonly #timers: Timer[] = [];

  constructor(start = 1_000_000) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  after(ms: number, callback: () => void): () => void {
    return this.#add(ms, callback, undefined);
  }

  every(ms: number, callback: () => void): () => void {
    return this.#add(ms, callback, Math.max(1, ms));
  }

  /** Timers still to run. */
  get pending(): number {
    return this.#timers.filter((timer) => !timer.cancelled).length;
  }

  /** Timers still to run that were set for `ms` (a server test waits for its grace timer this way). */
  pendingFor(ms: number): number {
    return this.#timers.filter((timer) => !timer.cancelled && timer.ms === ms).length;
  }

  /** Moves time on by `ms`, running every timer due on the way (including timers those timers set). */
  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      const due = this.#timers
        .filter((timer) => !timer.cancelled && timer.at <= end)
        .sort((a, b) => a.at - b.at || a.order - b.order)[0];
      if (!due) break;
      this.#now = Math.max(this.#now, due.at);
      if (due.every === undefined) due.cancelled = true;
      else due.at += due.every;
      due.callback();
    }
    this.#now = end;
    for (let i = this.#timers.length - 1; i >= 0; i--) if (this.#timers[i]?.cancelled) this.#timers.splice(i, 1);
  }

  #add(ms: number, callback: () => void, every: number | undefined): () => void {
    const timer: Timer = {
      at: this.#now + Math.max(0, ms),
      ms,
      order: this.#order++,
      callback,
      every,
      cancelled: false,
    };
    this.#timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  }
}
