import type { TimeControl } from '../../protocol/index.js';

/**
 * The time controls a player chooses from when joining the queue (version 2):
 * Fischer clocks, minutes plus a per-move increment in seconds, or no clock
 * (the server's move clock). The server accepts exactly these.
 */
export type { TimeControl };

export const TIME_CONTROLS: readonly TimeControl[] = [
  { initialSeconds: 180, incrementSeconds: 2 },
  { initialSeconds: 300, incrementSeconds: 3 },
  { initialSeconds: 600, incrementSeconds: 5 },
  { initialSeconds: 900, incrementSeconds: 10 },
  { initialSeconds: 0, incrementSeconds: 0 },
];

export const DEFAULT_TIME_CONTROL: TimeControl = { initialSeconds: 300, incrementSeconds: 3 };

export function hasClock(control: TimeControl): boolean {
  return control.initialSeconds > 0 || control.incrementSeconds > 0;
}

/** "5+3" (minutes + seconds; fractions of a minute as decimals, "0.1+0"), or "no clock". */
export function timeControlName(control: TimeControl): string {
  if (!hasClock(control)) return 'no clock';
  const minutes = Number((control.initialSeconds / 60).toFixed(2));
  return `${minutes}+${control.incrementSeconds}`;
}

/** The words beside the choice: "5 minutes + 3 seconds a move". */
export function timeControlDescription(control: TimeControl): string {
  if (!hasClock(control)) return 'No clock: the server’s move clock limits each move';
  const minutes = Number((control.initialSeconds / 60).toFixed(2));
  return `${minutes} minute${minutes === 1 ? '' : 's'} + ${control.incrementSeconds} second${control.incrementSeconds === 1 ? '' : 's'} per move`;
}

/** Reads a kept choice ("300+3") back, or undefined when it is not one of `choices`. */
export function parseTimeControl(text: string | null, choices: readonly TimeControl[]): TimeControl | undefined {
  const match = /^(\d+)\+(\d+)$/.exec(text ?? '');
  if (!match) return undefined;
  const initialSeconds = Number(match[1]);
  const incrementSeconds = Number(match[2]);
  return choices.find((c) => c.initialSeconds === initialSeconds && c.incrementSeconds === incrementSeconds);
}

export function timeControlKey(control: TimeControl): string {
  return `${control.initialSeconds}+${control.incrementSeconds}`;
}
