import { quoted } from './cli-support.js';
import type { HashCost } from './passwords.js';
import { GUEST_NAME_REASON, isGuestName } from './play/guests.js';

/** Account names and passwords as the wire carries them: 1-16 printable ASCII characters. */
const PRINTABLE_ASCII_1_TO_16 = /^[\x20-\x7e]{1,16}$/;

/** What a login may name; anything else is "no such account". */
export function isValidUsername(name: string): boolean {
  return PRINTABLE_ASCII_1_TO_16.test(name);
}

/** Why a password cannot be used, or undefined. The wire carries 16 ASCII bytes and no NUL. */
export function passwordProblem(password: string): string | undefined {
  if (password.length === 0) return 'the password is empty';
  if (password.length > 16) return 'the password is longer than 16 characters (the protocol carries 16)';
  if (!/^[\x20-\x7e]+$/.test(password)) return 'the password must be printable ASCII';
  return undefined;
}

/**
 * Why `name` cannot name a new account, or undefined. Names ignore case: "Alice" is "alice".
 * Beyond what the wire carries, a new name may not hide a difference a reader cannot see
 * (spaces at its ends or two in a row: HTML shows "a  b" as "a b"), nor be only dots
 * ("." and ".." are path segments a browser removes, so their pages would have no address).
 * Names starting with `guest-` (any case) are kept for guests (play/guests.ts).
 * Existing accounts are not held to these rules: they log in and keep their pages.
 * Look-alike letters (I l 1 |, O 0, rn m) are allowed: pages show names in a monospace
 * face with a slashed zero, where they differ (src/web/community/player-name.ts).
 */
export function usernameProblem(name: string): string | undefined {
  const invalid = (why: string) => `${quoted(name)} is not a valid name: ${why}`;
  if (!isValidUsername(name)) return invalid('use 1 to 16 printable ASCII characters');
  if (name.trim() !== name) return invalid('it may not start or end with a space');
  if (name.includes('  ')) return invalid('it has two spaces in a row; use one space between words');
  if (/^\.+$/.test(name)) return invalid('it is only dots; use at least one other character');
  if (isGuestName(name)) return invalid(GUEST_NAME_REASON);
  return undefined;
}

/** docs/PROTOCOL.md section 11. */
export const DEMO_ACCOUNTS: ReadonlyArray<readonly [string, string]> = [
  ['cam', 'mac'],
  ['jen', 'nej'],
  ['kain', 'niak'],
  ['andrei', 'ierdna'],
  ['neil', 'lien'],
  ['safa', 'afas'],
  ['colbert', 'trebloc'],
  ['khanh', 'hnahk'],
];

/**
 * The demo passwords are published (docs/PROTOCOL.md section 11), so a costly hash
 * of them would protect nothing: a cheap one makes a fresh database at once.
 * A demo account's hash is redone at the full cost at its first login, and a
 * password set with `user passwd` is hashed at the full cost.
 */
export const DEMO_HASH_COST: HashCost = { algorithm: 'argon2id', memoryKiB: 1024, passes: 1, parallelism: 1 };
