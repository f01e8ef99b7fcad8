import type { LineAction2 } from './commands.js';
import {
  announceChallenge,
  CHALLENGE_SECONDS,
  challengeDeclinedText,
  colourValue,
  describeChoices,
  type GameChoices,
  IncomingChallenges,
  inviteCodeHex,
  inviteRefusedText,
  inviteUrl,
  openingValue,
  readInviteCode,
  readPlayerName,
  type ServerPlace,
} from './friends.js';
import { describeTimeControl, type TimeControl } from './time-control.js';

export type FriendAction = Extract<
  LineAction2,
  { readonly kind: 'challenge' | 'answer-challenge' | 'withdraw' | 'invite' | 'join' }
>;

/* The fields of the protocol's challenge and invite messages (docs/PROTOCOL.md section 12) the desk reads and writes. */

export interface ChallengeOfferedFields {
  readonly challengeId: number;
  readonly challenger: string;
  readonly challengerRating: number;
  readonly initialSeconds: number;
  readonly incrementSeconds: number;
  readonly colour: number;
  readonly rated: boolean;
  readonly opening: number;
}

export type OfferRequest =
  | {
      readonly type: 'Challenge';
      readonly opponent: string;
      readonly initialSeconds: number;
      readonly incrementSeconds: number;
      readonly colour: number;
      readonly rated: boolean;
      readonly opening: number;
    }
  | {
      readonly type: 'CreateInvite';
      readonly initialSeconds: number;
      readonly incrementSeconds: number;
      readonly colour: number;
      readonly rated: boolean;
      readonly opening: number;
    }
  | { readonly type: 'JoinInvite'; readonly code: Uint8Array }
  | { readonly type: 'AnswerChallenge'; readonly challengeId: number; readonly accept: boolean }
  | { readonly type: 'WithdrawOffer' };

export interface OfferDeskHost {
  say(...lines: string[]): void;
  /** Sends the message if the protocol allows it now (true); otherwise says why not (false). */
  send(message: OfferRequest): boolean;
}

export interface OfferDeskSettings {
  readonly self: string;
  readonly choices: GameChoices;
  /** Where the client is connected, for the invite's link; without it only the code is shown. */
  readonly place?: ServerPlace | undefined;
}

/** This player's own open offer: one at a time (a new one replaces it on the server). */
type OwnOffer =
  | { readonly kind: 'challenge'; readonly name: string }
  | { readonly kind: 'invite-asked'; readonly terms: string }
  | { readonly kind: 'invite'; readonly hex: string }
  | { readonly kind: 'joining' }
  /** This player accepted a challenge: the game starts next. */
  | { readonly kind: 'accepted'; readonly name: string };

/**
 * The terminal's desk for playing a friend: challenges made to this player
 * and this player's own challenge, invite or join, with what each answer of
 * the server means in words. It keeps no connection: the host sends.
 */
export class OfferDesk {
  readonly #incoming = new IncomingChallenges();
  #own: OwnOffer | undefined;

  constructor(
    private readonly host: OfferDeskHost,
    private readonly settings: OfferDeskSettings,
  ) {}

  /** Challenges made to this player and not answered yet. */
  get challengesOpen(): number {
    return this.#incoming.size;
  }

  /** What the player waits for, for the prompt; undefined when nothing. */
  get waiting(): string | undefined {
    switch (this.#own?.kind) {
      case 'challenge':
        return `Waiting for ${this.#own.name} to answer your challenge (type withdraw to call it off)`;
      case 'invite-asked':
      case 'invite':
        return 'Waiting for your friend to join your invite (type withdraw to call it off)';
      case 'joining':
        return 'Joining the invite';
      default:
        return undefined;
    }
  }

  /** A command typed at the prompt (commands.ts reads it). */
  act(action: FriendAction, timeControl: TimeControl): void {
    switch (action.kind) {
      case 'challenge':
        this.challenge(action.name, timeControl);
        return;
      case 'answer-challenge':
        this.answer(action.accept, action.id);
        return;
      case 'withdraw':
        this.withdraw();
        return;
      case 'invite':
        this.invite(timeControl);
        return;
      case 'join':
        this.join(action.code);
        return;
    }
  }

  challenge(text: string, timeControl: TimeControl): void {
    const reading = readPlayerName(text);
    if (!reading.ok) {
      this.host.say(`Not sent: ${reading.reason}.`);
      return;
    }
    const name = reading.value;
    if (name.toLowerCase() === this.settings.self.toLowerCase()) {
      this.host.say('You cannot challenge yourself: challenge another player, or make an invite for a friend.');
      return;
    }
    const { choices } = this.settings;
    const sent = this.host.send({
      type: 'Challenge',
      opponent: name,
      ...timeControl,
      colour: colourValue(choices.colour),
      rated: choices.rated,
      opening: openingValue(choices.opening),
    });
    if (!sent) return;
    const replaced = this.#replacing();
    this.#own = { kind: 'challenge', name };
    this.host.say(
      `${replaced}You challenge ${name} (${describeChoices(describeTimeControl(timeControl), choices)}); they have ${CHALLENGE_SECONDS} s to answer. Type withdraw to call it off.`,
    );
  }

  invite(timeControl: TimeControl): void {
    const { choices } = this.settings;
    const sent = this.host.send({
      type: 'CreateInvite',
      ...timeControl,
      colour: colourValue(choices.colour),
      rated: choices.rated,
      opening: openingValue(choices.opening),
    });
    if (!sent) return;
    const replaced = this.#replacing();
    this.#own = { kind: 'invite-asked', terms: describeChoices(describeTimeControl(timeControl), choices) };
    if (replaced) this.host.say(replaced.trim());
  }

  join(text: string): void {
    const reading = readInviteCode(text);
    if (!reading.ok) {
      this.host.say(`Not sent: ${reading.reason}.`);
      return;
    }
    if (!this.host.send({ type: 'JoinInvite', code: reading.value })) return;
    // Joining starts a game or is refused; an offer of our own stays open if refused.
    this.host.say('Joining the invite...');
    if (!this.#own) this.#own = { kind: 'joining' };
  }

  answer(accept: boolean, idText: string | undefined): void {
    const picked = this.#incoming.pick(idText, accept ? 'accept' : 'decline');
    if (!picked.ok) {
      this.host.say(picked.reason);
      return;
    }
    const { id, challenger } = picked.value;
    if (!this.host.send({ type: 'AnswerChallenge', challengeId: id, accept })) return;
    this.#incoming.remove(id);
    if (accept) this.#own = { kind: 'accepted', name: challenger };
    this.host.say(accept ? `You accept ${challenger}'s challenge.` : `You decline ${challenger}'s challenge.`);
  }

  withdraw(): void {
    const own = this.#own;
    if (!own || own.kind === 'joining' || own.kind === 'accepted') {
      this.host.say('You have no open challenge or invite to withdraw.');
      return;
    }
    if (!this.host.send({ type: 'WithdrawOffer' })) return;
    this.#own = undefined;
    this.host.say(
      own.kind === 'challenge'
        ? `You withdraw your challenge to ${own.name}.`
        : 'You withdraw your invite: it no longer starts a game.',
    );
  }

  /** ChallengeOffered. */
  offered(message: ChallengeOfferedFields): void {
    const challenge = {
      id: message.challengeId,
      challenger: message.challenger,
      rating: message.challengerRating,
      timeControl: describeTimeControl(message),
      colour: message.colour,
      rated: message.rated,
      opening: message.opening,
    };
    this.#incoming.add(challenge);
    this.host.say(...announceChallenge(challenge, this.#incoming.size));
  }

  /** ChallengeGone: an offer made to this player is off. */
  gone(challengeId: number): void {
    const challenge = this.#incoming.remove(challengeId);
    if (challenge) {
      this.host.say(`${challenge.challenger}'s challenge is off: withdrawn, expired, or ${challenge.challenger} left.`);
    }
  }

  /** ChallengeDeclined: the answer to this player's challenge. */
  declined(reason: number): void {
    const own = this.#own;
    const name = own?.kind === 'challenge' ? own.name : 'The player';
    if (own?.kind === 'challenge') this.#own = undefined;
    this.host.say(challengeDeclinedText(reason, name));
  }

  /** InviteCreated: the code to give a friend. */
  inviteCreated(code: Uint8Array, validSeconds: number): void {
    const terms = this.#own?.kind === 'invite-asked' ? ` (${this.#own.terms})` : '';
    const hex = inviteCodeHex(code);
    this.#own = { kind: 'invite', hex };
    const minutes = Math.round(validSeconds / 60);
    const { place } = this.settings;
    this.host.say(
      `Your invite${terms} is valid for ${minutes} minute${minutes === 1 ? '' : 's'}, for one game.`,
      ...(place ? ['A friend opens this link in a browser:', `  ${inviteUrl(code, place)}`] : []),
      `or, in a terminal, runs checkers-client --join ${hex} (or types join ${hex}).`,
      'Waiting for your friend; type withdraw to call it off.',
    );
  }

  /** InviteRefused: the answer to this player's JoinInvite. */
  inviteRefused(reason: number): void {
    if (this.#own?.kind === 'joining') this.#own = undefined;
    this.host.say(inviteRefusedText(reason));
  }

  /**
   * A game starts: every offer of this player's ends, and so do the ones made
   * to them (the server declines those as busy). The line that says how the game came about, if it did from here.
   */
  gameStarted(opponent: string): string | undefined {
    const own = this.#own;
    this.#own = undefined;
    this.#incoming.clear();
    if (own?.kind === 'challenge' && own.name.toLowerCase() === opponent.toLowerCase()) {
      return `${opponent} accepted your challenge.`;
    }
    if (own?.kind === 'invite') return `${opponent} joined your invite.`;
    if (own?.kind === 'joining') return `You joined ${opponent}'s invite.`;
    if (own?.kind === 'accepted') return `The game of ${opponent}'s challenge begins.`;
    return undefined;
  }

  /** Seek, PlayComputer or LogOut ended this player's own offer on the server. */
  ownEnded(): void {
    this.#own = undefined;
  }

  /** The words for an offer replaced by a new one, before the new one's. */
  #replacing(): string {
    const own = this.#own;
    if (own?.kind === 'challenge') return `Your challenge to ${own.name} is off. `;
    if (own?.kind === 'invite') return 'Your earlier invite is off. ';
    return '';
  }
}
