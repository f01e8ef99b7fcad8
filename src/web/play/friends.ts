import { challengeDeclinedText, inviteRefusedText } from '../../protocol/index.js';
import { type ColourChoice, colourWords, type GameChoices, type OpeningChoice, openingWords } from './game-choices.js';
import { forgetInvite, keepInvite, keptInvite } from './kept-invite.js';
import type { KeyValueStore } from './resume-token.js';
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
  #player: string | undefined;

  /** `tabStorage`: where this tab keeps its player's invite link across a reload (sessionStorage). */
  constructor(private readonly tabStorage?: () => KeyValueStore) {}

  get #tab(): KeyValueStore | undefined {
    return this.tabStorage?.();
  }

  /** Logged in as `player`: the invite link this tab kept for them shows again while it is valid. */
  loggedIn(player: string, now: number): void {
    this.#player = player;
    const kept = this.#tab && keptInvite(this.#tab, player, now);
    if (kept && !this.open)
      this.open = { kind: 'invite', code: kept.code, expiresAt: kept.expiresAt, choices: kept.choices };
  }

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
    this.notice = challengeDeclinedText(reason, opponent);
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
    if (this.#tab && this.#player !== undefined) keepInvite(this.#tab, { ...this.open, username: this.#player });
  }

  inviteRefused(reason: number): string {
    this.notice = inviteRefusedText(reason);
    return this.notice;
  }

  /** Our own offer ended: withdrawn, or we queued, asked the computer or logged out. */
  withdrawn(): void {
    this.open = undefined;
    if (this.#tab) forgetInvite(this.#tab);
  }

  /** Any game of ours started: every offer, made by us or to us, is off (the server sends nothing about them). */
  gameStarted(): void {
    this.incoming = [];
    this.withdrawn();
    this.notice = undefined;
  }

  /** A new connection: the server forgot the offers made to us with the old one's presence. */
  reset(): void {
    this.incoming = [];
    this.notice = undefined;
  }
}
