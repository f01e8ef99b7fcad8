import type { Clock } from '../clock.js';
import type { Seat } from './seat.js';
import { hasClock, type TimeControl } from './time-control.js';

/** How soon an expiry that was held back (see `holdExpiry`) is looked at again. */
export const EXPIRY_RECHECK_MS = 1000;

export interface StandardClockOptions {
  readonly clock: Clock;
  readonly control: TimeControl;
  /** The move clock of a game without a clock (0+0); 0 or less: no limit. */
  readonly moveTimeoutMs: number;
  /** Time left on each seat's clock (a game resumed after a restart); the initial time if absent. */
  readonly remainingMs?: readonly [number, number];
  /** The running clock reached zero (and the expiry was not held back). */
  readonly onExpiry: (seat: Seat) => void;
  /**
   * True while the player cannot have seen that it is their move (the server
   * holds its replies while storage is down, or their login waits for its
   * password check): the expiry waits and is looked at again a second later.
   */
  readonly holdExpiry?: (seat: Seat) => boolean;
}

/**
 * The two clocks of a version-2 game, on the injected Clock. With a time
 * control (Fischer), each seat has a bank of time that runs only while it is
 * to move and gains the increment after each of its moves; with none (0+0),
 * each move has the server's move timeout. One timer at a time is set, for
 * the running clock's zero; it is set and cleared through the Clock.
 */
export class StandardClock {
  readonly #options: StandardClockOptions;
  readonly #remaining: [number, number];
  #running: Seat | undefined;
  #since = 0;
  #deadline: number | undefined;
  #cancelTimer: (() => void) | undefined;

  constructor(options: StandardClockOptions) {
    this.#options = options;
    const initial = hasClock(options.control) ? options.control.initialSeconds * 1000 : this.#moveAllowance();
    this.#remaining = options.remainingMs ? [...options.remainingMs] : [initial, initial];
  }

  /** Whether the game has a Fischer clock (else only the move timeout, if any). */
  get fischer(): boolean {
    return hasClock(this.#options.control);
  }

  get running(): Seat | undefined {
    return this.#running;
  }

  /** Starts `seat`'s clock (a move timeout starts afresh). */
  start(seat: Seat): void {
    this.#disarm();
    if (!this.fischer) this.#remaining[seat] = this.#moveAllowance();
    this.#running = seat;
    this.#since = this.#options.clock.now();
    this.#arm(seat);
  }

  /**
   * Whether `seat` still has time: a path that arrives after its clock reached
   * zero loses on time (unless that expiry is held back), even before the
   * timer has run.
   */
  inTime(seat: Seat): boolean {
    if (!this.#limited() || this.#running !== seat || this.remaining(seat) > 0) return true;
    return this.#options.holdExpiry?.(seat) ?? false;
  }

  /** Stops the running clock (its seat moved, or the game ended); remaining times are kept. */
  stop(): void {
    const seat = this.#running;
    if (seat !== undefined) this.#settle(seat);
    this.#running = undefined;
  }

  /** After a legal move: the Fischer increment for the mover; a move timeout is reset for the next move. */
  addIncrement(seat: Seat): void {
    if (this.fischer) this.#remaining[seat] += this.#options.control.incrementSeconds * 1000;
    else this.#remaining[seat] = this.#moveAllowance();
  }

  /** Resumes the clock that `stop` halted (an illegal path does not stop time). */
  resume(): void {
    const seat = this.#running;
    if (seat === undefined) return;
    this.#since = this.#options.clock.now();
    this.#arm(seat);
  }

  /** Time left on `seat`'s clock now, in whole ms, never below 0. */
  remaining(seat: Seat): number {
    const running = this.#running === seat && this.#cancelTimer !== undefined;
    const left = this.#remaining[seat] - (running ? this.#options.clock.now() - this.#since : 0);
    return Math.max(0, Math.round(left));
  }

  /** Both clocks now, Black's first. */
  both(): [number, number] {
    return [this.remaining(0), this.remaining(1)];
  }

  /** When the running clock's timer fires next (ms on the Clock), or undefined if none is set. */
  deadline(): number | undefined {
    return this.#cancelTimer === undefined ? undefined : this.#deadline;
  }

  #moveAllowance(): number {
    return Math.max(0, this.#options.moveTimeoutMs);
  }

  /** A clock runs only with a Fischer control or a positive move timeout. */
  #limited(): boolean {
    return this.fischer || this.#options.moveTimeoutMs > 0;
  }

  #settle(seat: Seat): void {
    if (this.#cancelTimer === undefined) return;
    this.#remaining[seat] = Math.max(0, this.#remaining[seat] - (this.#options.clock.now() - this.#since));
    this.#disarm();
  }

  #arm(seat: Seat): void {
    if (!this.#limited()) return;
    this.#setTimer(Math.max(0, this.#remaining[seat]), seat);
  }

  #setTimer(ms: number, seat: Seat): void {
    this.#deadline = this.#options.clock.now() + ms;
    this.#cancelTimer = this.#options.clock.after(ms, () => this.#expire(seat));
  }

  #disarm(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
  }

  #expire(seat: Seat): void {
    this.#cancelTimer = undefined;
    this.#remaining[seat] = 0;
    if (this.#options.holdExpiry?.(seat)) {
      this.#since = this.#options.clock.now();
      this.#setTimer(EXPIRY_RECHECK_MS, seat);
      return;
    }
    this.#running = undefined;
    this.#options.onExpiry(seat);
  }
}
