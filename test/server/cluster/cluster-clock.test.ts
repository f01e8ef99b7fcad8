import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import pino from 'pino';
import type { ClusterHandler } from '../../../src/server/cluster/index.js';
import { nodeKey } from '../../../src/server/cluster/keys.js';
import { RedisCluster } from '../../../src/server/cluster/redis-cluster.js';
import { ManualClock } from '../../support/manual-clock.js';
import { redisMissing, startTestRedis, type TestRedis } from '../../support/redis.js';
import { waitUntil } from '../../support/wait.js';

/** A node that owns nothing: enough to join, beat and pair. */
const idleHandler: ClusterHandler = {
  receive: () => {},
  leaseLost: () => {},
  redisReset: () => {},
  onlineAccounts: () => [],
  ownedGames: () => [],
  playersOf: () => [],
  fenceOf: () => 0,
  storedCounters: async () => ({ largestGameId: 0, largestFence: 0 }),
  adoptOrphans: async () => {},
};

describe('the Redis cluster keeps time by the injected Clock (real Redis)', { skip: redisMissing() }, () => {
  let redis: TestRedis;
  let probe: Redis;
  before(async () => {
    redis = await startTestRedis();
    probe = new Redis(redis.url);
  });
  after(async () => {
    probe?.disconnect();
    await redis?.stop();
  });

  it('renews its node key only when the clock says a heartbeat is due', async () => {
    const clock = new ManualClock(1_000_000);
    const cluster = new RedisCluster({
      url: redis.url,
      node: 'clocked',
      address: () => '127.0.0.1:1',
      log: pino({ level: 'silent' }),
      clock,
    });
    await cluster.start(idleHandler);
    try {
      // The key's time to live runs in Redis's real time; only a heartbeat sets it back to 6 s.
      await waitUntil(async () => (await probe.pttl(nodeKey('clocked'))) < 5_700, 'the node key ages in Redis', 5_000);
      const aged = await probe.pttl(nodeKey('clocked'));
      clock.advance(1_999);
      // Longer than a heartbeat in real time: a node beating by the system's timers would have renewed the key.
      await new Promise((resolve) => setTimeout(resolve, 2_300));
      const later = await probe.pttl(nodeKey('clocked'));
      assert.ok(later < aged - 2_000, `no heartbeat before 2 s of the clock (${aged} ms left, then ${later})`);
      clock.advance(1);
      await waitUntil(
        async () => (await probe.pttl(nodeKey('clocked'))) > 5_800,
        'the heartbeat at 2 s of the clock renews the node key',
        5_000,
      );
    } finally {
      await cluster.stop();
    }
  });
});
