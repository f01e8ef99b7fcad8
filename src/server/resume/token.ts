import { createHash, randomBytes } from 'node:crypto';

/*
 * Resume tokens (protocol version 2): 128 random bits handed to a player in
 * LoggedIn, so that a reconnect needs no password (and no password hash).
 * The store keeps only the token's SHA-256 hash: a copy of the database does
 * not let anyone resume. A fast hash is enough because the token is random,
 * not a password: there is nothing to guess from its hash. Times are the
 * injected Clock's milliseconds.
 */

/** The token's length on the wire (the `token` field kind). */
export const RESUME_TOKEN_BYTES = 16;
/** How long a token holds after it was issued or last used (each use renews it). */
export const RESUME_TOKEN_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;

/** A new token: RESUME_TOKEN_BYTES from the system's cryptographic random source (`random` for tests). */
export function newResumeToken(random: (size: number) => Uint8Array = randomBytes): Uint8Array {
  const token = random(RESUME_TOKEN_BYTES);
  if (token.length !== RESUME_TOKEN_BYTES) throw new Error(`a resume token has ${RESUME_TOKEN_BYTES} bytes`);
  return Uint8Array.from(token);
}

/** What the store keeps of a token: its SHA-256 in lower-case hex (64 characters). */
export function resumeTokenHash(token: Uint8Array): string {
  return createHash('sha256').update(token).digest('hex');
}

/** When a token issued or used at `nowMs` expires. */
export function resumeTokenExpiry(nowMs: number): Date {
  return new Date(nowMs + RESUME_TOKEN_LIFETIME_MS);
}

/** Whole seconds from `nowMs` until `expiresAt` (LoggedIn's "seconds the token stays valid"), 0 when past. */
export function secondsValid(expiresAt: Date, nowMs: number): number {
  return Math.max(0, Math.floor((expiresAt.getTime() - nowMs) / 1000));
}
