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

/**
 * A use renews a token only when its expiry is at least this much short of a
 * full lifetime: a token is renewed at most once an hour, so a player (or a
 * script) resuming again and again costs reads, not a durable write each
 * (about 4 ms of the event loop with SQLite's fsync per commit).
 */
export const RESUME_RENEWAL_STEP_MS = 60 * 60 * 1000;

/** Whether a token expiring at `expiresAt`, used at `nowMs`, is due for renewal (see RESUME_RENEWAL_STEP_MS). */
export function renewalDue(expiresAt: Date, nowMs: number): boolean {
  return expiresAt.getTime() <= nowMs + RESUME_TOKEN_LIFETIME_MS - RESUME_RENEWAL_STEP_MS;
}

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
