import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { hashPassword, passwordHashesComputed, verifyPassword } from '../../../src/server/passwords.js';
import { issueResumeToken, resumeLogin, revokeResumeToken } from '../../../src/server/resume/resume-login.js';
import { newResumeToken, RESUME_TOKEN_LIFETIME_MS, resumeTokenHash } from '../../../src/server/resume/token.js';
import { SqliteStore } from '../../../src/server/store/sqlite-store.js';
import { TEST_HASH_COST } from '../../support/accounts.js';
import { ManualClock } from '../../support/manual-clock.js';
import { temporaryDirectory } from '../../support/test-server.js';

const DAY_MS = 24 * 3600 * 1000;

async function setUp(t: { after(fn: () => unknown): void }) {
  const store = SqliteStore.open(join(temporaryDirectory(), 'checkers.db'));
  t.after(() => store.close());
  const hash = await hashPassword('secret', TEST_HASH_COST);
  await store.createAccounts(['cam', 'jen'].map((name) => ({ name, passwordHash: hash })));
  const clock = new ManualClock(Date.parse('2026-06-01T00:00:00.000Z'));
  const deps = { store, clock };
  const account = async (name: string) => {
    const found = await store.findAccount(name);
    assert.ok(found);
    return found;
  };
  return { store, clock, deps, account };
}

describe('resumeLogin', () => {
  it('logs in with the token issued to the account, in any case of its name, computing no password hash', async (t) => {
    const { clock, deps, account } = await setUp(t);
    const cam = await account('cam');
    const issued = await issueResumeToken(deps, cam);
    assert.ok(issued);
    assert.equal(issued.validSeconds, RESUME_TOKEN_LIFETIME_MS / 1000);
    const hashesBefore = passwordHashesComputed();
    clock.advance(DAY_MS);
    const resumed = await resumeLogin(deps, 'CAM', issued.token);
    assert.equal(passwordHashesComputed(), hashesBefore, 'no password hash made or verified');
    assert.equal(await verifyPassword('secret', cam.passwordHash), true);
    assert.equal(passwordHashesComputed(), hashesBefore + 1, 'the counter counts a verification');
    assert.ok(resumed.ok);
    assert.equal(resumed.account.id, cam.id);
    assert.equal(resumed.expiresAt.getTime(), clock.now() + RESUME_TOKEN_LIFETIME_MS, 'renewed from now');
    assert.equal(resumed.validSeconds, 30 * 24 * 3600);
  });

  it('renews a token at most once an hour: resuming again and again costs no write', async (t) => {
    const { store, clock, account } = await setUp(t);
    let renewals = 0;
    const deps = {
      clock,
      store: {
        findAccount: (name: string) => store.findAccount(name),
        addResumeToken: (...args: Parameters<SqliteStore['addResumeToken']>) => store.addResumeToken(...args),
        findResumeToken: (hash: string, now: Date) => store.findResumeToken(hash, now),
        revokeResumeToken: (hash: string) => store.revokeResumeToken(hash),
        renewResumeToken: (hash: string, now: Date, expiresAt: Date) => {
          renewals++;
          return store.renewResumeToken(hash, now, expiresAt);
        },
      },
    };
    const issued = await issueResumeToken(deps, await account('cam'));
    assert.ok(issued);
    for (let use = 0; use < 10; use++) {
      clock.advance(5 * 60_000);
      const resumed = await resumeLogin(deps, 'cam', issued.token);
      assert.ok(resumed.ok);
      assert.deepEqual(resumed.expiresAt, issued.expiresAt, 'within the hour: the stored expiry');
      assert.equal(resumed.validSeconds, (issued.expiresAt.getTime() - clock.now()) / 1000);
    }
    assert.equal(renewals, 0);
    clock.advance(10 * 60_000 + 1);
    const renewed = await resumeLogin(deps, 'cam', issued.token);
    assert.ok(renewed.ok);
    assert.equal(renewals, 1);
    assert.equal(renewed.expiresAt.getTime(), clock.now() + RESUME_TOKEN_LIFETIME_MS);
    assert.deepEqual(
      (await store.findResumeToken(resumeTokenHash(issued.token), new Date(clock.now())))?.expiresAt,
      renewed.expiresAt,
    );
  });

  it('is renewed by each use, so a token used within every 30 days never expires', async (t) => {
    const { clock, deps, account } = await setUp(t);
    const issued = await issueResumeToken(deps, await account('jen'));
    assert.ok(issued);
    for (let use = 0; use < 4; use++) {
      clock.advance(29 * DAY_MS);
      assert.equal((await resumeLogin(deps, 'jen', issued.token)).ok, true, `use ${use + 1}`);
    }
    clock.advance(30 * DAY_MS);
    assert.deepEqual(await resumeLogin(deps, 'jen', issued.token), { ok: false, reason: 'token-refused' });
  });

  it("refuses an unknown token, another account's token, and an unknown name", async (t) => {
    const { deps, account } = await setUp(t);
    const issued = await issueResumeToken(deps, await account('cam'));
    assert.ok(issued);
    assert.deepEqual(await resumeLogin(deps, 'cam', newResumeToken()), { ok: false, reason: 'token-refused' });
    assert.deepEqual(await resumeLogin(deps, 'jen', issued.token), { ok: false, reason: 'token-refused' });
    assert.deepEqual(await resumeLogin(deps, 'nobody', issued.token), { ok: false, reason: 'no-such-account' });
  });

  it('refuses a token revoked by a logout, a password change or the removal of the account', async (t) => {
    const { store, deps, account } = await setUp(t);
    const cam = await account('cam');
    const [kept, loggedOut] = [await issueResumeToken(deps, cam), await issueResumeToken(deps, cam)];
    assert.ok(kept && loggedOut);
    assert.equal(await revokeResumeToken(deps, loggedOut.token), true);
    assert.deepEqual(await resumeLogin(deps, 'cam', loggedOut.token), { ok: false, reason: 'token-refused' });
    assert.equal((await resumeLogin(deps, 'cam', kept.token)).ok, true, 'the logout revoked only its own token');
    await store.setPassword('cam', 'new-hash');
    assert.deepEqual(await resumeLogin(deps, 'cam', kept.token), { ok: false, reason: 'token-refused' });

    const jen = await account('jen');
    const jens = await issueResumeToken(deps, jen);
    assert.ok(jens);
    await store.removeAccount('jen');
    assert.deepEqual(await resumeLogin(deps, 'jen', jens.token), { ok: false, reason: 'no-such-account' });
    assert.equal(await issueResumeToken(deps, jen), undefined, 'no token for a removed account');
  });
});
