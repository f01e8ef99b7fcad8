/** Below this much time left a player is warned, unless 10 % of the initial time is more. */
export const LOW_TIME_FLOOR_MS = 10_000;

export type ClockSide = 'me' | 'opponent';

export interface ClockReading {
  /** Milliseconds left, never below 0. */
  readonly myMs: number;
  readonly opponentMs: number;
  /** Whose clock runs now; undefined when neither does (between a move sent and its answer, after the game). */
  readonly running: ClockSide | undefined;
  readonly myLowTime: boolean;
  readonly opponentLowTime: boolean;
}

/**
 * Both clocks of a version-2 game as a client shows them, pure: the server
 * sends both remaining times with every YourMove and TheirMove (the truth),
 * and between those the running clock counts down on the injected `now()`.
 */
export class StandardClock {
  readonly lowTimeMs: number;
  #myMs: number;
  #opponentMs: number;
  #running: ClockSide | undefined;
  /** now() when the running clock's value was last set. */
  #since: number;

  constructor(
    readonly initialSeconds: number,
    readonly incrementSeconds: number,
    private readonly now: () => number,
  ) {
    this.lowTimeMs = Math.max(LOW_TIME_FLOOR_MS, initialSeconds * 100);
    this.#myMs = initialSeconds * 1000;
    this.#opponentMs = initialSeconds * 1000;
    this.#running = undefined;
    this.#since = now();
  }

  /** Whether the game has a clock at all (0+0 is "no clock": the server's move timeout applies). */
  get enabled(): boolean {
    return this.initialSeconds > 0 || this.incrementSeconds > 0;
  }

  /** The server's word: both times as sent, and whose clock runs from now on. */
  set(myMs: number, opponentMs: number, running: ClockSide | undefined): void {
    this.#myMs = myMs;
    this.#opponentMs = opponentMs;
    this.#running = running;
    this.#since = this.now();
  }

  /** Stops the running clock where it stands (our move is sent, or the game is over). */
  stop(): void {
    const reading = this.read();
    this.set(reading.myMs, reading.opponentMs, undefined);
  }

  read(): ClockReading {
    const elapsed = Math.max(0, this.now() - this.#since);
    const myMs = Math.max(0, this.#running === 'me' ? this.#myMs - elapsed : this.#myMs);
    const opponentMs = Math.max(0, this.#running === 'opponent' ? this.#opponentMs - elapsed : this.#opponentMs);
    return {
      myMs,
      opponentMs,
      running: this.#running,
      myLowTime: this.enabled && myMs < this.lowTimeMs,
      opponentLowTime: this.enabled && opponentMs < this.lowTimeMs,
    };
  }
}

/** "4:59", "0:09.4" below 10 s, "1:02:03" from an hour. */
export function formatClock(ms: number): string {
  const clamped = Math.max(0, ms);
  if (clamped < 10_000) return `0:0${(Math.floor(clamped / 100) / 10).toFixed(1)}`;
  const total = Math.floor(clamped / 1000);
  const seconds = String(total % 60).padStart(2, '0');
  const minutes = Math.floor(total / 60);
  if (minutes < 60) return `${minutes}:${seconds}`;
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}:${seconds}`;
}
