/**
 * Playing a friend from the terminal, pure: invite codes and links, the
 * choices of a challenge or an invite (colour, opening), and what the
 * server's answers tell the player (docs/PROTOCOL.md section 12, challenges
 * and invites).
 */

import {
  CHALLENGE_SECONDS as CHALLENGE_WAIT_SECONDS,
  ChallengeDeclinedReason,
  challengeDeclinedText as sharedDeclinedText,
  inviteRefusedText as sharedRefusedText,
} from '../../protocol/index.js';

/** An invite code is 16 random bytes, shown as 32 lowercase hex digits. */
export const INVITE_CODE_BYTES = 16;

/** How long the server keeps a challenge open, and an invite valid (seconds). */
export const CHALLENGE_SECONDS = CHALLENGE_WAIT_SECONDS;

export type Reading<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

/** The colour the one who asks will play (the wire's value: 0 Black, 1 White, 2 drawn at random). */
export const COLOUR_CHOICES = ['black', 'white', 'random'] as const;
export type ColourChoice = (typeof COLOUR_CHOICES)[number];

/** The starting position (the wire's value: 0 standard, 1 a three-move ballot drawn by the server). */
export const OPENING_CHOICES = ['standard', 'three-move'] as const;
export type OpeningChoice = (typeof OPENING_CHOICES)[number];

/** What a player asks for in a challenge, an invite or a game against the computer. */
export interface GameChoices {
  readonly colour: ColourChoice;
  readonly opening: OpeningChoice;
  readonly rated: boolean;
}

export const DEFAULT_CHOICES: GameChoices = { colour: 'random', opening: 'standard', rated: false };

export function colourValue(colour: ColourChoice): number {
  return COLOUR_CHOICES.indexOf(colour);
}

export function openingValue(opening: OpeningChoice): number {
  return OPENING_CHOICES.indexOf(opening);
}

export function readColour(text: string): Reading<ColourChoice> {
  const typed = text.trim().toLowerCase();
  const found = COLOUR_CHOICES.find((choice) => choice === typed);
  return found ? { ok: true, value: found } : { ok: false, reason: `expected ${COLOUR_CHOICES.join(', ')}` };
}

export function readOpening(text: string): Reading<OpeningChoice> {
  const typed = text.trim().toLowerCase();
  const found = OPENING_CHOICES.find((choice) => choice === typed);
  return found ? { ok: true, value: found } : { ok: false, reason: `expected ${OPENING_CHOICES.join(' or ')}` };
}

/** A player's name as the protocol carries it: 1 to 16 bytes of UTF-8, no NUL. */
export function readPlayerName(text: string): Reading<string> {
  const name = text.trim();
  if (name === '') return { ok: false, reason: 'give the name of the player to challenge' };
  if (name.includes('\0') || new TextEncoder().encode(name).length > 16) {
    return { ok: false, reason: `"${name}" is not a player's name: names are at most 16 bytes` };
  }
  return { ok: true, value: name };
}

const HEX_CODE = /^[0-9a-f]{32}$/i;

/**
 * An invite as a player pastes it: the 32 hex digits of the code, or the
 * link `http(s)://HOST:PORT/invite/CODE` the maker was given.
 */
export function readInviteCode(text: string): Reading<Uint8Array> {
  const typed = text.trim();
  const refused = {
    ok: false,
    reason: `"${typed}" is not an invite: give its 32 hex digits, or the link http://HOST:PORT/invite/CODE`,
  } as const;
  let hex = typed;
  if (!HEX_CODE.test(typed)) {
    let url: URL;
    try {
      url = new URL(typed);
    } catch {
      return refused;
    }
    const match = /^\/invite\/([0-9a-f]{32})\/?$/i.exec(url.pathname);
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !match?.[1]) return refused;
    hex = match[1];
  }
  const code = new Uint8Array(INVITE_CODE_BYTES);
  for (let i = 0; i < INVITE_CODE_BYTES; i++) code[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return { ok: true, value: code };
}

export function inviteCodeHex(code: Uint8Array): string {
  return [...code].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Where the client is connected: the web client shares the game port (docs/server.md, the web port). */
export interface ServerPlace {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
}

/** The link a friend opens in a browser: the page at /invite/CODE on the game port. */
export function inviteUrl(code: Uint8Array, place: ServerPlace): string {
  const host = place.host.includes(':') ? `[${place.host}]` : place.host;
  return `${place.tls ? 'https' : 'http'}://${host}:${place.port}/invite/${inviteCodeHex(code)}`;
}

/** "5+3, casual, you play White, three-move opening" and the like, for the one who asks. */
export function describeChoices(timeControl: string, choices: GameChoices): string {
  const colour = choices.colour === 'random' ? 'colours drawn at random' : `you play ${capitalised(choices.colour)}`;
  const opening = choices.opening === 'standard' ? 'standard start' : 'a three-move opening drawn at random';
  return `${timeControl}, ${choices.rated ? 'rated' : 'casual'}, ${colour}, ${opening}`;
}

function capitalised(word: string): string {
  return `${word.charAt(0).toUpperCase()}${word.slice(1)}`;
}

/** ChallengeDeclined's reason, to the challenger: the words both clients share, with the terminal's hint. */
export function challengeDeclinedText(reason: number, name: string): string {
  const words = sharedDeclinedText(reason, name);
  return reason === ChallengeDeclinedReason.NotPossible
    ? `${words} A casual game needs no account: leave out --rated.`
    : words;
}

/** InviteRefused's reason, to the one who tried to join: the words both clients share. */
export const inviteRefusedText = sharedRefusedText;

/** A challenge made to this player, as ChallengeOffered tells it. */
export interface IncomingChallenge {
  readonly id: number;
  readonly challenger: string;
  /** The challenger's standard rating; 0 for a guest. */
  readonly rating: number;
  readonly timeControl: string;
  /** The colour this player would play: 0 Black, 1 White, 2 drawn at random. */
  readonly colour: number;
  readonly rated: boolean;
  readonly opening: number;
}

/** The lines that announce a challenge, with how to answer it. */
export function announceChallenge(challenge: IncomingChallenge, openCount: number): string[] {
  const who =
    challenge.rating === 0 ? `${challenge.challenger} (guest)` : `${challenge.challenger} (${challenge.rating})`;
  const colour =
    challenge.colour === 0
      ? 'you would play Black'
      : challenge.colour === 1
        ? 'you would play White'
        : 'colours drawn at random';
  const opening = challenge.opening === 1 ? 'a three-move opening' : 'standard start';
  const how =
    openCount > 1
      ? `Type accept ${challenge.id} to play, or decline ${challenge.id} (${openCount} challenges are open).`
      : 'Type accept to play, or decline.';
  return [
    `${who} challenges you to a ${challenge.rated ? 'rated' : 'casual'} game (${challenge.timeControl}, ${colour}, ${opening}).`,
    how,
  ];
}

/**
 * The open challenges made to this player, in the order they came: `pick`
 * finds the one an accept or decline means (the only one when no number is typed).
 */
export class IncomingChallenges {
  readonly #open = new Map<number, IncomingChallenge>();

  add(challenge: IncomingChallenge): void {
    this.#open.set(challenge.id, challenge);
  }

  remove(id: number): IncomingChallenge | undefined {
    const challenge = this.#open.get(id);
    this.#open.delete(id);
    return challenge;
  }

  clear(): void {
    this.#open.clear();
  }

  get size(): number {
    return this.#open.size;
  }

  pick(idText: string | undefined, verb: 'accept' | 'decline'): Reading<IncomingChallenge> {
    if (this.#open.size === 0) return { ok: false, reason: `There is no challenge to ${verb}.` };
    const ids = [...this.#open.keys()].join(', ');
    if (idText === undefined || idText === '') {
      const [only] = this.#open.values();
      if (this.#open.size === 1 && only) return { ok: true, value: only };
      return { ok: false, reason: `Several challenges are open (${ids}): type ${verb} and the number.` };
    }
    const challenge = /^\d+$/.test(idText) ? this.#open.get(Number(idText)) : undefined;
    return challenge
      ? { ok: true, value: challenge }
      : { ok: false, reason: `No open challenge has the number ${idText}; open: ${ids}.` };
  }
}
