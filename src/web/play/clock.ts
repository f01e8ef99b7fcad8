import { LOW_TIME_FLOOR_MS } from '../../client-core/standard-clock.js';

/**
 * The game clocks as the page shows them, pure: the server is the authority
 * and sends both clocks with every turn; between messages the page counts the
 * running one down from the moment the message arrived.
 */
export type ClockSide = 'me' | 'opponent';

export interface ClockReading {
  /** Milliseconds left on this player's clock when the message arrived. */
  readonly myMs: number;
  readonly opponentMs: number;
  /** Whose clock runs (the side to move), or undefined when none does (game over, or waiting for the server). */
  readonly running: ClockSide | undefined;
  /** When the message arrived, on the page's clock (ms). */
  readonly receivedAt: number;
}

/** Milliseconds left on `side`'s clock at `now`, never below zero. */
export function remainingMs(reading: ClockReading, side: ClockSide, now: number): number {
  const base = side === 'me' ? reading.myMs : reading.opponentMs;
  const spent = reading.running === side ? Math.max(0, now - reading.receivedAt) : 0;
  return Math.max(0, base - spent);
}

/** "4:59", "0:09.4" below ten seconds: as the terminal client shows clocks. */
export { formatClock } from '../../client-core/standard-clock.js';

/**
 * Whether a clock is low enough to warn, by the rule both clients share
 * (client-core's StandardClock): under a tenth of the initial time, and at
 * least under 10 s. A no-clock game's move clock (initial 0) warns under 10 s.
 */
export function isLowTime(ms: number, initialSeconds: number): boolean {
  return ms < Math.max(LOW_TIME_FLOOR_MS, initialSeconds * 100);
}

/** The words a screen reader hears for a clock, e.g. "4 minutes 59 seconds left". */
export function spokenClock(ms: number): string {
  const totalSeconds = Math.floor(Math.max(0, ms) / 1000);
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  const parts = [
    ...(minutes > 0 ? [`${minutes} minute${minutes === 1 ? '' : 's'}`] : []),
    `${seconds} second${seconds === 1 ? '' : 's'}`,
  ];
  return `${parts.join(' ')} left`;
}
