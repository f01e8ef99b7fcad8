import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { systemClock } from '../../../src/server/clock.js';
import { hashPassword } from '../../../src/server/passwords.js';
import { type IssuedToken, issueResumeToken, resumeLogin } from '../../../src/server/resume/resume-login.js';
import { openSqliteStore, type SqliteStore } from '../../../src/server/store/sqlite-store.js';
import { TEST_HASH_COST } from '../../support/accounts.js';
import { runCli } from '../../support/server-process.js';
import { startTestServer, temporaryDirectory } from '../../support/test-server.js';

/*
 * Every way a password changes or an account goes revokes its resume tokens,
 * through the real commands: the operator's `user passwd` and `user remove`
 * (another process, on the database file) and the web's POST /api/password.
 */

async function issue(store: SqliteStore, name: string): Promise<IssuedToken> {
  const account = await store.findAccount(name);
  assert.ok(account, name);
  const issued = await issueResumeToken({ store, clock: systemClock }, account);
  assert.ok(issued);
  return issued;
}

async function resumes(store: SqliteStore, name: string, token: IssuedToken): Promise<boolean> {
  return (await resumeLogin({ store, clock: systemClock }, name, token.token)).ok;
}

describe('resume tokens are revoked on every path that changes a password or removes an account', () => {
  it('by the operator: user passwd and user remove (the other accounts keep theirs)', async (t) => {
    const db = join(temporaryDirectory(), 'checkers.db');
    const setup = await openSqliteStore(db);
    const hash = await hashPassword('old', TEST_HASH_COST);
    await setup.createAccounts(['ann', 'bea', 'cyd'].map((name) => ({ name, passwordHash: hash })));
    const tokens = { ann: await issue(setup, 'ann'), cyd: await issue(setup, 'cyd') };
    await issue(setup, 'bea');
    const beaId = (await setup.findAccount('bea'))?.id ?? 0;
    setup.close();

    const passwd = await runCli(['user', 'passwd', 'ANN', '--password-stdin', '--db', db], 'brand-new\n');
    assert.equal(passwd.code, 0, passwd.stderr);
    const removed = await runCli(['user', 'remove', 'bea', '--db', db]);
    assert.equal(removed.code, 0, removed.stderr);

    const store = await openSqliteStore(db, { mustExist: true });
    t.after(() => store.close());
    assert.equal(await resumes(store, 'ann', tokens.ann), false, 'user passwd revoked ann’s token');
    assert.equal(await resumes(store, 'cyd', tokens.cyd), true, 'cyd keeps hers');
    assert.equal(await store.revokeResumeTokens(beaId), 0, 'user remove left none of bea’s tokens');
  });

  it('from the web: POST /api/password on a real server', async (t) => {
    const server = await startTestServer({ community: { registration: 'open', hashCost: TEST_HASH_COST } });
    t.after(() => server.stop());
    const hash = await hashPassword('old-pass', TEST_HASH_COST);
    await server.store.createAccounts(['webber', 'other'].map((name) => ({ name, passwordHash: hash })));
    const [mine, theirs] = [await issue(server.store, 'webber'), await issue(server.store, 'other')];
    const answer = await fetch(`http://127.0.0.1:${server.port}/api/password`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'webber', password: 'old-pass', newPassword: 'new-pass' }),
      signal: AbortSignal.timeout(5000),
    });
    assert.equal(answer.status, 200, await answer.text());
    assert.equal(await resumes(server.store, 'webber', mine), false);
    assert.equal(await resumes(server.store, 'other', theirs), true);
  });
});
