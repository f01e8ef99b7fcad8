import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { INITIAL_POSITION } from '../../src/game/position.js';
import { NO_CLOCK } from '../../src/server/domain/games.js';
import { DEFAULT_RATING, rateGame } from '../../src/server/domain/rating.js';
import { resumeTokenHash } from '../../src/server/resume/token.js';
import { migrateToPostgres } from '../../src/server/store/migrate-to-postgres.js';
import { MIGRATIONS } from '../../src/server/store/migrations.js';
import { PgStore } from '../../src/server/store/pg-store.js';
import { SqliteStore } from '../../src/server/store/sqlite-store.js';
import { postgresMissing, startPostgres, type TestPostgres } from '../support/postgres.js';
import { temporaryDirectory } from '../support/test-server.js';

/*
 * Databases made before protocol version 2 (schema version 5): upgraded in
 * place with today's values, read as they are by a read-only open, and
 * copied into PostgreSQL with everything version 2 added (but the tokens).
 */

const VERSION_BEFORE_V2 = 5;
const NEWER = { rating: 1640, deviation: 70, volatility: 0.059 };

/** An SQLite file at schema version 5 with two accounts, one finished game and one in progress. */
function databaseBeforeV2(): string {
  const file = join(temporaryDirectory(), 'old.db');
  const old = new Database(file);
  for (const migration of MIGRATIONS.slice(0, VERSION_BEFORE_V2)) old.exec(migration);
  old.pragma(`user_version = ${VERSION_BEFORE_V2}`);
  const account = old.prepare(
    "INSERT INTO accounts (name, password, rating, deviation, volatility, games, wins, created_at) VALUES (?, 'h', ?, ?, ?, ?, ?, '2026-01-01T00:00:00.000Z')",
  );
  account.run('old1', NEWER.rating, NEWER.deviation, NEWER.volatility, 1, 1);
  account.run('old2', 1180, 340, 0.06, 1, 0);
  old
    .prepare(
      `INSERT INTO games (black_id, white_id, black_name, white_name, result, termination, moves, black_rating_before,
         black_rating_after, white_rating_before, white_rating_after, started_at, ended_at)
       VALUES (1, 2, 'old1', 'old2', 'black', 'no-pieces', '11-15 23-19', 1200, 1640, 1200, 1180,
         '2026-01-01T00:00:00.000Z', '2026-01-01T00:10:00.000Z')`,
    )
    .run();
  old
    .prepare(
      `INSERT INTO live_games (id, black_id, white_id, black_name, white_name, black_rating, white_rating, black_bits,
         white_bits, king_bits, turn, quiet_plies, last_move, moves, started_at, updated_at)
       VALUES (4, 2, 1, 'old2', 'old1', ?, ?, 4095, 4293918720, 0, 0, 0, 0, '', '2026-01-02T00:00:00.000Z',
         '2026-01-02T00:00:00.000Z')`,
    )
    .run(JSON.stringify(DEFAULT_RATING), JSON.stringify(DEFAULT_RATING));
  old.close();
  return file;
}

const STANDARD_START = { rating: DEFAULT_RATING, games: 0, wins: 0, losses: 0, draws: 0 };

describe('an SQLite database from before protocol version 2', () => {
  it('is upgraded in place: standard ratings at the start, games recorded as version-1 games without a clock', async (t) => {
    const file = databaseBeforeV2();
    const store = SqliteStore.open(file, { mustExist: true });
    t.after(() => store.close());
    const version = new Database(file, { readonly: true });
    assert.equal(version.pragma('user_version', { simple: true }), MIGRATIONS.length);
    version.close();
    const old1 = await store.findAccount('old1');
    assert.deepEqual(old1?.rating, NEWER, 'the version-1 rating is kept');
    assert.deepEqual(old1?.standard, STANDARD_START);
    const [game] = await store.listGames();
    assert.deepEqual([game?.rules, game?.timeControl, game?.moves], ['v1', NO_CLOCK, ['11-15', '23-19']]);
    const [live] = await store.loadLiveGames();
    assert.deepEqual([live?.id, live?.rules, live?.timeControl, live?.clocks], [4, undefined, undefined, undefined]);
  });

  it('is read as it is by a read-only open (operator reads, a migration source), with the same defaults', async (t) => {
    const file = databaseBeforeV2();
    const store = SqliteStore.open(file, { readOnly: true });
    t.after(() => store.close());
    const contents = await store.exportAll();
    assert.deepEqual(
      contents.accounts.map((account) => [account.name, account.standard]),
      [
        ['old1', STANDARD_START],
        ['old2', STANDARD_START],
      ],
    );
    assert.deepEqual([contents.games[0]?.rules, contents.games[0]?.timeControl], ['v1', NO_CLOCK]);
    assert.equal(contents.live[0]?.rules, undefined);
    const version = new Database(file, { readonly: true });
    assert.equal(version.pragma('user_version', { simple: true }), VERSION_BEFORE_V2, 'not upgraded');
    version.close();
  });
});

const skip = postgresMissing();
let postgres: TestPostgres | undefined;
let databases = 0;
before(async () => {
  if (!skip) postgres = await startPostgres();
});
after(() => postgres?.stop());

async function newDatabase(): Promise<string> {
  if (!postgres) throw new Error('PostgreSQL did not start');
  return postgres.createDatabase(`upgrade${++databases}`);
}

describe('db migrate-to-postgres and protocol version 2', { skip }, () => {
  it('copies standard ratings, rules, time controls and clocks; not the resume tokens', async (t) => {
    const file = join(temporaryDirectory(), 'checkers.db');
    const sqlite = SqliteStore.open(file);
    await sqlite.createAccounts(['s1', 's2'].map((name) => ({ name, passwordHash: 'h' })));
    const [s1, s2] = await Promise.all([sqlite.findAccount('s1'), sqlite.findAccount('s2')]);
    assert.ok(s1 && s2);
    const rated = rateGame(s1.standard.rating, s2.standard.rating, 0.5);
    await sqlite.recordGame({
      black: { accountId: s1.id, name: 's1', before: s1.standard.rating, after: rated.black },
      white: { accountId: s2.id, name: 's2', before: s2.standard.rating, after: rated.white },
      winner: 'draw',
      termination: 'threefold-repetition',
      moves: ['11-15', '23-19'],
      startedAt: new Date('2026-02-01T00:00:00.000Z'),
      endedAt: new Date('2026-02-01T00:05:00.000Z'),
      rules: 'standard',
      timeControl: { initialSeconds: 600, incrementSeconds: 5 },
    });
    await sqlite.saveLiveGames([
      {
        id: 12,
        black: { accountId: s2.id, name: 's2', rating: rated.white },
        white: { accountId: s1.id, name: 's1', rating: rated.black },
        position: INITIAL_POSITION,
        quietPlies: 0,
        lastMove: 0,
        moves: [],
        startedAt: new Date('2026-02-01T00:06:00.000Z'),
        rules: 'standard',
        timeControl: { initialSeconds: 180, incrementSeconds: 2 },
        clocks: { blackMs: 175_500, whiteMs: 180_000, at: new Date('2026-02-01T00:06:04.500Z') },
      },
    ]);
    const token = resumeTokenHash(new Uint8Array(16).fill(7));
    const now = new Date('2026-02-01T00:07:00.000Z');
    await sqlite.addResumeToken(s1.id, token, new Date('2026-03-01T00:00:00.000Z'), now);
    const contents = await sqlite.exportAll();
    sqlite.close();

    const url = await newDatabase();
    assert.deepEqual(await migrateToPostgres(file, url), { accounts: 2, games: 1, live: 1 });
    const copy = await PgStore.open(url, { mustExist: true });
    t.after(() => copy.end());
    assert.deepEqual(
      await copy.listAccounts(),
      contents.accounts.map(({ createdAt: _createdAt, ...account }) => account),
    );
    assert.equal((await copy.findAccount('s1'))?.standard.draws, 1);
    assert.deepEqual(
      await copy.listGames(),
      contents.games.map(({ blackId: _b, whiteId: _w, ...game }) => game),
    );
    assert.deepEqual(await copy.loadLiveGames(), contents.live);
    assert.equal(await copy.findResumeToken(token, now), undefined, 'players log in with their password once');
  });

  it('copies a database from before version 2, with the defaults', async (t) => {
    const url = await newDatabase();
    assert.deepEqual(await migrateToPostgres(databaseBeforeV2(), url), { accounts: 2, games: 1, live: 1 });
    const copy = await PgStore.open(url, { mustExist: true });
    t.after(() => copy.end());
    assert.deepEqual((await copy.findAccount('old1'))?.standard, STANDARD_START);
    assert.deepEqual((await copy.findAccount('old1'))?.rating, NEWER);
    assert.equal((await copy.listGames())[0]?.rules, 'v1');
  });
});
