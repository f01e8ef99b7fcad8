import { isGuestName } from '../community/player-name.js';
import { element } from '../shell/shell.js';
import { type ChallengeOffer, choicesWords, countdownText, inviteUrl, type OpenOffer } from './friends.js';
import type { PlayCommands, PlayView } from './play-commands.js';

/**
 * Playing a friend (version 2): "Create an invite link", a challenge by
 * name, the challenges made to this player with Accept and Decline, and this
 * player's open offer (the link with Copy, its countdown, Withdraw).
 */
export class FriendsView {
  readonly #invite = element('button', { type: 'button', className: 'create-invite' }, 'Create an invite link');
  readonly #inviteNote = element('p', { className: 'action-note' });
  readonly #name = element('input', {
    id: 'challenge-name',
    name: 'challenge-name',
    autocomplete: 'off',
    maxlength: 16,
    spellcheck: 'false',
  });
  readonly #challengeForm: HTMLFormElement;
  readonly #incoming = element('ul', { className: 'challenges', 'aria-label': 'Challenges to you' });
  readonly #open = element('div', { className: 'open-offer', role: 'group', 'aria-label': 'Your offer' });
  readonly #notice = element('p', { className: 'friends-notice', role: 'alert' });
  readonly #countdown = element('span', { className: 'countdown' });
  #shownOffer = '';
  #expiresAt: number | undefined;
  #ticker: number | undefined;
  /** The invite and challenge actions, placed among the page's other ways to start a game. */
  readonly actions: HTMLElement;
  /** Offers made to and by this player. */
  readonly offers: HTMLElement;

  constructor(private readonly session: PlayCommands) {
    this.#invite.addEventListener('click', () => session.createInvite());
    this.#challengeForm = element(
      'form',
      { className: 'challenge-form' },
      element('label', { for: 'challenge-name' }, 'Challenge a player by name'),
      this.#name,
      element('button', { type: 'submit' }, 'Challenge'),
    );
    this.#challengeForm.addEventListener('submit', (event) => {
      event.preventDefault();
      session.challenge(this.#name.value);
    });
    this.actions = element(
      'div',
      { className: 'friend-actions' },
      element('div', { className: 'action' }, this.#invite, this.#inviteNote),
      this.#challengeForm,
    );
    this.offers = element(
      'section',
      { className: 'offers', 'aria-label': 'Offers' },
      this.#notice,
      this.#incoming,
      this.#open,
    );
  }

  draw(view: PlayView): void {
    const friends = view.friends;
    const loggedOut = view.phase === 'login' || view.phase === 'connecting';
    this.actions.hidden = !friends;
    this.offers.hidden = !friends;
    this.#challengeForm.hidden = loggedOut;
    this.#inviteNote.textContent = loggedOut
      ? 'A link for a friend, as a guest (log in first to play rated).'
      : 'A link a friend opens to play you at once.';
    this.#invite.disabled = friends?.open?.kind === 'invite-asked';
    this.#notice.textContent = friends?.notice ?? '';
    this.#notice.hidden = !friends?.notice;
    this.#incoming.replaceChildren(...(friends?.incoming ?? []).map((offer) => this.#offerLine(offer)));
    this.#incoming.hidden = !friends?.incoming.length;
    this.#drawOpen(friends?.open);
  }

  stop(): void {
    if (this.#ticker !== undefined) window.clearInterval(this.#ticker);
    this.#ticker = undefined;
  }

  #offerLine(offer: ChallengeOffer): HTMLElement {
    const accept = element('button', { type: 'button' }, 'Accept');
    const decline = element('button', { type: 'button', className: 'secondary' }, 'Decline');
    accept.addEventListener('click', () => this.session.answerChallenge(offer.id, true));
    decline.addEventListener('click', () => this.session.answerChallenge(offer.id, false));
    const who = isGuestName(offer.from) ? 'guest' : String(offer.rating);
    return element(
      'li',
      { className: 'challenge-offer', 'data-challenge': offer.id },
      element('span', {}, element('span', { className: 'player-name' }, offer.from), ` (${who}) challenges you: `),
      element('span', {}, choicesWords({ ...offer, control: offer.control }, offer.colour)),
      element('span', { className: 'buttons' }, accept, decline),
    );
  }

  #drawOpen(open: OpenOffer | undefined): void {
    const key = open
      ? open.kind === 'invite'
        ? open.code
        : `${open.kind}:${'opponent' in open ? open.opponent : ''}`
      : '';
    this.#open.hidden = !open;
    if (key === this.#shownOffer) return;
    this.#shownOffer = key;
    this.stop();
    this.#expiresAt = undefined;
    if (!open) {
      this.#open.replaceChildren();
      return;
    }
    const withdraw = element('button', { type: 'button', className: 'secondary' }, 'Withdraw');
    withdraw.addEventListener('click', () => this.session.withdrawOffer());
    if (open.kind === 'invite-asked') {
      this.#open.replaceChildren(element('p', {}, 'Making your invite link…'));
      return;
    }
    if (open.kind === 'challenge') {
      this.#open.replaceChildren(
        element('p', {}, `You challenged ${open.opponent} (${choicesWords(open.choices)}): waiting for the answer.`),
        withdraw,
      );
      return;
    }
    const url = inviteUrl(location.origin, open.code);
    const field = element('input', {
      className: 'invite-link',
      readonly: true,
      'aria-label': 'Invite link',
      value: url,
    });
    const copy = element('button', { type: 'button' }, 'Copy');
    copy.addEventListener('click', () => {
      field.select();
      navigator.clipboard.writeText(url).then(
        () => {
          copy.textContent = 'Copied';
        },
        () => {
          copy.textContent = 'Press Ctrl+C';
        },
      );
    });
    this.#expiresAt = open.expiresAt;
    this.#open.replaceChildren(
      element(
        'p',
        { className: 'invite-words' },
        `Send this link to a friend: whoever opens it first plays you (${choicesWords(open.choices)}).`,
      ),
      element('div', { className: 'invite-row' }, field, copy),
      element('p', { className: 'invite-expiry' }, 'It works once, for ', this.#countdown, ' more. ', withdraw),
    );
    this.#tick();
    this.#ticker = window.setInterval(() => this.#tick(), 1000);
  }

  #tick(): void {
    if (this.#expiresAt === undefined) return;
    const left = this.#expiresAt - Date.now();
    this.#countdown.textContent = countdownText(left);
    if (left <= 0) {
      this.stop();
      this.#open.classList.add('expired');
      this.#open.replaceChildren(
        element('p', {}, 'Your invite link expired unused: create a new one to play a friend.'),
      );
    }
  }
}
