import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BLACK, WHITE } from '../../../src/game/position.js';
import { addPlayers, TEST_PASSWORD } from '../../support/accounts.js';
import { clusterDatabase, clusterMissing, type SharedDatabase } from '../../support/cluster.js';
import { legalMoveByte, nextTurn, playGame } from '../../support/player.js';
import { RawClient } from '../../support/raw-client.js';
import { startTestRedis, type TestRedis } from '../../support/redis.js';
import { type ServerProcess, spawnServer } from '../../support/server-process.js';

const skip = clusterMissing();

/** Logs in on `port` until the player is back in its game (a node may still be taking it over). */
async function loginUntilInGame(ports: readonly number[], name: string, deadlineMs: number): Promise<RawClient> {
  const deadline = Date.now() + deadlineMs;
  for (let attempt = 0; ; attempt++) {
    const port = ports[attempt % ports.length] ?? 0;
    const client = await RawClient.connect(port).catch(() => undefined);
    if (client) {
      try {
        await client.login(name, TEST_PASSWORD);
        await client.expect('GameStart', 4_000);
        return client;
      } catch {
        client.close();
      }
    }
    if (Date.now() > deadline) throw new Error(`${name} did not get back into the game within ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

describe('failover: kill -9 of the node that referees a game', { skip }, () => {
  let redis: TestRedis;
  const nodes: ServerProcess[] = [];
  let database: SharedDatabase;

  before(async () => {
    redis = await startTestRedis();
    database = await clusterDatabase();
    const store = await database.openStore();
    await addPlayers(store, 'fail', 2);
    store.close();
    for (const name of ['alpha', 'beta', 'gamma']) {
      nodes.push(await spawnServer(database.db, ['--cluster', redis.url, '--node-name', name]));
    }
  });

  after(async () => {
    for (const node of nodes) await node.stop();
    await database?.stop();
    await redis?.stop();
  });

  test('the game resumes on another node with no answered move lost, and both players get back in', async () => {
    const [alpha, beta, gamma] = nodes as [ServerProcess, ServerProcess, ServerProcess];
    // fail1 waits longer at the same rating, so she is black and her node (alpha) referees the game.
    const black = await RawClient.connect(alpha.port);
    await black.login('fail1', TEST_PASSWORD);
    const white = await RawClient.connect(beta.port);
    await white.login('fail2', TEST_PASSWORD);
    const clients = [black, white];
    try {
      await black.expect('GameStart', 10_000);
      await white.expect('GameStart', 10_000);
      // Six answered moves, then whoever is to move holds the seventh turn.
      const colorOf = (index: number) => (index === 0 ? BLACK : WHITE);
      for (let played = 0; played < 6; played++) {
        const { index, turn } = await nextTurn([black, white]);
        (index === 0 ? black : white).send({ type: 'MakeMove', move: legalMoveByte(turn.board, colorOf(index)) });
      }
      const held = await nextTurn([black, white]);
      alpha.child.kill('SIGKILL');
      await alpha.exited();
      await black.closedWithin(5_000);
      // Black logs in on gamma; beta drops white once the lease has expired, and white logs in again.
      const [blackAgain, whiteAgain] = await Promise.all([
        loginUntilInGame([gamma.port], 'fail1', 30_000),
        (async () => {
          await white.closedWithin(30_000);
          return loginUntilInGame([beta.port, gamma.port], 'fail2', 30_000);
        })(),
      ]);
      clients.push(blackAgain, whiteAgain);
      const resumed = await nextTurn([blackAgain, whiteAgain]);
      assert.equal(resumed.index, held.index, 'the same player is to move');
      assert.deepEqual(resumed.turn.board, held.turn.board, 'the position after the six answered moves');
      (resumed.index === 0 ? blackAgain : whiteAgain).send({
        type: 'MakeMove',
        move: legalMoveByte(resumed.turn.board, colorOf(resumed.index)),
      });
      const [x, y] = await Promise.all([
        playGame(blackAgain, undefined, 20_000, BLACK),
        playGame(whiteAgain, undefined, 20_000, WHITE),
      ]);
      assert.ok(x.gameOver && y.gameOver, 'the game is played to its end');
      const store = await database.openStore();
      try {
        const games = await store.listGames({ user: 'fail1' });
        assert.equal(games.length, 1);
        assert.ok((games[0]?.moves.length ?? 0) >= 3, 'the moves before the kill are in the record');
      } finally {
        store.close();
      }
    } catch (error) {
      for (const node of nodes) process.stderr.write(`${node.log()}\n----\n`);
      throw error;
    } finally {
      for (const client of clients) client.close();
    }
  });
});
