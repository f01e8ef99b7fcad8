import { element } from '../shell/shell.js';
import { pathText } from './path-text.js';
import type { PlayCommands, PlayView } from './play-commands.js';

/**
 * The version-2 game buttons beside the board: Resign (asks first), Offer
 * draw, Accept draw and Decline draw when the opponent offers one, and
 * Rematch after the game, and Hint in a casual game against the computer.
 * Each shows only when it can be used.
 */
export class GameActions {
  readonly element: HTMLElement;
  readonly #resign = element('button', { type: 'button', className: 'secondary' }, 'Resign');
  readonly #offerDraw = element('button', { type: 'button', className: 'secondary' }, 'Offer draw');
  /** Casual games against the computer only; `data-hint` holds the suggested move ("11-15") while it shows. */
  readonly #hint = element('button', { type: 'button', className: 'secondary hint' }, 'Hint');
  readonly #drawNote = element('p', { className: 'draw-note' });
  readonly #acceptDraw = element('button', { type: 'button' }, 'Accept draw');
  readonly #declineDraw = element('button', { type: 'button', className: 'secondary' }, 'Decline draw');
  readonly #confirm: HTMLElement;
  readonly #drawOffer: HTMLElement;

  constructor(session: PlayCommands) {
    const yes = element('button', { type: 'button', className: 'danger' }, 'Yes, give up this game');
    const no = element('button', { type: 'button' }, 'No, play on');
    this.#confirm = element(
      'div',
      { className: 'confirm', role: 'alertdialog', 'aria-label': 'Resign?', hidden: true },
      element('p', {}, 'Resign this game? It counts as a loss.'),
      yes,
      no,
    );
    yes.addEventListener('click', () => {
      this.#confirm.hidden = true;
      session.resign();
    });
    no.addEventListener('click', () => {
      this.#confirm.hidden = true;
    });
    this.#resign.addEventListener('click', () => {
      this.#confirm.hidden = false;
      yes.focus();
    });
    this.#offerDraw.addEventListener('click', () => session.offerDraw());
    this.#hint.addEventListener('click', () => session.hint());
    this.#acceptDraw.addEventListener('click', () => session.answerDraw(true));
    this.#declineDraw.addEventListener('click', () => session.answerDraw(false));
    this.#drawOffer = element(
      'div',
      { className: 'draw-offer', role: 'group', 'aria-label': 'Draw offer' },
      this.#drawNote,
      this.#acceptDraw,
      this.#declineDraw,
    );
    this.element = element(
      'div',
      { className: 'game-actions' },
      this.#drawOffer,
      element('div', { className: 'buttons' }, this.#hint, this.#offerDraw, this.#resign),
      this.#confirm,
    );
  }

  draw(view: PlayView): void {
    const standard = view.standard;
    const playing = view.phase === 'game' && standard !== undefined;
    this.element.hidden = !playing;
    if (!playing) {
      this.#confirm.hidden = true;
      return;
    }
    const hints = standard.hints;
    this.#hint.hidden = !hints.allowed;
    this.#hint.disabled = !view.game?.myTurn || hints.asking || hints.move !== undefined;
    if (hints.move) this.#hint.dataset.hint = pathText(hints.move);
    else delete this.#hint.dataset.hint;
    this.#hint.textContent = hints.move ? `Hint: ${pathText(hints.move)}` : hints.asking ? 'Thinking…' : 'Hint';
    this.#hint.setAttribute('aria-label', 'Hint');
    const theirOffer = standard.draw === 'offered-by-opponent';
    this.#drawOffer.hidden = !theirOffer;
    this.#drawNote.textContent = theirOffer ? `${view.game?.opponent ?? 'Your opponent'} offers a draw.` : '';
    this.#offerDraw.hidden = theirOffer;
    this.#offerDraw.disabled = !standard.mayOfferDraw;
    this.#offerDraw.textContent = standard.draw === 'offered-by-me' ? 'Draw offered' : 'Offer draw';
    this.#offerDraw.setAttribute('aria-label', 'Offer draw');
    this.#offerDraw.title =
      standard.draw === 'offered-by-me'
        ? 'You offered a draw; it lapses when your opponent moves'
        : standard.mayOfferDraw
          ? ''
          : 'You may offer a draw again after your next move';
  }
}
