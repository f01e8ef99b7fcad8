/**
 * The time controls a version-2 server offers (docs/PROTOCOL.md): Fischer
 * clocks, minutes + seconds added after each move, and "none" (the server's
 * move clock, --move-timeout, as in version 1). Pure.
 */
import type { TimeControl } from '../../protocol/index.js';

export type { TimeControl };

export const NO_CLOCK: TimeControl = { initialSeconds: 0, incrementSeconds: 0 };

/** Every time control a server accepts in a Seek, as typed: minutes+seconds. */
export const TIME_CONTROLS: readonly string[] = ['3+2', '5+3', '10+5', '15+10', 'none'];

/** What the client seeks when the player does not say. */
export const DEFAULT_TIME_CONTROL = '5+3';

export type TimeControlReading =
  | { readonly ok: true; readonly timeControl: TimeControl }
  | { readonly ok: false; readonly reason: string };

/** Reads "5+3" (minutes + increment seconds), "none" or "0+0"; only the offered ones. */
export function parseTimeControl(text: string): TimeControlReading {
  const typed = text.trim().toLowerCase();
  if (typed === 'none' || typed === '0+0') return { ok: true, timeControl: NO_CLOCK };
  const match = /^(\d{1,3})\s*\+\s*(\d{1,3})$/.exec(typed);
  const offered = `the server offers ${TIME_CONTROLS.join(', ')} (minutes + seconds added per move; none = no clock)`;
  if (!match) return { ok: false, reason: `"${text.trim()}" is not a time control: ${offered}` };
  const normal = `${Number(match[1])}+${Number(match[2])}`;
  if (!TIME_CONTROLS.includes(normal)) return { ok: false, reason: `${normal} is not offered: ${offered}` };
  return { ok: true, timeControl: { initialSeconds: Number(match[1]) * 60, incrementSeconds: Number(match[2]) } };
}

/** "5+3" or "no clock". */
export function describeTimeControl(timeControl: TimeControl): string {
  if (timeControl.initialSeconds === 0 && timeControl.incrementSeconds === 0) return 'no clock';
  const minutes = timeControl.initialSeconds / 60;
  return `${Number.isInteger(minutes) ? minutes : minutes.toFixed(1)}+${timeControl.incrementSeconds}`;
}
