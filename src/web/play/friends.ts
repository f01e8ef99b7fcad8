import { type ColourChoice, colourWords, type GameChoices, type OpeningChoice, openingWords } from './game-choices.js';
import { type TimeControl, timeControlName } from './time-controls.js';

/**
 * Playing a friend (version 2), pure: the challenges made to this player,
 * this player's one open offer (a challenge by name or an invite link), and
 * the server's refusals in words. The session feeds it what the server says
 * and what the player asked for; the page draws it.
 */
export interface ChallengeOffer {
  readonly id: number;
  readonly from: string;
  /** The challenger's standard rating; 0 for a guest. */
  readonly rating: number;
  readonly control: TimeControl;
  /** The colour this player would play. */
  readonly colour: ColourChoice;
  readonly rated: boolean;
  readonly opening: OpeningChoice;
}

export type OpenOffer =
  | { readonly kind: 'challenge'; readonly opponent: string; readonly choices: GameChoices }
  /** CreateInvite sent, InviteCreated not yet received. */
  | { readonly kind: 'invite-asked'; readonly choices: GameChoices }
  | {
      readonly kind: 'invite';
      /** The invite code as 32 lowercase hex digits: the link is `/invite/<code>`. */
      readonly code: string;
      /** When the server forgets it (ms since the epoch, on the page's clock). */
      readonly expiresAt: number;
      readonly choices: GameChoices;
    };

export interface FriendsView {
  readonly incoming: readonly ChallengeOffer[];
  readonly open: OpenOffer | undefined;
  /** The last refusal or answer, in words. */
  readonly notice: string | undefined;
}

/** The address a friend opens to join an invite. */
export function inviteUrl(origin: string, code: string): string {
  return `${origin}/invite/${code}`;
}

/** "3+2, you play Black, casual, standard start". */
export function choicesWords(choices: GameChoices, colourOfReader = choices.colour): string {
  const colour = colourOfReader === 'random' ? 'colours drawn at random' : `you play ${colourWords(colourOfReader)}`;
  return `${timeControlName(choices.control)}, ${colour}, ${choices.rated ? 'rated' : 'casual'}, ${openingWords(choices.opening)}`;
}

/** "9:58": minutes and seconds left. */
export function countdownText(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** ChallengeDeclined reasons, to the challenger. */
export function declinedSentence(reason: number, opponent: string): string {
  switch (reason) {
    case 0:
      return `${opponent} declined your challenge.`;
    case 1:
      return `${opponent} is not online (or plays with an older client, which cannot be challenged).`;
    case 2:
      return `${opponent} is busy in a game: try again later.`;
    case 3:
      return `${opponent} did not answer your challenge within 60 seconds.`;
    default:
      return 'That challenge is not possible: you cannot challenge yourself, and a rated game needs an account on both sides.';
  }
}

/** InviteRefused reasons, to the one who opened the link. */
export function inviteRefusedSentence(reason: number): string {
  switch (reason) {
    case 0:
      return 'This invite link is unknown, already used or expired: ask your friend for a new one.';
    case 1:
      return 'The player who made this link is not online, or has started another game: ask them for a new link.';
    case 2:
      return 'This is your own invite link: send it to a friend, who opens it to play you.';
    default:
      return 'This invite is for a rated game: log in with an account to accept it.';
  }
}

/** 32 lowercase hex digits, as in the invite link. */
export function inviteCodeText(code: Uint8Array): string {
  return Array.from(code, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** The invite code's 16 bytes from a link's 32 hex digits (any case), or undefined when it is not one. */
export function readInviteCode(text: string): Uint8Array | undefined {
  const hex = text.trim().toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) return undefined;
  return Uint8Array.from({ length: 16 }, (_, i) => Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16));
}

export class Friends {
  incoming: ChallengeOffer[] = [];
  open: OpenOffer | undefined;
  notice: string | undefined;

  view(): FriendsView {
    return { incoming: this.incoming, open: this.open, notice: this.notice };
  }

  offered(offer: ChallengeOffer): string {
    this.incoming = [...this.incoming.filter((kept) => kept.id !== offer.id), offer];
    return `${offer.from} challenges you: accept or decline it.`;
  }

  /** The offer is off; returns whether it was shown. */
  gone(id: number): boolean {
    const before = this.incoming.length;
    this.incoming = this.incoming.filter((offer) => offer.id !== id);
    return this.incoming.length < before;
  }

  /** The answer to our AnswerChallenge is sent: the offer leaves the list either way. */
  answered(id: number): ChallengeOffer | undefined {
    const offer = this.incoming.find((kept) => kept.id === id);
    this.gone(id);
    return offer;
  }

  challenged(opponent: string, choices: GameChoices): void {
    this.open = { kind: 'challenge', opponent, choices };
    this.notice = undefined;
  }

  declined(reason: number): string {
    const opponent = this.open?.kind === 'challenge' ? this.open.opponent : 'The player';
    if (this.open?.kind === 'challenge') this.open = undefined;
    this.notice = declinedSentence(reason, opponent);
    return this.notice;
  }

  inviteAsked(choices: GameChoices): void {
    this.open = { kind: 'invite-asked', choices };
    this.notice = undefined;
  }

  inviteCreated(code: Uint8Array, validSeconds: number, now: number): void {
    const choices = this.open?.kind === 'invite-asked' || this.open?.kind === 'invite' ? this.open.choices : undefined;
    if (!choices) return;
    this.open = { kind: 'invite', code: inviteCodeText(code), expiresAt: now + validSeconds * 1000, choices };
  }

  inviteRefused(reason: number): string {
    this.notice = inviteRefusedSentence(reason);
    return this.notice;
  }

  /** Our own offer ended: withdrawn, or we queued, asked the computer or logged out. */
  withdrawn(): void {
    this.open = undefined;
  }

  /** Any game of ours started: every offer, made by us or to us, is off (the server sends nothing about them). */
  gameStarted(): void {
    this.incoming = [];
    this.open = undefined;
    this.notice = undefined;
  }

  /** A new connection: the server forgot the offers made to us with the old one's presence. */
  reset(): void {
    this.incoming = [];
    this.notice = undefined;
  }
}
