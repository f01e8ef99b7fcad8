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

  test('O2: the player on the surviving node stays connected, the game resumes there, and a login meanwhile waits', async (t) => {
    const [alpha, beta] = nodes as [ServerProcess, ServerProcess, ServerProcess];
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
      const killedAt = Date.now();
      alpha.child.kill('SIGKILL');
      await alpha.exited();
      await black.closedWithin(5_000);
      // White's move, if white holds the turn, goes to the dead referee and is never answered.
      if (held.index === 1) white.send({ type: 'MakeMove', move: legalMoveByte(held.turn.board, WHITE) });
      // Black logs in on beta 0.5 s after the kill, while alpha's lease still runs: the login waits.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const blackAgain = await RawClient.connect(beta.port);
      clients.push(blackAgain);
      await blackAgain.login('fail1', TEST_PASSWORD);
      await blackAgain.expect('GameStart', 20_000);
      const resumed = await nextTurn([blackAgain, white], 20_000);
      t.diagnostic(`the board again ${Date.now() - killedAt} ms after kill -9 of the referee's node`);
      assert.ok(!white.isClosed, 'white, on a live node, was never disconnected');
      assert.equal(resumed.index, held.index, 'the same player is to move');
      assert.deepEqual(resumed.turn.board, held.turn.board, 'the position after the six answered moves');
      (resumed.index === 0 ? blackAgain : white).send({
        type: 'MakeMove',
        move: legalMoveByte(resumed.turn.board, colorOf(resumed.index)),
      });
      const [x, y] = await Promise.all([
        playGame(blackAgain, undefined, 20_000, BLACK),
        playGame(white, undefined, 20_000, WHITE),
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
