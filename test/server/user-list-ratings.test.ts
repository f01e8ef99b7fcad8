import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { rateGame } from '../../src/server/domain/rating.js';
import { openSqliteStore } from '../../src/server/store/sqlite-store.js';
import { runCli } from '../support/server-process.js';
import { temporaryDirectory } from '../support/test-server.js';

describe('checkers-server user list', () => {
  it('shows both ratings: the version-1 one with its results, then the standard one with its games', async () => {
    const db = join(temporaryDirectory(), 'checkers.db');
    const store = await openSqliteStore(db);
    await store.createAccounts(['ann', 'bea'].map((name) => ({ name, passwordHash: 'h' })));
    await store.createAccount('guest-10101', 'no hash', undefined, { guest: true });
    const [ann, bea] = await Promise.all([store.findAccount('ann'), store.findAccount('bea')]);
    assert.ok(ann && bea);
    const rated = rateGame(ann.standard.rating, bea.standard.rating, 1);
    await store.recordGame({
      black: { accountId: ann.id, name: 'ann', before: ann.standard.rating, after: rated.black },
      white: { accountId: bea.id, name: 'bea', before: bea.standard.rating, after: rated.white },
      winner: 'black',
      termination: 'resignation',
      moves: ['11-15'],
      startedAt: new Date(),
      endedAt: new Date(),
      rules: 'standard',
      timeControl: { initialSeconds: 180, incrementSeconds: 2 },
    });
    store.close();
    const run = await runCli(['user', 'list', '--db', db]);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.trim().split('\n');
    assert.deepEqual(lines[0]?.split(/\s+/), [
      'name',
      'rating',
      'games',
      'wins',
      'losses',
      'draws',
      'standard',
      'std-games',
    ]);
    const row = (name: string) =>
      lines
        .find((line) => line.startsWith(`${name} `))
        ?.trim()
        .split(/\s+/);
    assert.deepEqual(row('ann'), ['ann', '1200', '0', '0', '0', '0', String(Math.round(rated.black.rating)), '1']);
    assert.deepEqual(row('bea'), ['bea', '1200', '0', '0', '0', '0', String(Math.round(rated.white.rating)), '1']);
    // A guest is marked and shows no rating.
    assert.deepEqual(row('guest-10101'), ['guest-10101', '(guest)', '-', '0', '0', '0', '0', '-', '0']);
  });
});
