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

/** "4:59", "0:42"; under ten seconds with tenths: "9.4" (floored, so "0.0" only when the time is up). */
export function formatClock(ms: number): string {
  const clamped = Math.max(0, ms);
  if (clamped < 10_000) return (Math.floor(clamped / 100) / 10).toFixed(1);
  const totalSeconds = Math.floor(clamped / 1000);
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  return `${minutes}:${String(seconds).padStart(2, '0')}`;
}

/**
 * Whether a clock is low enough to warn: under a sixth of the initial time,
 * but never more than 30 s and never less than 10 s (3+2 warns at 30 s, 15+10
 * at 30 s, a 1-minute game at 10 s).
 */
export function isLowTime(ms: number, initialSeconds: number): boolean {
  const threshold = Math.min(30_000, Math.max(10_000, (initialSeconds * 1000) / 6));
  return ms < threshold;
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
