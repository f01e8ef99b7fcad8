import type { Account } from '../domain/players.js';
import type { AccountStore } from '../store/store.js';

/*
 * Guests (protocol version 2's Guest login): a visitor plays casual games
 * without an account, under a generated name. A guest is stored as an
 * account marked guest (so that its games, resume token and foreign keys
 * work as anyone's), with no usable password: it comes back with its resume
 * token only, for 24 hours. Sign-up refuses the names guests get, so no
 * one can take a guest's name, while it plays or later.
 */

/** What every guest name starts with (any case is refused at sign-up). */
export const GUEST_PREFIX = 'guest-';
/** Why sign-up refuses such a name (docs/PROTOCOL.md 12.7). */
export const GUEST_NAME_REASON = 'names starting with guest- are kept for guests';
/** A guest's resume token holds this long from the Guest login, and is not renewed by a Resume. */
export const GUEST_TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000;
/** A guest's stored "password": not a hash, so no password matches it (a Connect as a guest is refused anyway). */
export const GUEST_PASSWORD = '!guest: no password';
/** Names tried before giving up (each try costs a read): half of five digits, then half of nine. */
export const GUEST_NAME_ATTEMPTS = 20;
/**
 * Guest accounts stay (their games are on the pages), so the 90,000 short
 * names fill over the years: once ten short draws collide, the name gets nine
 * digits (900 million names, `guest-` and nine still fit the 16 bytes of a name).
 */
const LONG_NAME_DIGITS = 9;

/** Whether `name` is one kept for guests: it starts with `guest-` in any case. */
export function isGuestName(name: string): boolean {
  return name.toLowerCase().startsWith(GUEST_PREFIX);
}

/** `guest-` and `digits` random digits, the first not 0 (guest-10000 to guest-99999 for five); `random` is uniform in [0, 1). */
export function guestName(random: () => number, digits = 5): string {
  const lowest = 10 ** (digits - 1);
  const count = 9 * lowest;
  const number = lowest + Math.min(count - 1, Math.floor(random() * count));
  return `${GUEST_PREFIX}${number}`;
}

/**
 * A new guest's account under a generated name that no account (guests
 * included) has in any case; another name is drawn while one collides, also
 * when another node or request took it between the look-up and the insert.
 * Undefined if GUEST_NAME_ATTEMPTS names all collided. Rejects when storage fails.
 */
export async function createGuest(
  store: Pick<AccountStore, 'findAccount' | 'createAccount'>,
  random: () => number = Math.random,
): Promise<Account | undefined> {
  for (let attempt = 0; attempt < GUEST_NAME_ATTEMPTS; attempt++) {
    const name = guestName(random, attempt < GUEST_NAME_ATTEMPTS / 2 ? 5 : LONG_NAME_DIGITS);
    if (await store.findAccount(name)) continue;
    try {
      return await store.createAccount(name, GUEST_PASSWORD, undefined, { guest: true });
    } catch (error) {
      // Taken meanwhile: draw again. Anything else is a storage failure.
      if (await store.findAccount(name)) continue;
      throw error;
    }
  }
  return undefined;
}

/** The protocol error of a guest asking for a rated game or a Seek (the queue is rated). */
export const GUESTS_CASUAL_ONLY = 'guests play casual games only';

/**
 * Why a guest may not send `message` (a protocol error: its client knows it
 * is a guest), or undefined: a Seek (every queue game is rated), or any
 * request with rated set (PlayComputer, Challenge, CreateInvite).
 */
export function guestProblem(message: { readonly type: string; readonly rated?: boolean }): string | undefined {
  return message.type === 'Seek' || message.rated === true ? GUESTS_CASUAL_ONLY : undefined;
}
