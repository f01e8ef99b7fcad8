import { element } from '../shell/shell.js';
import type { PlayView } from './play-commands.js';

export const COMPUTER_LEVEL_KEY = 'checkers.computer-level';
const LEVELS = Array.from({ length: 10 }, (_, index) => index + 1);

/**
 * The lobby's "Play the computer" (version 2): a level from 1 (weakest) to
 * 10, rated or casual, and the button; the time control is the lobby's
 * chooser's. The level chosen is kept in the browser for next time.
 */
export class ComputerChooser {
  readonly element: HTMLFieldSetElement;
  readonly #level = element('select', { id: 'computer-level', name: 'computer-level' });
  readonly #rated = element('input', { type: 'checkbox', id: 'computer-rated' });
  readonly #button = element('button', { type: 'button', className: 'play-computer' }, 'Play the computer');

  constructor(storage: Pick<Storage, 'getItem' | 'setItem'>, play: (level: number, rated: boolean) => void) {
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
    this.#button.addEventListener('click', () => play(this.level, this.#rated.checked));
    this.element = element(
      'fieldset',
      { className: 'computer' },
      element('legend', {}, 'Or play the computer now'),
      element('label', { for: 'computer-level' }, 'Level'),
      this.#level,
      element('label', { className: 'check' }, this.#rated, ' Rated (your standard rating against the computer’s)'),
      this.#button,
    );
  }

  get level(): number {
    return Number(this.#level.value) || 1;
  }

  get rated(): boolean {
    return this.#rated.checked;
  }

  /** Only version 2 plays the computer on demand; one question at a time. */
  draw(view: PlayView): void {
    this.element.hidden = view.version !== 2;
    this.#button.disabled = view.askingComputer;
  }
}
