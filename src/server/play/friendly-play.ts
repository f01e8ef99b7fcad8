import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { drawOpening } from '../../game/opening-draw.js';
import { type Opening, THREE_MOVE_OPENINGS } from '../../game/openings.js';
import {
  ChallengeDeclinedReason,
  InviteRefusedReason,
  type MessageOfType,
  OfferColour,
  OpeningChoice,
} from '../../protocol/index.js';
import type { Clock } from '../clock.js';
import { wireRating } from '../domain/rating.js';
import type { PlayOutcome } from '../session.js';
import { OfferBook, type OfferParty, type OfferTerms, type Outbox } from './offer-book.js';
import type { StandardLink } from './standard-play.js';
import { isSupportedTimeControl, type TimeControl } from './time-control.js';

/** The messages of challenges and invite links. */
export type FriendlyMessage = MessageOfType<
  'Challenge' | 'AnswerChallenge' | 'WithdrawOffer' | 'CreateInvite' | 'JoinInvite'
>;

export const FRIENDLY_MESSAGES: ReadonlySet<string> = new Set([
  'Challenge',
  'AnswerChallenge',
  'WithdrawOffer',
  'CreateInvite',
  'JoinInvite',
]);

export interface FriendlyPlayOptions<L extends StandardLink> {
  readonly clock: Clock;
  readonly log: Logger;
  /** How long a dropped maker's invite waits for them to come back. */
  readonly graceMs: number;
  /** Everyone online, by account (version-1 logins included: they cannot be challenged). */
  readonly online: () => ReadonlyMap<number, L>;
  readonly hasGame: (accountId: number) => boolean;
  /** Out of the queue and away from a game's end (a rematch offer is withdrawn). */
  readonly leaveWaiting: (link: L) => void;
  readonly start: (black: L, white: L, timeControl: TimeControl, rated: boolean, opening?: Opening) => void;
  /** Uniform in [0, 1): random colours and ballots. */
  readonly random?: () => number;
  /** 16 random bytes for an invite code. */
  readonly newCode?: () => Uint8Array;
}

const DONE: PlayOutcome = { kind: 'done' };
const GUESTS_CASUAL: PlayOutcome = { kind: 'protocol-error', reason: 'guests play casual games only' };

/**
 * Challenges by name and invite links over connections (docs/PROTOCOL.md
 * 12.7): the OfferBook keeps the offers and their timers; this class checks
 * who is online and free, delivers what the book says to whoever is online,
 * and starts the game an accepted challenge or a joined invite asks for,
 * with the maker's time control, colour (a random one drawn here), rated
 * flag and opening (a three-move ballot drawn here).
 */
export class FriendlyPlay<L extends StandardLink> {
  readonly #book: OfferBook;
  /** A dropped maker's invite ends unless they come back within the grace. */
  readonly #away = new Map<number, () => void>();
  readonly #random: () => number;
  readonly #newCode: () => Uint8Array;

  constructor(private readonly options: FriendlyPlayOptions<L>) {
    this.#book = new OfferBook(options.clock, (outbox) => this.#send(outbox));
    this.#random = options.random ?? Math.random;
    this.#newCode = options.newCode ?? (() => new Uint8Array(randomBytes(16)));
  }

  /** Open challenges and invites. */
  get openOffers(): number {
    return this.#book.size;
  }

  handle(link: L, message: FriendlyMessage): PlayOutcome {
    switch (message.type) {
      case 'Challenge':
        return this.#challenge(link, message);
      case 'AnswerChallenge':
        this.#answer(link, message.challengeId, message.accept);
        return DONE;
      case 'WithdrawOffer':
        this.#send(this.#book.end(link.accountId));
        return DONE;
      case 'CreateInvite':
        return this.#createInvite(link, message);
      case 'JoinInvite':
        this.#join(link, message.code);
        return DONE;
    }
  }

  /** Seek or PlayComputer: the player's own offer ends. */
  endOffer(link: L): void {
    this.#send(this.#book.end(link.accountId));
  }

  /** Any game of the account starts: its offer ends, challenges to it are declined (busy). */
  gameStarted(accountId: number): void {
    this.#send(this.#book.gameStarted(accountId));
  }

  /** LogOut, a protocol error, a removed account: gone for good. */
  left(link: L): void {
    this.#comeBack(link.accountId);
    this.#send(this.#book.left(link.accountId));
  }

  /** The connection dropped: a challenge ends; an invite waits for the maker for the grace. */
  dropped(link: L): void {
    this.#send(this.#book.dropped(link.accountId));
    this.#comeBack(link.accountId);
    const cancel = this.options.clock.after(this.options.graceMs, () => {
      this.#away.delete(link.accountId);
      if (!this.#onlineLink(link.accountId)) this.#send(this.#book.left(link.accountId));
    });
    this.#away.set(link.accountId, cancel);
  }

  /** The player logged in again: a kept invite is theirs again. */
  back(link: L): void {
    this.#comeBack(link.accountId);
  }

  /** Shutdown: offers end silently (invites are held in memory only). */
  clear(): void {
    for (const cancel of this.#away.values()) cancel();
    this.#away.clear();
    this.#book.clear();
  }

  #comeBack(accountId: number): void {
    this.#away.get(accountId)?.();
    this.#away.delete(accountId);
  }

  #challenge(link: L, message: MessageOfType<'Challenge'>): PlayOutcome {
    const terms = termsOf(message);
    if (!terms) return unsupported(message);
    if (terms.rated && link.guest) return GUESTS_CASUAL;
    this.options.leaveWaiting(link);
    const opponent = this.#findByName(message.opponent);
    const refuse = (reason: number) => {
      this.#send(this.#book.end(link.accountId));
      link.deliver({ type: 'ChallengeDeclined', reason });
    };
    if (!opponent || opponent.version === 1) refuse(ChallengeDeclinedReason.NotOnline);
    else if (opponent.accountId === link.accountId || (terms.rated && opponent.guest))
      refuse(ChallengeDeclinedReason.NotPossible);
    else if (this.options.hasGame(opponent.accountId)) refuse(ChallengeDeclinedReason.Busy);
    else this.#send(this.#book.challenge(party(link), party(opponent), terms));
    return DONE;
  }

  #answer(link: L, id: number, accept: boolean): void {
    if (!accept) {
      this.#send(this.#book.decline(link.accountId, id));
      return;
    }
    const challenge = this.#book.accept(link.accountId, id);
    if (!challenge) return;
    const challenger = this.#onlineLink(challenge.from.accountId);
    if (!challenger || this.options.hasGame(challenger.accountId)) return;
    this.#startOffered(challenger, link, challenge.terms);
  }

  #createInvite(link: L, message: MessageOfType<'CreateInvite'>): PlayOutcome {
    const terms = termsOf(message);
    if (!terms) return unsupported(message);
    if (terms.rated && link.guest) return GUESTS_CASUAL;
    this.options.leaveWaiting(link);
    this.#send(this.#book.createInvite(party(link), terms, this.#newCode()));
    return DONE;
  }

  #join(link: L, code: Uint8Array): void {
    const invite = this.#book.invite(code);
    const maker = invite && this.#onlineLink(invite.maker.accountId);
    let reason: number | undefined;
    if (invite && invite.maker.accountId !== link.accountId) {
      if (invite.terms.rated && link.guest) reason = InviteRefusedReason.RatedNeedsAccount;
      else if (!maker || this.options.hasGame(invite.maker.accountId)) reason = InviteRefusedReason.MakerGone;
    }
    if (reason !== undefined) {
      link.deliver({ type: 'InviteRefused', reason });
      return;
    }
    const joined = this.#book.join(party(link), code);
    if (joined.kind === 'refused' || !maker) {
      link.deliver({ type: 'InviteRefused', reason: joined.kind === 'refused' ? joined.reason : 0 });
      return;
    }
    this.#startOffered(maker, link, joined.invite.terms);
  }

  /** The game the maker offered, against the one who took it. */
  #startOffered(maker: L, taker: L, terms: OfferTerms): void {
    this.options.leaveWaiting(maker);
    this.options.leaveWaiting(taker);
    const makerBlack = terms.colour === OfferColour.Random ? this.#random() < 0.5 : terms.colour === OfferColour.Black;
    const opening =
      terms.opening === OpeningChoice.ThreeMove ? drawOpening(THREE_MOVE_OPENINGS, this.#random) : undefined;
    const [black, white] = makerBlack ? [maker, taker] : [taker, maker];
    this.options.log.info(
      { maker: maker.name, taker: taker.name, rated: terms.rated, opening: opening?.name },
      'friendly game agreed',
    );
    this.options.start(black, white, terms.timeControl, terms.rated, opening);
  }

  #findByName(name: string): L | undefined {
    const wanted = name.toLowerCase();
    for (const link of this.options.online().values()) if (link.name.toLowerCase() === wanted) return link;
    return undefined;
  }

  #onlineLink(accountId: number): L | undefined {
    const link = this.options.online().get(accountId);
    return link && link.version !== 1 ? link : undefined;
  }

  #send(outbox: Outbox): void {
    for (const { accountId, message } of outbox) this.#onlineLink(accountId)?.deliver(message);
  }
}

function termsOf(message: MessageOfType<'Challenge' | 'CreateInvite'>): OfferTerms | undefined {
  const timeControl = { initialSeconds: message.initialSeconds, incrementSeconds: message.incrementSeconds };
  if (!isSupportedTimeControl(timeControl)) return undefined;
  return { timeControl, colour: message.colour, rated: message.rated, opening: message.opening };
}

function unsupported(message: MessageOfType<'Challenge' | 'CreateInvite'>): PlayOutcome {
  return {
    kind: 'protocol-error',
    reason: `unsupported time control ${message.initialSeconds}+${message.incrementSeconds} s`,
  };
}

function party(link: StandardLink): OfferParty {
  return { accountId: link.accountId, name: link.name, rating: link.guest ? 0 : wireRating(link.rating.rating) };
}
