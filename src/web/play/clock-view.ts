import { element } from '../shell/shell.js';
import { type ClockSide, formatClock, isLowTime, remainingMs, spokenClock } from './clock.js';
import type { StandardInfo } from './play-commands.js';

/**
 * One game clock beside the board: an element with role="timer" showing the
 * time left, marked when it is this player's own, when it runs and when the
 * time is low. The page calls `draw` on every snapshot and on every tick.
 */
export class ClockView {
  readonly element: HTMLElement;
  readonly #time = element('span', { className: 'clock-time' });

  constructor(readonly side: ClockSide) {
    const owner = side === 'me' ? 'Your clock' : "Opponent's clock";
    this.element = element(
      'div',
      { className: `clock ${side === 'me' ? 'mine' : 'theirs'}`, role: 'timer', 'aria-label': owner },
      element('span', { className: 'clock-owner', 'aria-hidden': 'true' }, side === 'me' ? 'You' : 'Opponent'),
      this.#time,
    );
  }

  draw(standard: StandardInfo | undefined, now: number): void {
    const clocks = standard?.clocks;
    const timed =
      standard !== undefined && standard.timeControl.initialSeconds + standard.timeControl.incrementSeconds > 0;
    this.element.hidden = standard === undefined;
    if (!standard) return;
    // Without a clock the server's move clock limits each move: it is shown for the side to move only.
    const moveClockOff = !timed && (clocks?.running !== this.side || (clocks.myMs === 0 && clocks.opponentMs === 0));
    if (!clocks || moveClockOff) {
      this.#time.textContent = timed ? formatClock(standard.timeControl.initialSeconds * 1000) : '–';
      this.element.classList.remove('running', 'low');
      this.element.title = timed ? '' : 'No clock: the server’s move clock limits each move';
      return;
    }
    const ms = remainingMs(clocks, this.side, now);
    this.#time.textContent = formatClock(ms);
    const running = clocks.running === this.side;
    this.element.classList.toggle('running', running);
    this.element.classList.toggle('low', isLowTime(ms, standard.timeControl.initialSeconds));
    this.element.title = spokenClock(ms);
  }
}
