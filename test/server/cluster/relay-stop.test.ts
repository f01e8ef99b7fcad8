import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { Relay } from '../../../src/server/cluster/relay.js';
import { DroppingProxy } from '../../support/proxy.js';
import { redisMissing, startTestRedis, type TestRedis } from '../../support/redis.js';
import { within } from '../../support/wait.js';

const skip = redisMissing();

describe('Relay.stop', { skip }, () => {
  let redis: TestRedis;
  let proxy: DroppingProxy;

  before(async () => {
    redis = await startTestRedis();
    proxy = await DroppingProxy.start(redis.port);
  });

  after(async () => {
    proxy?.close();
    await redis?.stop();
  });

  test('returns while the reader is reconnecting (its waiting read is never settled)', async () => {
    const url = `redis://127.0.0.1:${proxy.port}`;
    const options = { lazyConnect: true, maxRetriesPerRequest: null, retryStrategy: () => 200 };
    const sender = new Redis(url, options);
    const reader = new Redis(url, options);
    for (const connection of [sender, reader]) connection.on('error', () => {});
    await Promise.all([sender.connect(), reader.connect()]);
    const relay = new Relay(sender, reader, 'alpha', pino({ level: 'silent' }));
    await relay.start(() => {});
    try {
      proxy.refuse();
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(reader.status, 'reconnecting');
      await within(relay.stop(), 5_000, 'Relay.stop did not return');
    } finally {
      proxy.accept();
      sender.disconnect();
      reader.disconnect();
    }
  });
});
