import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FinishedGame } from '../../src/server/domain/games.js';
import type { Account } from '../../src/server/domain/players.js';
import { DEFAULT_RATING, rateGame } from '../../src/server/domain/rating.js';
import { openPgStore, PgStore } from '../../src/server/store/pg-store.js';
import { describeStorageFailure } from '../../src/server/store/storage-fault.js';
import { StoreError } from '../../src/server/store/store.js';
import { freeLoopbackPort, postgresMissing, startPostgres, type TestPostgres } from '../support/postgres.js';
import { type StoreFactory, storeContract } from './store-contract.js';
import { storeContractV2 } from './store-contract-v2.js';

const skip = postgresMissing();
let postgres: TestPostgres | undefined;
let databases = 0;

before(async () => {
  if (!skip) postgres = await startPostgres();
});
after(() => postgres?.stop());

async function newDatabase(): Promise<string> {
  if (!postgres) throw new Error('PostgreSQL did not start');
  return postgres.createDatabase(`store${++databases}`);
}

const pgFactory: StoreFactory = {
  async create() {
    const url = await newDatabase();
    return { store: await PgStore.open(url), reopen: () => PgStore.open(url, { mustExist: true }) };
  },
};

storeContract('PgStore', pgFactory, skip);
storeContractV2('PgStore', pgFactory, skip);

function win(black: Account, white: Account): FinishedGame {
  const rated = rateGame(black.rating, white.rating, 1);
  return {
    black: { accountId: black.id, name: black.name, before: black.rating, after: rated.black },
    white: { accountId: white.id, name: white.name, before: white.rating, after: rated.white },
    winner: 'black',
    termination: 'no-moves',
    moves: ['9-13'],
    startedAt: new Date(),
    endedAt: new Date(),
  };
}

describe('PgStore with several nodes and failures', { skip }, () => {
  it('loses no rating update when two nodes record games of the same player at once', async (t) => {
    const url = await newDatabase();
    const nodeA = await PgStore.open(url);
    const nodeB = await PgStore.open(url);
    t.after(() => Promise.all([nodeA.end(), nodeB.end()]));
    const names = ['hub', ...Array.from({ length: 20 }, (_, i) => `o${i}`)];
    await nodeA.createAccounts(names.map((name) => ({ name, passwordHash: 'h' })));
    const hub = await nodeA.findAccount('hub');
    const opponents = await nodeA.listAccounts();
    assert.ok(hub);
    // Every game was started with hub's initial rating, as two nodes would each have read it.
    await Promise.all(
      opponents
        .filter((account) => account.name !== 'hub')
        .map((opponent, index) =>
          (index % 2 === 0 ? nodeA : nodeB).commit({ live: [], finished: [{ game: win(hub, opponent) }] }),
        ),
    );
    const after = await nodeA.findAccount('hub');
    assert.equal(after?.games, 20);
    assert.equal(after?.wins, 20);
    // Each game was rated from the rating the one before left: 20 wins climb far above one win's rating.
    const oneWin = rateGame(DEFAULT_RATING, DEFAULT_RATING, 1).black.rating;
    assert.ok((after?.rating.rating ?? 0) > oneWin + 100, `rating ${after?.rating.rating} after 20 wins`);
    const games = await nodeA.listGames({ user: 'hub' });
    // The games chain: each one's rating before is the one before's rating after.
    const chain = games.map((game) => [game.black.ratingBefore, game.black.ratingAfter] as const);
    chain.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < chain.length; i++) assert.equal(chain[i]?.[0], chain[i - 1]?.[1]);
    assert.equal(chain.at(-1)?.[1], after?.rating.rating);
  });

  it('two nodes creating one name at once: one account, and a StoreError for the other (the house bot at a cluster start)', async (t) => {
    const url = await newDatabase();
    const nodeA = await PgStore.open(url);
    const nodeB = await PgStore.open(url);
    t.after(() => Promise.all([nodeA.end(), nodeB.end()]));
    for (let round = 0; round < 20; round++) {
      const name = `both${round}`;
      const outcomes = await Promise.allSettled([nodeA.createAccount(name, 'h'), nodeB.createAccount(name, 'h')]);
      assert.equal(outcomes.filter((outcome) => outcome.status === 'fulfilled').length, 1, name);
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') assert.ok(outcome.reason instanceof StoreError, String(outcome.reason));
      }
    }
    assert.equal((await nodeA.listAccounts()).length, 20);
  });

  it('fails a commit while PostgreSQL is down with a storage fault, and commits once it is back', async (t) => {
    if (!postgres) throw new Error('PostgreSQL did not start');
    const url = await newDatabase();
    const store = await PgStore.open(url);
    t.after(() => store.end());
    await store.createAccounts(['r1', 'r2'].map((name) => ({ name, passwordHash: 'h' })));
    const [r1, r2] = await Promise.all(['r1', 'r2'].map((name) => store.findAccount(name)));
    assert.ok(r1 && r2);
    await postgres.kill();
    try {
      const failure = await store.commit({ live: [], finished: [{ game: win(r1, r2) }] }).then(
        () => assert.fail('a commit succeeded with PostgreSQL stopped'),
        (error: unknown) => error,
      );
      assert.match(describeStorageFailure(failure).text, /PostgreSQL cannot be reached/);
    } finally {
      await postgres.start();
    }
    await store.commit({ live: [], finished: [{ game: win(r1, r2) }] });
    assert.equal((await store.findAccount('r1'))?.wins, 1);
  });

  it('refuses to start with one line saying what to do: unreachable, wrong password, no such database', async () => {
    if (!postgres) throw new Error('PostgreSQL did not start');
    const closedPort = await freeLoopbackPort();
    await assert.rejects(
      openPgStore(`postgres://checkers:x@127.0.0.1:${closedPort}/checkers`),
      (error: Error) =>
        error instanceof StoreError &&
        /^cannot reach PostgreSQL at postgres:\/\/checkers:\*\*\*@127\.0\.0\.1:\d+\/checkers .*; start PostgreSQL or correct the host and port in --db$/.test(
          error.message,
        ),
    );
    const wrong = postgres.url.replace(/:[^:@]+@/, ':wrong@');
    await assert.rejects(openPgStore(wrong), /PostgreSQL refused the user or password in .*; correct them in --db$/);
    await assert.rejects(
      openPgStore(postgres.url.replace(/\/checkers$/, '/nosuch')),
      /the database in .* does not exist .*; create it \(createdb\) or correct its name in --db$/,
    );
  });

  it('gives a new database the demo accounts when asked, and never twice', async () => {
    const url = await newDatabase();
    const first = await openPgStore(url, { demoAccounts: true });
    const count = (await first.listAccounts()).length;
    await first.end();
    assert.ok(count > 0);
    const second = await openPgStore(url, { demoAccounts: true });
    assert.equal((await second.listAccounts()).length, count);
    await second.end();
  });
});
