import {
  CHALLENGE_SECONDS,
  ChallengeDeclinedReason,
  INVITE_SECONDS,
  InviteRefusedReason,
  type MessageOfType,
} from '../../protocol/index.js';
import type { Clock } from '../clock.js';
import type { TimeControl } from './time-control.js';

/** After a decline, the same challenger may not challenge the same player again for this long. */
export const DECLINE_COOL_OFF_MS = 30_000;
export const CHALLENGE_MS = CHALLENGE_SECONDS * 1000;
export const INVITE_MS = INVITE_SECONDS * 1000;

/** What the maker of a challenge or an invite chose: the colour is the maker's (0 Black, 1 White, 2 random). */
export interface OfferTerms {
  readonly timeControl: TimeControl;
  readonly colour: number;
  readonly rated: boolean;
  /** 0 the standard start, 1 a three-move ballot. */
  readonly opening: number;
}

/** A player as an offer names them. */
export interface OfferParty {
  readonly accountId: number;
  readonly name: string;
  /** The standard rating shown to the challenged player (0 for a guest). */
  readonly rating: number;
}

export interface Challenge {
  readonly id: number;
  readonly from: OfferParty;
  readonly to: OfferParty;
  readonly terms: OfferTerms;
}

export interface Invite {
  readonly code: string;
  readonly maker: OfferParty;
  readonly terms: OfferTerms;
}

type OfferMessage = MessageOfType<
  'ChallengeOffered' | 'ChallengeGone' | 'ChallengeDeclined' | 'InviteCreated' | 'InviteRefused'
>;

/** Messages for players, by account; the caller delivers them to whoever of them is online. */
export type Outbox = ReadonlyArray<{ readonly accountId: number; readonly message: OfferMessage }>;

export type JoinResult =
  | { readonly kind: 'joined'; readonly invite: Invite }
  | { readonly kind: 'refused'; readonly reason: number };

type OpenOffer =
  | { readonly kind: 'challenge'; readonly challenge: Challenge; readonly cancel: () => void }
  | { readonly kind: 'invite'; readonly invite: Invite; readonly cancel: () => void };

/**
 * Challenges and invite links, pure on the injected Clock (docs/PROTOCOL.md
 * 12.7): one open offer per player (a new one replaces the old), a
 * challenge expires after 60 s and an invite after 600 s, an invite is used
 * once, and after a decline the same challenger's next challenge to the
 * same player within 30 s is declined at once. The caller checks who is
 * online and busy, and starts the games; this book only says who hears what.
 * Offers are held in memory: a restart forgets them.
 */
export class OfferBook {
  /** Each player's own open offer, by account. */
  readonly #open = new Map<number, OpenOffer>();
  readonly #challenges = new Map<number, Challenge>();
  readonly #invites = new Map<string, Invite>();
  /** When a player last declined a challenger: `${challenger}:${challenged}` -> the time. */
  readonly #declined = new Map<string, number>();
  #nextId = 1;

  constructor(
    private readonly clock: Clock,
    /** A timer fired (an offer expired): deliver this. */
    private readonly onExpiry: (outbox: Outbox) => void,
  ) {}

  /** How many challenges and invites are open (for tests and metrics). */
  get size(): number {
    return this.#open.size;
  }

  /**
   * `from` challenges `to`, who is online, not busy and may be challenged
   * (the caller checked). Replaces `from`'s open offer. Declined at once when
   * `to` declined `from` within the last 30 s.
   */
  challenge(from: OfferParty, to: OfferParty, terms: OfferTerms): Outbox {
    const outbox = [...this.end(from.accountId)];
    const declinedAt = this.#declined.get(declineKey(from.accountId, to.accountId));
    if (declinedAt !== undefined && this.clock.now() - declinedAt < DECLINE_COOL_OFF_MS) {
      outbox.push(declined(from.accountId, ChallengeDeclinedReason.Declined));
      return outbox;
    }
    const challenge: Challenge = { id: this.#nextId++, from, to, terms };
    if (this.#nextId > 0xffffffff) this.#nextId = 1;
    const cancel = this.clock.after(CHALLENGE_MS, () => {
      if (this.#challenges.get(challenge.id) !== challenge) return;
      this.#remove(from.accountId);
      this.onExpiry([gone(challenge), declined(from.accountId, ChallengeDeclinedReason.NotAnswered)]);
    });
    this.#challenges.set(challenge.id, challenge);
    this.#open.set(from.accountId, { kind: 'challenge', challenge, cancel });
    outbox.push({ accountId: to.accountId, message: offered(challenge) });
    return outbox;
  }

  /** The open challenge `id` made to `accountId`, if any (an id that is gone, or not theirs, is none). */
  challengeTo(accountId: number, id: number): Challenge | undefined {
    const challenge = this.#challenges.get(id);
    return challenge?.to.accountId === accountId ? challenge : undefined;
  }

  /** `accountId` declines challenge `id`: the challenger hears it, and may not ask again for 30 s. */
  decline(accountId: number, id: number): Outbox {
    const challenge = this.challengeTo(accountId, id);
    if (!challenge) return [];
    this.#remove(challenge.from.accountId);
    this.#forgetOldDeclines();
    this.#declined.set(declineKey(challenge.from.accountId, accountId), this.clock.now());
    return [declined(challenge.from.accountId, ChallengeDeclinedReason.Declined)];
  }

  /** `accountId` accepts challenge `id`: it is taken off the book (the caller starts the game). */
  accept(accountId: number, id: number): Challenge | undefined {
    const challenge = this.challengeTo(accountId, id);
    if (challenge) this.#remove(challenge.from.accountId);
    return challenge;
  }

  /** `maker` makes an invite with `code` (16 random bytes, as hex); replaces their open offer. */
  createInvite(maker: OfferParty, terms: OfferTerms, code: Uint8Array): Outbox {
    const outbox = [...this.end(maker.accountId)];
    const invite: Invite = { code: codeKey(code), maker, terms };
    const cancel = this.clock.after(INVITE_MS, () => {
      if (this.#invites.get(invite.code) === invite) this.#remove(maker.accountId);
    });
    this.#invites.set(invite.code, invite);
    this.#open.set(maker.accountId, { kind: 'invite', invite, cancel });
    outbox.push({ accountId: maker.accountId, message: { type: 'InviteCreated', code, validSeconds: INVITE_SECONDS } });
    return outbox;
  }

  /** The invite with this code, if it is open. */
  invite(code: Uint8Array): Invite | undefined {
    return this.#invites.get(codeKey(code));
  }

  /**
   * `joiner` opens the invite `code`: unknown, used or expired (0), or their
   * own (2); otherwise it is used up and the caller starts the game (after
   * its own checks: the maker online and free, a guest and a rated invite).
   */
  join(joiner: OfferParty, code: Uint8Array): JoinResult {
    const invite = this.invite(code);
    if (!invite) return { kind: 'refused', reason: InviteRefusedReason.Unknown };
    if (invite.maker.accountId === joiner.accountId) return { kind: 'refused', reason: InviteRefusedReason.OwnInvite };
    this.#remove(invite.maker.accountId);
    return { kind: 'joined', invite };
  }

  /**
   * `accountId`'s own offer ends (WithdrawOffer, Seek, PlayComputer, a new
   * offer, leaving): a challenged player hears ChallengeGone; the maker hears nothing.
   */
  end(accountId: number): Outbox {
    const open = this.#remove(accountId);
    return open?.kind === 'challenge' ? [gone(open.challenge)] : [];
  }

  /**
   * A game of `accountId` starts: their own offer ends, and every challenge
   * made to them is declined as busy (reason 2).
   */
  gameStarted(accountId: number): Outbox {
    return [...this.end(accountId), ...this.#declineAllTo(accountId, ChallengeDeclinedReason.Busy)];
  }

  /**
   * `accountId` is gone for good (LogOut, a grace that ran out): their offer
   * ends, and the challenges made to them are declined as "not online" (reason 1).
   */
  left(accountId: number): Outbox {
    return [...this.end(accountId), ...this.#declineAllTo(accountId, ChallengeDeclinedReason.NotOnline)];
  }

  /**
   * `accountId`'s connection dropped: a challenge of theirs ends (the one
   * challenged could not start the game), and those made to them are
   * declined as "not online"; an invite stays, for the maker to come back to.
   */
  dropped(accountId: number): Outbox {
    const own = this.#open.get(accountId);
    const outbox = own?.kind === 'challenge' ? this.end(accountId) : [];
    return [...outbox, ...this.#declineAllTo(accountId, ChallengeDeclinedReason.NotOnline)];
  }

  /** Shutdown: every offer ends silently. */
  clear(): void {
    for (const accountId of [...this.#open.keys()]) this.#remove(accountId);
    this.#declined.clear();
  }

  #declineAllTo(accountId: number, reason: number): Outbox {
    const outbox: { accountId: number; message: OfferMessage }[] = [];
    for (const challenge of [...this.#challenges.values()]) {
      if (challenge.to.accountId !== accountId) continue;
      this.#remove(challenge.from.accountId);
      outbox.push(declined(challenge.from.accountId, reason));
    }
    return outbox;
  }

  #remove(accountId: number): OpenOffer | undefined {
    const open = this.#open.get(accountId);
    if (!open) return undefined;
    open.cancel();
    this.#open.delete(accountId);
    if (open.kind === 'challenge') this.#challenges.delete(open.challenge.id);
    else this.#invites.delete(open.invite.code);
    return open;
  }

  /** Declines older than the cool-off matter no more: the map holds only the last 30 s of them. */
  #forgetOldDeclines(): void {
    const now = this.clock.now();
    for (const [key, at] of this.#declined) if (now - at >= DECLINE_COOL_OFF_MS) this.#declined.delete(key);
  }
}

/** The colour the challenged player would play, from the challenger's choice (random stays random). */
export function receiverColour(makerColour: number): number {
  return makerColour === 2 ? 2 : 1 - makerColour;
}

function offered(challenge: Challenge): MessageOfType<'ChallengeOffered'> {
  const { terms } = challenge;
  return {
    type: 'ChallengeOffered',
    challengeId: challenge.id,
    challenger: challenge.from.name,
    challengerRating: challenge.from.rating,
    initialSeconds: terms.timeControl.initialSeconds,
    incrementSeconds: terms.timeControl.incrementSeconds,
    colour: receiverColour(terms.colour),
    rated: terms.rated,
    opening: terms.opening,
  };
}

function gone(challenge: Challenge): { accountId: number; message: OfferMessage } {
  return { accountId: challenge.to.accountId, message: { type: 'ChallengeGone', challengeId: challenge.id } };
}

function declined(accountId: number, reason: number): { accountId: number; message: OfferMessage } {
  return { accountId, message: { type: 'ChallengeDeclined', reason } };
}

function declineKey(challenger: number, challenged: number): string {
  return `${challenger}:${challenged}`;
}

function codeKey(code: Uint8Array): string {
  return Buffer.from(code).toString('hex');
}
