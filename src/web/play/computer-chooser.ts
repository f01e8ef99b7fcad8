import { element } from '../shell/shell.js';
import type { PlayView } from './play-commands.js';

export const COMPUTER_LEVEL_KEY = 'checkers.computer-level';
const LEVELS = Array.from({ length: 10 }, (_, index) => index + 1);

/**
 * "Play the computer" (version 2): a level from 1 (weakest) to 10 and the
 * button; the time control, colour, opening and rated are the page's
 * choices. The level chosen is kept in the browser for next time.
 */
export class ComputerChooser {
  readonly element: HTMLElement;
  readonly #level = element('select', { id: 'computer-level', name: 'computer-level' });
  readonly #button = element('button', { type: 'button', className: 'play-computer' }, 'Play the computer');
  readonly #note = element('p', { className: 'action-note' });

  constructor(storage: Pick<Storage, 'getItem' | 'setItem'>, play: (level: number) => void) {
    const kept = Number(storage.getItem(COMPUTER_LEVEL_KEY));
    const chosen = LEVELS.includes(kept) ? kept : 1;
    this.#level.replaceChildren(
      ...LEVELS.map((level) =>
        element(
          'option',
          { value: String(level) },
          level === 1 ? '1 (easiest)' : level === 10 ? '10 (strongest)' : String(level),
        ),
      ),
    );
    this.#level.value = String(chosen);
    this.#level.addEventListener('change', () => storage.setItem(COMPUTER_LEVEL_KEY, this.#level.value));
    this.#button.addEventListener('click', () => play(this.level));
    this.element = element(
      'div',
      { className: 'action computer' },
      this.#button,
      element('label', { for: 'computer-level' }, 'Level'),
      this.#level,
      this.#note,
    );
  }

  get level(): number {
    return Number(this.#level.value) || 1;
  }

  /** Only version 2 plays the computer on demand; one question at a time. */
  draw(view: PlayView): void {
    this.element.hidden = view.version !== 2;
    this.#button.disabled = view.askingComputer;
    const loggedOut = view.phase === 'login' || view.phase === 'connecting';
    this.#note.textContent = loggedOut ? 'At once, as a guest (log in first to play rated).' : 'At once, at any hour.';
  }
}
