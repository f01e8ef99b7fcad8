import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { decodeEnvelope } from '../../../src/server/cluster/envelope.js';
import { inboxKey } from '../../../src/server/cluster/keys.js';
import { Relay, SENDER_OPTIONS } from '../../../src/server/cluster/relay.js';
import { DroppingProxy } from '../../support/proxy.js';
import { redisMissing, startTestRedis, type TestRedis } from '../../support/redis.js';
import { waitUntil } from '../../support/wait.js';

const skip = redisMissing();
const SENT = 5;

/**
 * V2 of issue 27 at the relay's level: the replies to a node's sends are
 * held (its requests still reach Redis), then its connection is reset. The
 * referee's next message must not wait for the reply to its previous one
 * (with ioredis's auto-pipelining it did: nothing more left the node, its
 * relayed player never heard of the move, and 6 s later another node took
 * the game over and its own player was disconnected); after the reset what
 * was sent arrives again at most (a resend), in order, and nothing is lost.
 */
describe('Relay.send while Redis holds its replies', { skip }, () => {
  let redis: TestRedis;
  let proxy: DroppingProxy;
  let spy: Redis;

  before(async () => {
    redis = await startTestRedis();
    proxy = await DroppingProxy.start(redis.port);
    spy = new Redis(redis.url);
  });

  after(async () => {
    spy?.disconnect();
    proxy?.close();
    await redis?.stop();
  });

  /** The account id of every envelope in beta's inbox, in stream order. */
  async function inbox(): Promise<number[]> {
    const entries = await spy.xrange(inboxKey('beta'), '-', '+');
    return entries.flatMap(([, fields]) => {
      const envelope = decodeEnvelope(fields[1] ?? '');
      return envelope && 'accountId' in envelope ? [envelope.accountId] : [];
    });
  }

  test('each envelope reaches Redis at once, not after the reply to the one before; a reset loses none', async () => {
    const url = `redis://127.0.0.1:${proxy.port}`;
    const options = { lazyConnect: true, retryStrategy: () => 100 };
    const sender = new Redis(url, { ...options, ...SENDER_OPTIONS });
    const reader = new Redis(url, { ...options, maxRetriesPerRequest: null });
    for (const connection of [sender, reader]) connection.on('error', () => {});
    await Promise.all([sender.connect(), reader.connect()]);
    const lost: string[] = [];
    const log = pino({ level: 'error' }, { write: (line: string) => lost.push(line) });
    const relay = new Relay(sender, reader, 'alpha', log);
    await relay.start(() => {});
    try {
      proxy.holdReplies();
      for (let a = 1; a <= SENT; a++) {
        relay.send('beta', { type: 'gone', gameId: 1, accountId: a, from: 'alpha' });
        // One envelope per event-loop turn, as a referee's messages of separate moves go.
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await waitUntil(
        async () => (await inbox()).length >= SENT,
        'every envelope in Redis with the replies held',
        5_000,
      );
      assert.deepEqual(await inbox(), [1, 2, 3, 4, 5]);

      proxy.resetAll();
      // Every send is answered after the reconnect (resent: ioredis does not know that Redis ran it).
      relay.send('beta', { type: 'gone', gameId: 1, accountId: SENT + 1, from: 'alpha' });
      await waitUntil(async () => (await inbox()).includes(SENT + 1), 'a send after the reset', 5_000);
      const arrived = await inbox();
      const firsts = arrived.filter((a, i) => arrived.indexOf(a) === i);
      assert.deepEqual(firsts, [1, 2, 3, 4, 5, 6], 'each arrived, in order of first arrival');
      for (const a of firsts) assert.ok(arrived.filter((b) => b === a).length <= 2, `envelope ${a} at most twice`);
      assert.deepEqual(lost, [], 'no relayed message lost');
    } finally {
      if (proxy.holdingReplies) proxy.resetAll();
      await relay.stop();
      sender.disconnect();
      reader.disconnect();
    }
  });
});
