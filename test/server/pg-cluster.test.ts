import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { StoredGame } from '../../src/server/domain/games.js';
import { PgStore } from '../../src/server/store/pg-store.js';
import { addPlayers, TEST_PASSWORD } from '../support/accounts.js';
import { playGame } from '../support/player.js';
import { postgresMissing, startPostgres, type TestPostgres } from '../support/postgres.js';
import { seededRandom } from '../support/random.js';
import { RawClient } from '../support/raw-client.js';
import { redisMissing, startTestRedis, type TestRedis } from '../support/redis.js';
import { type ServerProcess, spawnServer } from '../support/server-process.js';

const skip = postgresMissing() || redisMissing();

/** Two nodes of one cluster sharing one PostgreSQL database, as on two machines. */
describe('a cluster of two nodes on PostgreSQL', { skip, timeout: 120_000 }, () => {
  let postgres: TestPostgres | undefined;
  let redis: TestRedis | undefined;
  let nodes: ServerProcess[] = [];
  let store: PgStore | undefined;

  before(async () => {
    postgres = await startPostgres();
    redis = await startTestRedis();
    const url = postgres.url;
    // The first start creates the tables; both nodes then share them.
    store = await PgStore.open(url);
    const cluster = redis.url;
    nodes = await Promise.all(
      ['alpha', 'beta'].map((node) => spawnServer(url, ['--no-tls', '--cluster', cluster, '--node-name', node])),
    );
  });

  after(async () => {
    await Promise.all(nodes.map((node) => node.stop()));
    await store?.end();
    await redis?.stop();
    await postgres?.stop();
  });

  it('players spread over both nodes play whole games; every rating and count adds up in PostgreSQL', async () => {
    const [alpha, beta] = nodes;
    const db = store;
    assert.ok(alpha && beta && db);
    const pairs = 6;
    const names = await addPlayers(db, 'pc', pairs * 2);
    const clients = await Promise.all(
      names.map(async (name, index) => {
        const client = await RawClient.connect((index % 2 === 0 ? alpha : beta).port);
        await client.login(name, TEST_PASSWORD);
        return client;
      }),
    );
    try {
      const results = await Promise.all(
        clients.map((client, index) => playGame(client, seededRandom(100 + index), 30_000)),
      );
      assert.ok(results.every((result) => result.gameOver));
      const games = await db.listGames();
      assert.equal(games.length, pairs);
      const accounts = await db.listAccounts();
      const players = accounts.filter((account) => account.name.startsWith('pc'));
      assert.equal(
        players.reduce((sum, account) => sum + account.games, 0),
        pairs * 2,
      );
      assert.equal(
        players.reduce((sum, account) => sum + account.wins + account.losses + account.draws, 0),
        pairs * 2,
      );
      // Every account's rating is the one its game left.
      for (const account of players) {
        const played: StoredGame[] = await db.listGames({ user: account.name });
        const game = played[0];
        assert.ok(game);
        const side: StoredGame['black'] = game.black.name === account.name ? game.black : game.white;
        assert.equal(account.rating.rating, side.ratingAfter, account.name);
      }
      assert.equal((await db.loadLiveGames()).length, 0);
    } finally {
      for (const client of clients) client.close();
    }
  });
});
