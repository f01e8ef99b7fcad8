/**
 * How many password hashes may run at once, now: every core the pool may use
 * when no game needs the CPU, and only its share while games are being played
 * on a busy event loop. Pure: time and measurements are passed in.
 *
 * The event loop is one thread, and it is what the games need: every move,
 * timer and reply runs on it. A hash is a thread of libuv's pool that keeps a
 * core busy for tens of milliseconds. With as many hashes as cores, the loop
 * competes with them for a core and a move waits behind the scheduler; with
 * half the cores hashing, a core is left for the loop (the old fixed cap,
 * whose effect beside play `bench:load` measures). But after a restart,
 * or at night, nobody is moving, and that half of the machine idles while
 * players wait to log in. So:
 *
 * - **idle** (all `maxSlots`): no move was handled for `quietMs`, or the
 *   loop was busy less than `busyLoopShare` of its time in the last sample:
 *   whatever is being played then needs little of a core, and Linux's
 *   scheduler wakes a mostly idle thread promptly.
 * - **shared** (`sharedSlots`, half of `maxSlots`, at least 1): moves are being
 *   handled and the loop is busy. The pool drops to its share at once (a
 *   running hash is not stopped, but ends within tens of milliseconds) and
 *   stays there until the loop has been calm, or the games quiet, for
 *   `holdMs`, so that it does not flap between samples.
 */
export interface HashSlotSettings {
  /** Hashes at once when no game needs the CPU (`--hash-concurrency`). */
  readonly maxSlots: number;
  /** No move handled for this long: no game is being played. */
  readonly quietMs: number;
  /** Event-loop utilization (0..1) at or above which the games need their core. */
  readonly busyLoopShare: number;
  /** How long the shared bound holds after the last busy sample. */
  readonly holdMs: number;
}

export const DEFAULT_HASH_SLOT_TIMING: Omit<HashSlotSettings, 'maxSlots'> = {
  quietMs: 2000,
  busyLoopShare: 0.3,
  holdMs: 2000,
};

export class HashSlots {
  #lastMoveAt = Number.NEGATIVE_INFINITY;
  #sharedUntil = Number.NEGATIVE_INFINITY;

  constructor(readonly settings: HashSlotSettings) {}

  /** Hashes at once while games need the CPU: half the pool, at least one. */
  get sharedSlots(): number {
    return Math.max(1, Math.floor(this.settings.maxSlots / 2));
  }

  /** A player's move was handled now. */
  moveHandled(now: number): void {
    this.#lastMoveAt = now;
  }

  /** The event loop was busy `utilization` (0..1) of the time since the last sample. */
  loopSampled(utilization: number, now: number): void {
    const playing = now - this.#lastMoveAt < this.settings.quietMs;
    if (playing && utilization >= this.settings.busyLoopShare) this.#sharedUntil = now + this.settings.holdMs;
  }

  /** The bound now. */
  slots(now: number): number {
    const playing = now - this.#lastMoveAt < this.settings.quietMs;
    return playing && now < this.#sharedUntil ? this.sharedSlots : Math.max(1, this.settings.maxSlots);
  }
}
