import { isOfferedTimeControl, TIME_CONTROLS, type TimeControl, timeControlText } from '../../protocol/index.js';

/*
 * The time controls of version-2 games (Fischer: initial time plus an
 * increment after each move), as the protocol offers them (TIME_CONTROLS in
 * src/protocol/v2-values.ts, the one list). 0+0 is "no clock": the server's
 * move timeout (`--move-timeout`) limits each move.
 */
export { TIME_CONTROLS, type TimeControl };

export const NO_CLOCK: TimeControl = { initialSeconds: 0, incrementSeconds: 0 };

export function isSupportedTimeControl(control: TimeControl): boolean {
  return isOfferedTimeControl(control.initialSeconds, control.incrementSeconds);
}

export function hasClock(control: TimeControl): boolean {
  return control.initialSeconds > 0;
}

/** "5+3" (minutes + seconds) or "no clock", for logs and pages. */
export function timeControlName(control: TimeControl): string {
  return timeControlText(control);
}
