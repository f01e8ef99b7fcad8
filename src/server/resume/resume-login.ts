import type { Clock } from '../clock.js';
import type { Account } from '../domain/players.js';
import type { AccountStore } from '../store/store.js';
import { newResumeToken, renewalDue, resumeTokenExpiry, resumeTokenHash, secondsValid } from './token.js';

/*
 * The resume token's life as the server's sessions see it: issued at a
 * password login, presented instead of a password (Resume), revoked at a
 * LogOut. Password changes and `user remove` revoke in the store itself.
 * Nothing here computes a password hash: a resume costs one SHA-256 and two
 * small queries.
 */

export interface ResumeDeps {
  readonly store: Pick<
    AccountStore,
    'findAccount' | 'addResumeToken' | 'findResumeToken' | 'renewResumeToken' | 'revokeResumeToken'
  >;
  readonly clock: Clock;
}

/** A token as LoggedIn carries it. */
export interface IssuedToken {
  readonly token: Uint8Array;
  readonly expiresAt: Date;
  /** LoggedIn's "seconds the token stays valid". */
  readonly validSeconds: number;
}

/**
 * Why a Resume is refused: no account by that name (InvalidLogin reason 0),
 * or the token is unknown, expired, revoked or another account's (reason 3).
 */
export type ResumeRefusal = 'no-such-account' | 'token-refused';

export type ResumeOutcome =
  | { readonly ok: true; readonly account: Account; readonly expiresAt: Date; readonly validSeconds: number }
  | { readonly ok: false; readonly reason: ResumeRefusal };

/**
 * A new token for `account` after a password or guest login, valid for
 * `lifetimeMs` (default RESUME_TOKEN_LIFETIME_MS); undefined if the account was removed meanwhile.
 */
export async function issueResumeToken(
  deps: ResumeDeps,
  account: Account,
  lifetimeMs?: number,
): Promise<IssuedToken | undefined> {
  const now = deps.clock.now();
  const token = newResumeToken();
  const expiresAt = lifetimeMs === undefined ? resumeTokenExpiry(now) : new Date(now + lifetimeMs);
  const stored = await deps.store.addResumeToken(account.id, resumeTokenHash(token), expiresAt, new Date(now));
  return stored ? { token, expiresAt, validSeconds: secondsValid(expiresAt, now) } : undefined;
}

/**
 * Logs `name` in with `token` instead of a password: the token must be stored,
 * unexpired and the account's. Its expiry is renewed to 30 days from now (at
 * most once an hour: RESUME_RENEWAL_STEP_MS); the same token stays in use
 * (several tabs may share it).
 */
export async function resumeLogin(deps: ResumeDeps, name: string, token: Uint8Array): Promise<ResumeOutcome> {
  const account = await deps.store.findAccount(name);
  if (!account) return { ok: false, reason: 'no-such-account' };
  const now = deps.clock.now();
  const hash = resumeTokenHash(token);
  const stored = await deps.store.findResumeToken(hash, new Date(now));
  if (!stored || stored.accountId !== account.id) return { ok: false, reason: 'token-refused' };
  // A guest's token is never renewed: a guest lasts 24 hours from its Guest login (play/guests.ts).
  if (account.guest || !renewalDue(stored.expiresAt, now)) {
    return { ok: true, account, expiresAt: stored.expiresAt, validSeconds: secondsValid(stored.expiresAt, now) };
  }
  const expiresAt = resumeTokenExpiry(now);
  // Revoked between the two queries (a LogOut or a password change elsewhere): refused.
  if (!(await deps.store.renewResumeToken(hash, new Date(now), expiresAt)))
    return { ok: false, reason: 'token-refused' };
  return { ok: true, account, expiresAt, validSeconds: secondsValid(expiresAt, now) };
}

/** Revokes the session's token at a LogOut; false if it was no longer stored. */
export async function revokeResumeToken(deps: Pick<ResumeDeps, 'store'>, token: Uint8Array): Promise<boolean> {
  return deps.store.revokeResumeToken(resumeTokenHash(token));
}
