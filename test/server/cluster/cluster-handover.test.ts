import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BLACK, WHITE } from '../../../src/game/position.js';
import { addPlayers, TEST_PASSWORD } from '../../support/accounts.js';
import { playGame, playOpeningTurns } from '../../support/player.js';
import { RawClient } from '../../support/raw-client.js';
import { redisMissing, startTestRedis, type TestRedis } from '../../support/redis.js';
import { startTestServer, type TestServer, temporaryDirectory } from '../../support/test-server.js';
import { waitUntil } from '../../support/wait.js';

const skip = redisMissing();

describe('a node that stops', { skip }, () => {
  let redis: TestRedis;
  const started: TestServer[] = [];
  /** Each test is its own cluster: its own database file and Redis database. */
  const node = async (name: string, dbPath: string, redisDb: number) => {
    const server = await startTestServer({
      dbPath,
      cluster: { url: `${redis.url}/${redisDb}`, node: name },
      timing: { reconnectGraceMs: 2_000 },
    });
    started.push(server);
    return server;
  };

  before(async () => {
    redis = await startTestRedis();
  });
  after(async () => {
    for (const server of started) await server.stop();
    await redis?.stop();
  });

  test('hands its games over at once: players back on another node carry on', async () => {
    const dbPath = `${temporaryDirectory()}/checkers.db`;
    const alpha = await node('alpha', dbPath, 1);
    const beta = await node('beta', dbPath, 1);
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
      // Beta drops its relayed player once the game has no referee; both log in on beta and resume.
      await two.closedWithin(10_000);
      const oneAgain = await RawClient.connect(beta.port);
      const twoAgain = await RawClient.connect(beta.port);
      clients.push(oneAgain, twoAgain);
      await oneAgain.login(black, TEST_PASSWORD);
      await twoAgain.login(white, TEST_PASSWORD);
      await oneAgain.expect('GameStart', 10_000);
      await twoAgain.expect('GameStart', 10_000);
      const [x, y] = await Promise.all([
        playGame(oneAgain, undefined, 20_000, BLACK),
        playGame(twoAgain, undefined, 20_000, WHITE),
      ]);
      assert.ok(x.gameOver && y.gameOver);
      const games = await beta.store.listGames({ user: black });
      assert.equal(games.length, 1);
      assert.ok((games[0]?.moves.length ?? 0) >= 2, 'the moves played on alpha are in the record');
    } finally {
      for (const client of clients) client.close();
    }
  });

  test('a game nobody comes back to is taken over and ends when the grace runs out', async () => {
    const dbPath = `${temporaryDirectory()}/checkers.db`;
    const gamma = await node('gamma', dbPath, 2);
    const delta = await node('delta', dbPath, 2);
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
