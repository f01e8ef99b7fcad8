import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import type { ClusterHandler, Envelope } from '../../../src/server/cluster/index.js';
import { nodeKey, pairedKey, QUEUE_KEY } from '../../../src/server/cluster/keys.js';
import { RedisCluster } from '../../../src/server/cluster/redis-cluster.js';
import { HEARTBEAT_MS, PAIR_ROUND_MS } from '../../../src/server/cluster/shared-store-cluster.js';
import { ManualClock } from '../../support/manual-clock.js';
import { silentLog } from '../../support/memory-nodes.js';
import { DroppingProxy } from '../../support/proxy.js';
import { redisMissing, startTestRedis, type TestRedis } from '../../support/redis.js';
import { waitUntil } from '../../support/wait.js';

type Pair = Extract<Envelope, { type: 'pair' }>;

/** A node that owns nothing and records the pairings sent to it (it starts no game: a pairing stays on its way). */
function recordingHandler(pairs: Pair[]): ClusterHandler {
  return {
    receive: (envelope) => {
      if (envelope.type === 'pair') pairs.push(envelope);
    },
    leaseLost: () => {},
    redisReset: () => {},
    onlineAccounts: () => [],
    ownedGames: () => [],
    playersOf: () => [],
    fenceOf: () => 0,
    storedCounters: async () => ({ largestGameId: 0, largestFence: 0 }),
    adoptOrphans: async () => {},
  };
}

const player = (accountId: number, since: number) => ({
  accountId,
  name: `p${accountId}`,
  rating: 1500,
  glicko: { rating: 1500, deviation: 350, volatility: 0.06 },
  since,
});

/**
 * The contract of memory-cluster-queue.test.ts over real Redis: alpha reaches
 * Redis directly and pairs; beta reaches it through a proxy that cuts its
 * connection. Timers go by a manual clock; Redis's keys age in real time, so
 * each test lasts a few seconds at most.
 */
describe('the shared queue after a connection fault (real Redis)', { skip: redisMissing() }, () => {
  let redis: TestRedis;
  let probe: Redis;
  let proxy: DroppingProxy;
  let clock: ManualClock;
  let alpha: RedisCluster;
  let beta: RedisCluster;
  let pairs: Pair[];

  before(async () => {
    redis = await startTestRedis();
    probe = new Redis(redis.url);
  });
  after(async () => {
    probe?.disconnect();
    await redis?.stop();
  });

  beforeEach(async () => {
    await probe.flushdb();
    proxy = await DroppingProxy.start(redis.port);
    clock = new ManualClock(1_000_000);
    pairs = [];
    const options = { log: silentLog, clock, address: () => '127.0.0.1:1' };
    alpha = new RedisCluster({ ...options, url: redis.url, node: 'alpha' });
    beta = new RedisCluster({ ...options, url: `redis://127.0.0.1:${proxy.port}`, node: 'beta' });
    await alpha.start(recordingHandler(pairs));
    await beta.start(recordingHandler([]));
  });
  afterEach(async () => {
    // A relay's stop waits for its blocked read at most a read's block, on the clock: the clock moves meanwhile.
    let stopped = false;
    const stopping = Promise.all([beta.stop(), alpha.stop()]).finally(() => {
      stopped = true;
    });
    while (!stopped) {
      clock.advance(PAIR_ROUND_MS);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await stopping;
    proxy.close();
  });

  const queued = async () =>
    Object.keys(await probe.hgetall(QUEUE_KEY))
      .map(Number)
      .sort((a, b) => a - b);
  /** Moves the clock on by `ms` in pairing rounds, letting each round's commands reach Redis. */
  async function rounds(ms: number): Promise<void> {
    for (let left = ms; left > 0; left -= PAIR_ROUND_MS) {
      clock.advance(PAIR_ROUND_MS);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  test('a join rejected while Redis is out of reach is in the shared queue once it answers again, and is paired', async () => {
    alpha.joinQueue(player(1, clock.now() - 1_000));
    proxy.refuse();
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Beta knows Redis is out of reach: the join waits in ioredis's queue until it gives up on it (3 s).
    beta.joinQueue(player(2, clock.now()));
    for (let waited = 0; waited < 3_500; waited += 250) {
      clock.advance(PAIR_ROUND_MS);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.deepEqual(await queued(), [1], "beta's join never reached Redis");
    proxy.accept();
    await waitUntil(async () => (await queued()).includes(2), 'beta puts its waiting player back once Redis answers');
    await rounds(PAIR_ROUND_MS);
    await waitUntil(() => pairs.length > 0, 'alpha pairs them');
    assert.deepEqual(
      pairs.map((pair) => [pair.black.accountId, pair.white.accountId]),
      [[1, 2]],
    );
  });

  test('a connection reset while its pairing is on the way: the entry a pairing took is not put back, nobody is paired twice', async () => {
    proxy.holdReplies();
    beta.joinQueue(player(2, clock.now()));
    await waitUntil(async () => (await queued()).includes(2), "beta's join reaches Redis (its reply is held)");
    alpha.joinQueue(player(1, clock.now() - 1_000));
    await rounds(PAIR_ROUND_MS);
    await waitUntil(() => pairs.length === 1, 'alpha pairs them while the reply is held');
    assert.ok(await probe.get(pairedKey(2)), 'the entry the pairing took is marked');
    // The reply is lost; beta reconnects, puts its waiting players back, and beats on.
    proxy.resetAll();
    alpha.joinQueue(player(3, clock.now()));
    await rounds(3 * HEARTBEAT_MS);
    // Beta beats again (its node key renewed, then its queue re-asserted on the same connection, in order).
    await probe.pexpire(nodeKey('beta'), 1_000);
    clock.advance(HEARTBEAT_MS);
    await waitUntil(async () => (await probe.pttl(nodeKey('beta'))) > 5_000, 'beta beats again after the reset');
    await rounds(2 * PAIR_ROUND_MS);
    assert.deepEqual(await queued(), [3], 'player 2 is not back in the queue');
    assert.equal(pairs.length, 1, 'player 2 was paired once');
  });
});
