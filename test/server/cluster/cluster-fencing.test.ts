import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { BLACK, WHITE } from '../../../src/game/position.js';
import { decodeEnvelope, type Envelope } from '../../../src/server/cluster/envelope.js';
import {
  accountGameKey,
  FENCE_KEY,
  GAME_IDS_KEY,
  gameKey,
  inboxKey,
  nodeKey,
} from '../../../src/server/cluster/keys.js';
import { GameLeases, seedCounters } from '../../../src/server/cluster/leases.js';
import { ClusterQueue } from '../../../src/server/cluster/queue.js';
import { DEFAULT_RATING } from '../../../src/server/domain/rating.js';
import { addPlayers, TEST_PASSWORD } from '../../support/accounts.js';
import {
  type ClusterNode,
  clusterDatabase,
  clusterMissing,
  type SharedDatabase,
  startNode,
} from '../../support/cluster.js';
import { legalMoveByte, nextTurn, playGame } from '../../support/player.js';
import { DroppingProxy } from '../../support/proxy.js';
import { RawClient } from '../../support/raw-client.js';
import { redisMissing, startTestRedis, type TestRedis } from '../../support/redis.js';
import { waitUntil } from '../../support/wait.js';

describe('fencing tokens in Redis', { skip: redisMissing() }, () => {
  let redis: TestRedis;
  let client: Redis;

  before(async () => {
    redis = await startTestRedis();
    client = new Redis(redis.url);
  });

  after(async () => {
    client?.disconnect();
    await redis?.stop();
  });

  test('a take after the lease expired gets a larger token, a renewal keeps it, nothing before the seed', async () => {
    await client.flushall();
    const alpha = new GameLeases(client, 'alpha');
    const beta = new GameLeases(client, 'beta');
    assert.equal(await alpha.take(1, [10, 11]), 0, 'no token before the counter is seeded from the store');
    await seedCounters(client, { largestGameId: 5, largestFence: 40 });
    const first = await alpha.take(1, [10, 11]);
    assert.equal(first, 41, 'above the largest token in the store');
    assert.equal(await client.get(accountGameKey(10)), '1');
    assert.equal(await beta.take(1, [10, 11]), 0, 'held by alpha');
    assert.deepEqual(await alpha.renewAll([1]), []);
    assert.equal(await client.get(FENCE_KEY), '41', 'a renewal hands out no token');
    await client.del(gameKey(1));
    const second = await beta.take(1, [10, 11]);
    assert.ok(second > first, `the new referee's token ${second} is larger than ${first}`);
    assert.deepEqual(await alpha.renewAll([1]), [1], 'alpha hears that it lost the game');
    await seedCounters(client, { largestGameId: 0, largestFence: 3 });
    assert.equal(await client.get(FENCE_KEY), String(second), 'a seed never lowers the counter');
    assert.equal(await client.get(GAME_IDS_KEY), '5');
  });

  test('after FLUSHALL: nothing is taken until seeded; an owner re-asserting keeps its token and raises the counter', async () => {
    await client.flushall();
    await seedCounters(client, { largestGameId: 0, largestFence: 0 });
    const beta = new GameLeases(client, 'beta');
    const token = await beta.take(7, [20]);
    assert.equal(token, 1);
    await client.flushall();
    assert.equal(await new GameLeases(client, 'gamma').take(8, []), 0, 'the counter is gone: no token');
    assert.equal(await beta.assert(7, [20], token), true);
    assert.equal(await client.get(FENCE_KEY), null, 'a re-assert does not create the counter (only a seed does)');
    await seedCounters(client, { largestGameId: 7, largestFence: 0 });
    assert.equal(await beta.assert(7, [20], 9), true);
    assert.equal(await client.get(FENCE_KEY), '9', 'raised to the owner token');
    assert.equal(await new GameLeases(client, 'gamma').take(8, []), 10);
  });

  test('pairing hands out the game id with its first token, and pairs nobody while the counter is not seeded', async () => {
    await client.flushall();
    await client.set(nodeKey('alpha'), '127.0.0.1:1');
    const queue = new ClusterQueue(client, 'alpha');
    const entry = (accountId: number, key: number) => ({
      accountId,
      name: `p${accountId}`,
      rating: 1500,
      glicko: DEFAULT_RATING,
      since: Date.now(),
      node: 'alpha',
      key,
    });
    await queue.join(entry(1, 1));
    await queue.join(entry(2, 2));
    assert.equal(await queue.pairRound(Date.now(), { withoutLease: true }), 0, 'not seeded: nobody paired');
    await seedCounters(client, { largestGameId: 30, largestFence: 70 });
    assert.equal(await queue.pairRound(Date.now(), { withoutLease: true }), 1);
    const [[, fields] = ['', []]] = await client.xrange(inboxKey('alpha'), '-', '+');
    const pair = decodeEnvelope(fields[1] ?? '') as Extract<Envelope, { type: 'pair' }>;
    assert.deepEqual([pair.type, pair.gameId, pair.fence], ['pair', 31, 71]);
  });
});

const skip = clusterMissing();

describe('fencing: a node cut off from Redis, not from the database, after another took its game over', {
  skip,
}, () => {
  let redis: TestRedis;
  let proxy: DroppingProxy;
  let database: SharedDatabase;
  let nodes: ClusterNode[] = [];

  before(async () => {
    redis = await startTestRedis();
    proxy = await DroppingProxy.start(redis.port);
    database = await clusterDatabase();
    nodes = [
      await startNode({ database, redisUrl: `redis://127.0.0.1:${proxy.port}`, name: 'alpha' }),
      await startNode({ database, redisUrl: redis.url, name: 'beta' }),
    ];
  });

  after(async () => {
    proxy?.thaw();
    for (const node of nodes) await node.stop();
    proxy?.close();
    await database?.stop();
    await redis?.stop();
  });

  test('its move is never answered nor stored, and the game goes on from the store on the new referee', {
    timeout: 180_000,
  }, async () => {
    const [alpha, beta] = nodes as [ClusterNode, ClusterNode];
    const [first = '', second = ''] = await addPlayers(alpha.store, 'fence', 2);
    const colorOf = (index: number) => (index === 0 ? BLACK : WHITE);
    const look = new Redis(redis.url);
    const clients: RawClient[] = [];
    try {
      // Both players on alpha: alpha referees, and the game needs nothing from Redis to go on there.
      const black = await RawClient.connect(alpha.port);
      await black.login(first, TEST_PASSWORD);
      const white = await RawClient.connect(alpha.port);
      await white.login(second, TEST_PASSWORD);
      clients.push(black, white);
      await black.expect('GameStart', 10_000);
      await white.expect('GameStart', 10_000);
      for (let played = 0; played < 4; played++) {
        const { index, turn } = await nextTurn([black, white]);
        clients[index]?.send({ type: 'MakeMove', move: legalMoveByte(turn.board, colorOf(index)) });
      }
      const held = await nextTurn([black, white]);
      const blackId = (await alpha.store.findAccount(first))?.id ?? 0;
      const gameId = Number(await look.get(accountGameKey(blackId)));
      assert.equal(await look.get(gameKey(gameId)), 'alpha');

      proxy.freeze();
      // The lease expires; beta, the matchmaker now, takes the orphan over with a larger token, stored first.
      await waitUntil(async () => (await look.get(gameKey(gameId))) === 'beta', 'beta owns the game', 30_000);
      await waitUntil(
        async () => (await beta.store.maxFence()) === Number(await look.get(FENCE_KEY)),
        "beta's token stored",
        10_000,
      );
      const before = (await beta.store.loadLiveGames()).find((game) => game.id === gameId);
      assert.ok(before, 'the game is stored');

      // Alpha does not know: it plays the move, and its commit is fenced off.
      const mover = clients[held.index] as RawClient;
      const waiting = clients[1 - held.index] as RawClient;
      const seen = [mover, waiting].map((client) => client.pending().length);
      mover.send({ type: 'MakeMove', move: legalMoveByte(held.turn.board, colorOf(held.index)) });
      await mover.closedWithin(10_000);
      await waiting.closedWithin(10_000);
      for (const [index, client] of [mover, waiting].entries()) {
        const told = client
          .pending()
          .slice(seen[index])
          .map((message) => message.type);
        assert.deepEqual(told, [], `nothing about the move was sent (got ${told.join(', ')})`);
      }
      const after = (await beta.store.loadLiveGames()).find((game) => game.id === gameId);
      assert.deepEqual(after?.moves, before.moves, 'the store keeps the state beta took over');
      assert.deepEqual(after?.position, before.position);

      // Both players come back on beta and finish the game from where the store has it.
      const blackAgain = await RawClient.connect(beta.port);
      await blackAgain.login(first, TEST_PASSWORD);
      const whiteAgain = await RawClient.connect(beta.port);
      await whiteAgain.login(second, TEST_PASSWORD);
      clients.push(blackAgain, whiteAgain);
      await blackAgain.expect('GameStart', 10_000);
      await whiteAgain.expect('GameStart', 10_000);
      const resumed = await nextTurn([blackAgain, whiteAgain]);
      assert.equal(resumed.index, held.index, 'the same player is to move');
      assert.deepEqual(resumed.turn.board, held.turn.board, 'the position before the fenced-off move');
      (resumed.index === 0 ? blackAgain : whiteAgain).send({
        type: 'MakeMove',
        move: legalMoveByte(resumed.turn.board, colorOf(resumed.index)),
      });
      const [x, y] = await Promise.all([
        playGame(blackAgain, undefined, 20_000, BLACK),
        playGame(whiteAgain, undefined, 20_000, WHITE),
      ]);
      assert.ok(x.gameOver && y.gameOver, 'the game is played to its end on beta');
      const games = await beta.store.listGames({ user: first });
      assert.equal(games.length, 1, 'recorded once');
      assert.deepEqual(games[0]?.moves.slice(0, before.moves.length), [...before.moves]);
    } finally {
      for (const client of clients) client.close();
      look.disconnect();
    }
  });
});

describe('fencing: Redis restarted without its data', { skip }, () => {
  let redis: TestRedis;
  let database: SharedDatabase;
  let node: ClusterNode | undefined;

  before(async () => {
    redis = await startTestRedis();
    database = await clusterDatabase();
  });

  after(async () => {
    await node?.stop();
    await database?.stop();
    await redis?.stop();
  });

  test("the token counter is seeded above the store's largest token, at start and once Redis is back", async () => {
    const store = await database.openStore();
    await store.fenceGames([{ id: 12, fence: 500 }]);
    store.close();
    node = await startNode({ database, redisUrl: redis.url, name: 'alpha' });
    const look = new Redis(redis.url, { maxRetriesPerRequest: null });
    look.on('error', () => {});
    try {
      assert.equal(await look.get(FENCE_KEY), '500');
      await look.incr(FENCE_KEY);
      await redis.down();
      await redis.up();
      await waitUntil(async () => (await look.get(FENCE_KEY)) !== null, 'the counter seeded again', 15_000);
      assert.equal(await look.get(FENCE_KEY), '500', 'from the store, not from 0');
    } finally {
      look.disconnect();
    }
  });
});
