import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { holdLeases } from '../../../src/server/cluster/redis-scripts.js';
import { redisMissing, startTestRedis, type TestRedis } from '../../support/redis.js';

const skip = redisMissing();

describe('renewing many leases at once', { skip }, () => {
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

  test('renews what the holder has, takes what nobody has, and names only the keys another holder has (over several chunks)', async () => {
    // 2,500 keys: more than two chunks of the script. Every third is ours, every third another's, the rest free.
    const keys = Array.from({ length: 2_500 }, (_, i) => `renewals:${i}`);
    const owner = (i: number) => ['me', 'other', undefined][i % 3];
    for (const [i, key] of keys.entries()) {
      const holder = owner(i);
      if (holder) await client.set(key, holder, 'PX', 1_000);
    }
    const lost = await holdLeases(client, keys, 'me', 60_000);
    assert.deepEqual(
      lost,
      keys.filter((_, i) => owner(i) === 'other'),
    );
    const [values, ttls] = await Promise.all([client.mget(keys), Promise.all(keys.map((key) => client.pttl(key)))]);
    for (const [i] of keys.entries()) {
      const expected = owner(i) === 'other' ? 'other' : 'me';
      assert.equal(values[i], expected, `holder of key ${i}`);
      if (expected === 'me') assert.ok((ttls[i] ?? 0) > 50_000, `key ${i} renewed for the new time`);
      else assert.ok((ttls[i] ?? 0) <= 1_000, `key ${i} left as it was`);
    }
    assert.deepEqual(await holdLeases(client, [], 'me', 60_000), []);
  });
});
