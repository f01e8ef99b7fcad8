/**
 * Both players' clocks of a version-2 game as the terminal shows them, pure:
 * the server sends both remaining times with every YourMove and TheirMove,
 * and the side to move counts down from then. The caller says what time it is.
 */

/** Seconds left on the player's own clock at which it warns, once each per game. */
export const LOW_TIME_WARNINGS_SECONDS: readonly number[] = [30, 10];

export interface ClockReading {
  readonly myMs: number;
  readonly opponentMs: number;
  /** Whose clock runs: the side to move, or nobody (between games, or no clock). */
  readonly running: 'me' | 'opponent' | undefined;
}

export class GameClocks {
  #myMs = 0;
  #opponentMs = 0;
  #running: 'me' | 'opponent' | undefined;
  #since = 0;
  readonly #warned = new Set<number>();

  /** `timed` is false for a no-clock game: then nothing is shown or warned. */
  constructor(readonly timed: boolean) {}

  /** The server's figures, received at `now` (ms), with `running` the side to move. */
  update(myMs: number, opponentMs: number, running: 'me' | 'opponent' | undefined, now: number): void {
    this.#myMs = myMs;
    this.#opponentMs = opponentMs;
    this.#running = running;
    this.#since = now;
  }

  /** Stops both clocks where they are (the game ended, or our move is on its way). */
  stop(now: number): void {
    const reading = this.read(now);
    this.update(reading.myMs, reading.opponentMs, undefined, now);
  }

  read(now: number): ClockReading {
    const elapsed = Math.max(0, now - this.#since);
    return {
      myMs: Math.max(0, this.#myMs - (this.#running === 'me' ? elapsed : 0)),
      opponentMs: Math.max(0, this.#opponentMs - (this.#running === 'opponent' ? elapsed : 0)),
      running: this.#running,
    };
  }

  /** "you 4:58 | jen 5:00", the running clock marked with a star. */
  status(opponent: string, now: number): string {
    const reading = this.read(now);
    const mark = (who: 'me' | 'opponent') => (reading.running === who ? '*' : '');
    return `you ${mark('me')}${clockText(reading.myMs)} | ${opponent} ${mark('opponent')}${clockText(reading.opponentMs)}`;
  }

  /** Low-time warnings now due on the player's own clock, each given once per game (only the latest if several). */
  warningsDue(now: number): number[] {
    if (!this.timed) return [];
    const { myMs, running } = this.read(now);
    if (running !== 'me') return [];
    const due = LOW_TIME_WARNINGS_SECONDS.filter((seconds) => myMs <= seconds * 1000 && !this.#warned.has(seconds));
    for (const seconds of due) this.#warned.add(seconds);
    return due.slice(-1);
  }
}

/** "4:58" (seconds rounded up), or "0:09.4" under ten seconds. */
export function clockText(ms: number): string {
  const clamped = Math.max(0, ms);
  if (clamped < 10_000) return `0:0${(Math.floor(clamped / 100) / 10).toFixed(1)}`;
  // Whole seconds round up, so a clock just started shows its full time.
  const seconds = Math.ceil(clamped / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

export function lowTimeText(secondsLeft: number): string {
  return `Low time: about ${secondsLeft} s left on your clock! Running out loses the game.`;
}
