import type { ChallengeOffer, Friends } from './friends.js';
import { readInviteCode } from './friends.js';
import type { GameChoices } from './game-choices.js';
import type { StandardLink, StandardLinkEvents } from './standard-link.js';

/** What the player asked for before logging in, done once logged in. */
export type AfterLogin =
  | { readonly kind: 'seek' }
  | { readonly kind: 'computer'; readonly level: number }
  | { readonly kind: 'invite' }
  | { readonly kind: 'join'; readonly code: string };

/** What the friends commands need of the session they belong to. */
export interface FriendsHost {
  link(): StandardLink | undefined;
  /** In the lobby or at a game's end, with no question to the computer open: an offer may be made or taken. */
  mayOffer(): boolean;
  choices(): GameChoices;
  now(): number;
  /** Shows `status` (when given) and the new state. */
  say(status: string | undefined): void;
}

type FriendsEvents = Pick<
  StandardLinkEvents,
  'challengeOffered' | 'challengeGone' | 'challengeDeclined' | 'inviteCreated' | 'inviteRefused'
>;

/**
 * Challenges and invite links on a logged-in version-2 connection: the
 * commands the page calls and the server's answers, kept in `friends`.
 */
export class FriendsSession {
  constructor(
    private readonly friends: Friends,
    private readonly host: FriendsHost,
  ) {}

  /** The link's events for this part; `current` says whether the link is still the session's. */
  events(current: () => boolean): FriendsEvents {
    return {
      challengeOffered: (offer) => current() && this.#offered(offer),
      challengeGone: (id) => current() && this.friends.gone(id) && this.host.say(undefined),
      challengeDeclined: (reason) => current() && this.host.say(this.friends.declined(reason)),
      inviteCreated: (invite) => current() && this.#inviteCreated(invite.code, invite.validSeconds),
      inviteRefused: (reason) => current() && this.host.say(this.friends.inviteRefused(reason)),
    };
  }

  createInvite(): void {
    const link = this.host.link();
    if (!this.host.mayOffer() || !link?.canSend('CreateInvite')) return;
    const choices = this.host.choices();
    link.createInvite(choices);
    this.friends.inviteAsked(choices);
    this.host.say('Asking the server for an invite link…');
  }

  joinInvite(codeText: string): void {
    const code = readInviteCode(codeText);
    if (!code) {
      this.friends.notice = 'That is not an invite link: it ends in 32 hex digits. Ask your friend to copy it again.';
      this.host.say(undefined);
      return;
    }
    const link = this.host.link();
    if (!this.host.mayOffer() || !link?.canSend('JoinInvite')) {
      this.friends.notice = 'Finish your game, or leave the queue, before you accept the invite.';
      this.host.say(undefined);
      return;
    }
    link.joinInvite(code);
    this.friends.notice = undefined;
    this.host.say('Joining the invite…');
  }

  challenge(opponent: string): void {
    const name = opponent.trim();
    const link = this.host.link();
    if (!name) {
      this.friends.notice = 'Type the name of the player to challenge.';
      this.host.say(undefined);
      return;
    }
    if (!this.host.mayOffer() || !link?.canSend('Challenge')) return;
    const choices = this.host.choices();
    link.challenge(name, choices);
    this.friends.challenged(name, choices);
    this.host.say(`You challenged ${name}: waiting for the answer (a minute at most).`);
  }

  /** Returns whether the answer was sent. */
  answerChallenge(id: number, accept: boolean): boolean {
    const link = this.host.link();
    if (!link?.canSend('AnswerChallenge')) return false;
    const offer = this.friends.answered(id);
    if (!offer) return false;
    link.answerChallenge(id, accept);
    this.host.say(
      accept ? `You accepted ${offer.from}'s challenge: the game starts.` : `You declined ${offer.from}'s challenge.`,
    );
    return true;
  }

  withdrawOffer(): void {
    const link = this.host.link();
    if (!this.friends.open || !link?.canSend('WithdrawOffer')) return;
    link.withdrawOffer();
    this.friends.withdrawn();
    this.host.say('You withdrew your offer.');
  }

  #offered(offer: ChallengeOffer): void {
    this.host.say(this.friends.offered(offer));
  }

  #inviteCreated(code: Uint8Array, validSeconds: number): void {
    this.friends.inviteCreated(code, validSeconds, this.host.now());
    this.host.say(
      `Your invite link is ready: send it to a friend. It works once, for ${Math.round(validSeconds / 60)} minutes.`,
    );
  }
}
