import { element } from '../shell/shell.js';
import type { ColourChoice, OpeningChoice } from './game-choices.js';
import type { PlayCommands, PlayView } from './play-commands.js';

/**
 * The choices for a game against the computer or a friend (version 2),
 * beside the time control: the colour to play, the opening, and rated or
 * casual. Rated needs an account: a guest or a visitor does not see it.
 */
export class GameOptionsView {
  readonly #colour = element('select', { id: 'game-colour', name: 'colour' });
  readonly #opening = element('select', { id: 'game-opening', name: 'opening' });
  readonly #rated = element('input', { type: 'checkbox', id: 'game-rated', name: 'rated' });
  readonly #ratedLabel = element('label', { className: 'check' }, this.#rated, ' Rated (your standard rating changes)');
  readonly #casualNote = element('p', { className: 'casual-note' }, 'Casual: rated games need an account.');
  readonly element: HTMLFieldSetElement;

  constructor(session: PlayCommands) {
    this.#colour.append(
      element('option', { value: 'black' }, 'Black (moves first)'),
      element('option', { value: 'white' }, 'White'),
      element('option', { value: 'random' }, 'Random'),
    );
    this.#opening.append(
      element('option', { value: 'standard' }, 'Standard start'),
      element('option', { value: 'three-move' }, 'Three-move ballot (drawn at random)'),
    );
    this.#colour.addEventListener('change', () =>
      session.chooseOptions({ colour: this.#colour.value as ColourChoice }),
    );
    this.#opening.addEventListener('change', () =>
      session.chooseOptions({ opening: this.#opening.value as OpeningChoice }),
    );
    this.#rated.addEventListener('change', () => session.chooseOptions({ rated: this.#rated.checked }));
    this.element = element(
      'fieldset',
      { className: 'game-options' },
      element('legend', {}, 'Against the computer or a friend'),
      element('label', { for: 'game-colour' }, 'Your colour'),
      this.#colour,
      element('label', { for: 'game-opening' }, 'Opening'),
      this.#opening,
      this.#ratedLabel,
      this.#casualNote,
    );
  }

  draw(view: PlayView): void {
    this.element.hidden = view.version !== 2;
    const { colour, opening, rated } = view.options;
    if (this.#colour.value !== colour) this.#colour.value = colour;
    if (this.#opening.value !== opening) this.#opening.value = opening;
    this.#rated.checked = rated;
    const account = view.phase !== 'login' && view.phase !== 'connecting' && !view.guest;
    this.#ratedLabel.hidden = !account;
    this.#casualNote.hidden = account;
  }
}
