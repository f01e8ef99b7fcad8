import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  newResumeToken,
  RESUME_RENEWAL_STEP_MS,
  RESUME_TOKEN_BYTES,
  RESUME_TOKEN_LIFETIME_MS,
  renewalDue,
  resumeTokenExpiry,
  resumeTokenHash,
  secondsValid,
} from '../../../src/server/resume/token.js';

describe('resume tokens', () => {
  it('are 16 random bytes, different every time', () => {
    const tokens = Array.from({ length: 100 }, () => newResumeToken());
    for (const token of tokens) assert.equal(token.length, RESUME_TOKEN_BYTES);
    assert.equal(new Set(tokens.map((token) => Buffer.from(token).toString('hex'))).size, tokens.length);
  });

  it('take their bytes from the random source given, and refuse a source of the wrong length', () => {
    const bytes = Uint8Array.from({ length: 16 }, (_, index) => index * 3);
    assert.deepEqual(
      newResumeToken(() => bytes),
      bytes,
    );
    assert.throws(() => newResumeToken(() => new Uint8Array(15)), /16 bytes/);
  });

  it('are kept as the SHA-256 of their bytes, in hex', () => {
    const token = Uint8Array.from({ length: 16 }, (_, index) => 255 - index);
    const expected = createHash('sha256').update(Buffer.from(token)).digest('hex');
    assert.equal(resumeTokenHash(token), expected);
    assert.match(resumeTokenHash(token), /^[0-9a-f]{64}$/);
    assert.notEqual(resumeTokenHash(newResumeToken()), resumeTokenHash(newResumeToken()));
  });

  it('are due for renewal once their expiry is an hour or more short of a full lifetime', () => {
    const now = Date.parse('2026-05-01T00:00:00.000Z');
    assert.equal(renewalDue(resumeTokenExpiry(now), now), false);
    assert.equal(renewalDue(resumeTokenExpiry(now - RESUME_RENEWAL_STEP_MS + 1), now), false);
    assert.equal(renewalDue(resumeTokenExpiry(now - RESUME_RENEWAL_STEP_MS), now), true);
    assert.equal(RESUME_RENEWAL_STEP_MS, 3600_000);
  });

  it('hold for 30 days from their issue or last use, counted in whole seconds', () => {
    assert.equal(RESUME_TOKEN_LIFETIME_MS, 30 * 24 * 3600 * 1000);
    const now = Date.parse('2026-05-01T00:00:00.000Z');
    const expiry = resumeTokenExpiry(now);
    assert.equal(expiry.toISOString(), '2026-05-31T00:00:00.000Z');
    assert.equal(secondsValid(expiry, now), 30 * 24 * 3600);
    assert.equal(secondsValid(expiry, now + 1500), 30 * 24 * 3600 - 2, 'whole seconds left, rounded down');
    assert.equal(secondsValid(expiry, expiry.getTime() + 1), 0);
  });
});
