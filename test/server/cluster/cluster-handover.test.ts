import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BLACK, WHITE } from '../../../src/game/position.js';
import { addPlayers, TEST_PASSWORD } from '../../support/accounts.js';
import {
  type ClusterNode,
  clusterDatabase,
  clusterMissing,
  type SharedDatabase,
  startNode,
} from '../../support/cluster.js';
import { playGame, playOpeningTurns } from '../../support/player.js';
import { RawClient } from '../../support/raw-client.js';
import { startTestRedis, type TestRedis } from '../../support/redis.js';
import { waitUntil } from '../../support/wait.js';

const skip = clusterMissing();

describe('a node that stops', { skip }, () => {
  let redis: TestRedis;
  const started: ClusterNode[] = [];
  const databases: SharedDatabase[] = [];
  /** Each test is its own cluster: its own database and Redis database. */
  const node = async (name: string, database: SharedDatabase, redisDb: number) => {
    const server = await startNode({
      database,
      redisUrl: `${redis.url}/${redisDb}`,
      name,
      timing: { reconnectGraceMs: 2_000 },
    });
    started.push(server);
    return server;
  };
  const newDatabase = async () => {
    const database = await clusterDatabase();
    databases.push(database);
    return database;
  };

  before(async () => {
    redis = await startTestRedis();
  });
  after(async () => {
    for (const server of started) await server.stop();
    for (const database of databases) await database.stop();
    await redis?.stop();
  });

  test('hands its games over at once: players back on another node carry on', async () => {
    const database = await newDatabase();
    const alpha = await node('alpha', database, 1);
    const beta = await node('beta', database, 1);
    const [black = '', white = ''] = await addPlayers(alpha.store, 'hand', 2);
    const one = await RawClient.connect(alpha.port);
    await one.login(black, TEST_PASSWORD);
    const two = await RawClient.connect(beta.port);
    await two.login(white, TEST_PASSWORD);
    const clients = [one, two];
    try {
      await one.expect('GameStart', 10_000);
      await two.expect('GameStart', 10_000);
      await playOpeningTurns([one, two], 4);
      await alpha.stop();
      await one.closedWithin(5_000);
      // Beta keeps its relayed player and takes the game over; black logs in on beta and both carry on.
      const oneAgain = await RawClient.connect(beta.port);
      clients.push(oneAgain);
      await oneAgain.login(black, TEST_PASSWORD);
      await oneAgain.expect('GameStart', 10_000);
      const [x, y] = await Promise.all([
        playGame(oneAgain, undefined, 20_000, BLACK),
        playGame(two, undefined, 20_000, WHITE),
      ]);
      assert.ok(x.gameOver && y.gameOver);
      assert.ok(!two.isClosed, 'white, on beta, was never disconnected');
      const games = await beta.store.listGames({ user: black });
      assert.equal(games.length, 1);
      assert.ok((games[0]?.moves.length ?? 0) >= 2, 'the moves played on alpha are in the record');
    } finally {
      for (const client of clients) client.close();
    }
  });

  test('a game nobody comes back to is taken over and ends when the grace runs out', async () => {
    const database = await newDatabase();
    const gamma = await node('gamma', database, 2);
    const delta = await node('delta', database, 2);
    const [black = '', white = ''] = await addPlayers(gamma.store, 'gone', 2);
    const one = await RawClient.connect(gamma.port);
    await one.login(black, TEST_PASSWORD);
    const two = await RawClient.connect(gamma.port);
    await two.login(white, TEST_PASSWORD);
    try {
      await one.expect('GameStart', 10_000);
      await two.expect('GameStart', 10_000);
      await gamma.stop();
      await waitUntil(
        async () => (await delta.store.listGames({ user: black })).length === 1,
        'the game recorded by delta',
        20_000,
      );
      const [game] = await delta.store.listGames({ user: black });
      assert.equal(game?.termination, 'both-away');
      assert.equal((await delta.store.loadLiveGames()).length, 0);
    } finally {
      one.close();
      two.close();
    }
  });
});
