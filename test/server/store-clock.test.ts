import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { INITIAL_POSITION } from '../../src/game/position.js';
import type { LiveGame } from '../../src/server/domain/games.js';
import type { Account } from '../../src/server/domain/players.js';
import { PgStore } from '../../src/server/store/pg-store.js';
import { SqliteStore } from '../../src/server/store/sqlite-store.js';
import { ManualClock } from '../support/manual-clock.js';
import { postgresMissing, startPostgres, type TestPostgres } from '../support/postgres.js';
import { temporaryDirectory } from '../support/test-server.js';

/** A time no system clock shows while these tests run. */
const START = Date.parse('2031-02-03T04:05:06.000Z');

function live(black: Account, white: Account): LiveGame {
  return {
    id: 1,
    black: { accountId: black.id, name: black.name, rating: black.rating },
    white: { accountId: white.id, name: white.name, rating: white.rating },
    position: INITIAL_POSITION,
    quietPlies: 0,
    lastMove: 0,
    moves: [],
    startedAt: new Date(START),
  };
}

describe('the times a store writes itself come from its clock', () => {
  it('SQLite: an account created and a game in progress updated at the manual clock time', async () => {
    const clock = new ManualClock(START);
    const path = join(temporaryDirectory(), 'checkers.db');
    const store = SqliteStore.open(path, { clock });
    const raw = new Database(path, { readonly: true });
    try {
      const black = await store.createAccount('avi', 'hash');
      const white = await store.createAccount('bea', 'hash');
      await store.commit({ live: [live(black, white)], finished: [] });
      const created = raw.prepare('SELECT created_at FROM accounts WHERE id = ?').get(black.id) as {
        created_at: string;
      };
      assert.equal(Date.parse(created.created_at), START);
      const updated = () =>
        Date.parse(
          (raw.prepare('SELECT updated_at FROM live_games WHERE id = 1').get() as { updated_at: string }).updated_at,
        );
      assert.equal(updated(), START);
      clock.advance(5_000);
      await store.commit({ live: [{ ...live(black, white), quietPlies: 1 }], finished: [] });
      assert.equal(updated(), START + 5_000);
    } finally {
      raw.close();
      store.close();
    }
  });

  const skip = postgresMissing();
  describe('PostgreSQL', { skip }, () => {
    let postgres: TestPostgres | undefined;
    before(async () => {
      postgres = await startPostgres();
    });
    after(() => postgres?.stop());

    it('an account created and a game in progress updated (with and without a fencing token) at the manual clock time', async () => {
      if (!postgres) throw new Error('PostgreSQL did not start');
      const url = await postgres.createDatabase('clock');
      const clock = new ManualClock(START);
      const store = await PgStore.open(url, { clock });
      const raw = new pg.Client({ connectionString: url });
      await raw.connect();
      try {
        const black = await store.createAccount('avi', 'hash');
        const white = await store.createAccount('bea', 'hash');
        await store.commit({ live: [live(black, white)], finished: [] });
        const created = await raw.query<{ created_at: Date }>('SELECT created_at FROM accounts WHERE id = $1', [
          black.id,
        ]);
        assert.equal(created.rows[0]?.created_at.getTime(), START);
        const updated = async () =>
          (
            await raw.query<{ updated_at: Date }>('SELECT updated_at FROM live_games WHERE id = 1')
          ).rows[0]?.updated_at.getTime();
        assert.equal(await updated(), START);
        clock.advance(5_000);
        await store.commit({ live: [{ ...live(black, white), quietPlies: 1, fence: 1 }], finished: [] });
        assert.equal(await updated(), START + 5_000);
      } finally {
        await raw.end();
        store.close();
      }
    });
  });
});
