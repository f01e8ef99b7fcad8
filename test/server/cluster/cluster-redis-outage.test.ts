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
import { legalMoveByte, nextTurn, playGame } from '../../support/player.js';
import { RawClient } from '../../support/raw-client.js';
import { startTestRedis, type TestRedis } from '../../support/redis.js';

const skip = clusterMissing();

async function playTurns(clients: readonly [RawClient, RawClient], turns: number): Promise<void> {
  for (let played = 0; played < turns; played++) {
    const { index, turn } = await nextTurn(clients);
    clients[index]?.send({ type: 'MakeMove', move: legalMoveByte(turn.board, index === 0 ? BLACK : WHITE) });
  }
}

async function pair(first: [ClusterNode, string], second: [ClusterNode, string]): Promise<[RawClient, RawClient]> {
  const a = await RawClient.connect(first[0].port);
  await a.login(first[1], TEST_PASSWORD);
  const b = await RawClient.connect(second[0].port);
  await b.login(second[1], TEST_PASSWORD);
  await a.expect('GameStart', 10_000);
  await b.expect('GameStart', 10_000);
  return [a, b];
}

describe('Redis restarted mid-game', { skip }, () => {
  let redis: TestRedis;
  let nodes: ClusterNode[] = [];
  let database: SharedDatabase;

  before(async () => {
    redis = await startTestRedis();
    database = await clusterDatabase();
    nodes = [
      await startNode({ database, redisUrl: redis.url, name: 'alpha' }),
      await startNode({ database, redisUrl: redis.url, name: 'beta' }),
    ];
  });

  after(async () => {
    for (const node of nodes) await node.stop();
    await database?.stop();
    await redis?.stop();
  });

  test('a game on one node goes on while Redis is down; a relayed game goes on once it is back, nobody disconnected', async () => {
    const [alpha, beta] = nodes as [ClusterNode, ClusterNode];
    const [l1 = '', l2 = '', r1 = '', r2 = ''] = await addPlayers(alpha.store, 'out', 4);
    const local = await pair([alpha, l1], [alpha, l2]);
    const relayed = await pair([alpha, r1], [beta, r2]);
    const clients = [...local, ...relayed];
    try {
      await playTurns(local, 2);
      await playTurns(relayed, 2);
      await redis.down();
      // Both players on the owning node: the game goes on without Redis.
      await playTurns(local, 4);
      await redis.up();
      // Redis came back empty; the relayed game lost nothing (it was idle), so it simply goes on.
      const results = await Promise.all([
        playGame(local[0], undefined, 20_000, BLACK),
        playGame(local[1], undefined, 20_000, WHITE),
        playGame(relayed[0], undefined, 20_000, BLACK),
        playGame(relayed[1], undefined, 20_000, WHITE),
      ]);
      for (const result of results) assert.ok(result.gameOver, 'every game is played to its end');
      for (const client of clients) assert.ok(!client.isClosed, 'nobody was disconnected');
      assert.equal((await alpha.store.listGames()).filter((game) => game.black.name.startsWith('out')).length, 2);
    } finally {
      for (const client of clients) client.close();
    }
  });

  test('a relayed game waits while Redis does not answer, and carries on with nothing lost', async () => {
    const [alpha, beta] = nodes as [ClusterNode, ClusterNode];
    const [b = '', w = ''] = await addPlayers(alpha.store, 'pause', 2);
    const relayed = await pair([alpha, b], [beta, w]);
    try {
      await playTurns(relayed, 3);
      redis.pause();
      // A move made now waits in Redis's socket; the answer comes once it runs again.
      const pending = playTurns(relayed, 1);
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      redis.resume();
      await pending;
      const [x, y] = await Promise.all([
        playGame(relayed[0], undefined, 20_000, BLACK),
        playGame(relayed[1], undefined, 20_000, WHITE),
      ]);
      assert.ok(x.gameOver && y.gameOver, 'played to its end, no message lost');
      assert.equal((await alpha.store.listGames({ user: b })).length, 1);
    } finally {
      redis.resume();
      for (const client of relayed) client.close();
    }
  });
});
