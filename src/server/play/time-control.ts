/**
 * The time controls a version-2 game may be played at (Fischer: initial time
 * plus an increment after each move), as a Seek names them in seconds. 0+0 is
 * "no clock": the server's move timeout (`--move-timeout`) limits each move.
 */
export interface TimeControl {
  readonly initialSeconds: number;
  readonly incrementSeconds: number;
}

export const NO_CLOCK: TimeControl = { initialSeconds: 0, incrementSeconds: 0 };

/** 3+2, 5+3, 10+5, 15+10 (minutes + seconds) and no clock; nothing else is offered. */
export const TIME_CONTROLS: readonly TimeControl[] = [
  { initialSeconds: 180, incrementSeconds: 2 },
  { initialSeconds: 300, incrementSeconds: 3 },
  { initialSeconds: 600, incrementSeconds: 5 },
  { initialSeconds: 900, incrementSeconds: 10 },
  NO_CLOCK,
];

export function isSupportedTimeControl(control: TimeControl): boolean {
  return TIME_CONTROLS.some(
    (each) => each.initialSeconds === control.initialSeconds && each.incrementSeconds === control.incrementSeconds,
  );
}

export function hasClock(control: TimeControl): boolean {
  return control.initialSeconds > 0;
}

/** "5+3" (minutes + seconds) or "no clock", for logs and pages. */
export function timeControlName(control: TimeControl): string {
  if (!hasClock(control)) return 'no clock';
  return `${control.initialSeconds / 60}+${control.incrementSeconds}`;
}
