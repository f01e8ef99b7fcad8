/** The server's move clock unless the player says otherwise (--move-timeout): checkers-server's default. */
export const DEFAULT_MOVE_TIMEOUT_SECONDS = 300;

/** Seconds left at which the player is warned. */
const WARNINGS_SECONDS_LEFT: readonly number[] = [60, 10];

/**
 * How long it has been the player's turn, against the server's move clock.
 * Pure: the caller says how much time has passed. The server starts its clock
 * when it sends YourTurn, so the client's count is a little behind it.
 */
export class TurnClock {
  readonly #warned = new Set<number>();

  constructor(readonly timeoutSeconds: number) {}

  /** Warnings due after `elapsedSeconds` of this turn, each given once: seconds left, largest first. */
  warningsDue(elapsedSeconds: number): number[] {
    const due = WARNINGS_SECONDS_LEFT.filter(
      (left) => left < this.timeoutSeconds && elapsedSeconds >= this.timeoutSeconds - left && !this.#warned.has(left),
    );
    for (const left of due) this.#warned.add(left);
    // Past a later threshold, the earlier one is moot.
    return due.slice(-1);
  }

  /** "1:05 of 5:00" */
  status(elapsedSeconds: number): string {
    return `${minutes(elapsedSeconds)} of ${minutes(this.timeoutSeconds)}`;
  }
}

function minutes(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

export function warningText(secondsLeft: number, timeoutSeconds: number): string {
  return secondsLeft >= 60
    ? `About ${secondsLeft / 60} minute${secondsLeft === 60 ? '' : 's'} left to move: the server ends the game when your move clock (${timeoutSeconds} s) runs out.`
    : `About ${secondsLeft} s left to move!`;
}
