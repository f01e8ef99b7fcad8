import type { Seek, SeekList } from '../../common/api-types.js';
import { getJson } from '../community/api.js';
import { element } from '../shell/shell.js';
import { timeControlName } from './time-controls.js';

/** How often the list is asked again while shown: the server shares its answer for a second anyway. */
const REFRESH_MS = 3000;

/** "12 s", "3 min": how long someone has waited. */
function waitedText(seconds: number): string {
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min`;
}

function seekLine(seek: Seek, challenge: ((seek: Seek) => void) | undefined): HTMLElement {
  const control = timeControlName(seek.timeControl ?? { initialSeconds: 0, incrementSeconds: 0 });
  const line = element(
    'li',
    {},
    element('span', { className: 'seek-name' }, seek.name),
    ` (${seek.rating}) · ${control} · waiting ${waitedText(seek.waitingSeconds)}`,
  );
  if (challenge) {
    const button = element('button', { type: 'button', className: 'secondary small' }, 'Challenge');
    button.setAttribute('aria-label', `Challenge ${seek.name}`);
    button.addEventListener('click', () => challenge(seek));
    line.append(' ', button);
  }
  return line;
}

/** "Waiting now": the players in the version-2 queues (GET /api/seeks), asked again every few seconds while shown. */
export class SeeksView {
  readonly #list = element('ul', { className: 'seeks-list' });
  readonly #empty = element('p', { className: 'seeks-empty', hidden: true }, 'Nobody is waiting right now.');
  readonly element = element(
    'section',
    { className: 'seeks', 'aria-label': 'Waiting now', hidden: true },
    element('h2', {}, 'Waiting now'),
    this.#list,
    this.#empty,
  );
  #timer: number | undefined;
  #asking = false;
  #challenge: ((seek: Seek) => void) | undefined;
  #me: string | undefined;
  #seeks: readonly Seek[] = [];

  /** Shows the list and keeps it fresh, or hides it and stops asking. */
  setShown(shown: boolean): void {
    this.element.hidden = !shown;
    if (!shown) {
      this.stop();
      return;
    }
    if (this.#timer !== undefined) return;
    this.#refresh();
    this.#timer = window.setInterval(() => this.#refresh(), REFRESH_MS);
  }

  /** A Challenge button beside each player but `me` (logged in, in the lobby), or none; it challenges at the player's time control. */
  setChallenge(challenge: ((seek: Seek) => void) | undefined, me: string | undefined): void {
    if (challenge === this.#challenge && me === this.#me) return;
    this.#challenge = challenge;
    this.#me = me;
    this.#draw(this.#seeks);
  }

  stop(): void {
    if (this.#timer !== undefined) window.clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #refresh(): void {
    if (this.#asking) return;
    this.#asking = true;
    getJson<SeekList>('/api/seeks')
      .then(
        (answer) => this.#draw(answer.seeks),
        () => undefined,
      )
      .finally(() => {
        this.#asking = false;
      });
  }

  #draw(seeks: readonly Seek[]): void {
    this.#seeks = seeks;
    this.#list.replaceChildren(
      ...seeks.map((seek) => seekLine(seek, seek.name === this.#me ? undefined : this.#challenge)),
    );
    this.#list.hidden = seeks.length === 0;
    this.#empty.hidden = seeks.length > 0;
  }
}
