import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { decodeEnvelope, type Envelope, type QueueEntry } from '../../../src/server/cluster/envelope.js';
import { inboxKey, nodeKey } from '../../../src/server/cluster/keys.js';
import { seedCounters } from '../../../src/server/cluster/leases.js';
import { ClusterQueue } from '../../../src/server/cluster/queue.js';
import { acceptableGap, DEFAULT_MATCHMAKING } from '../../../src/server/matchmaking.js';
import { seededRandom } from '../../support/random.js';
import { redisMissing, startTestRedis, type TestRedis } from '../../support/redis.js';

const skip = redisMissing();
const NODES = ['n1', 'n2', 'n3'];
const ROUNDS = 40;
const ACCOUNTS = 60;

describe('the shared queue', { skip }, () => {
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

  test('under joins and leaves on every node and pairing on all at once, nobody is paired twice and every pair respects the policy', async () => {
    const random = seededRandom(18);
    for (const node of NODES) await client.set(nodeKey(node), 'test', 'PX', 600_000);
    // As a node does at start: pairing waits for the counters.
    await seedCounters(client, { largestGameId: 0, largestFence: 0 });
    const queues = NODES.map((node) => new ClusterQueue(new Redis(redis.url), node));
    /** Where each account waits now (node index), if it does. */
    const waiting = new Map<number, number>();
    const left = new Set<string>();
    const entryId = (entry: Pick<QueueEntry, 'node' | 'key'>) => `${entry.node}/${entry.key}`;
    const keys = new Map<string, number>();
    let nextKey = 1;
    const latest = new Map<number, string>();
    try {
      const start = Date.now();
      for (let round = 0; round < ROUNDS; round++) {
        const work: Promise<unknown>[] = [];
        for (let step = 0; step < 12; step++) {
          const accountId = 1 + random(ACCOUNTS);
          const at = waiting.get(accountId);
          if (at === undefined) {
            const nodeIndex = random(NODES.length);
            const node = NODES[nodeIndex] ?? 'n1';
            const key = nextKey++;
            const rating = 1200 + random(800);
            waiting.set(accountId, nodeIndex);
            latest.set(accountId, `${node}/${key}`);
            keys.set(`${node}/${key}`, accountId);
            const entry = {
              accountId,
              name: `p${accountId}`,
              rating,
              glicko: { rating, deviation: 350, volatility: 0.06 },
            };
            // The same entry shape the server sends, with the test's own key.
            work.push((queues[nodeIndex] as ClusterQueue).join({ ...entry, since: start - random(8_000), node, key }));
          } else if (random(10) < 3) {
            waiting.delete(accountId);
            const id = latest.get(accountId) ?? '';
            work.push(
              (queues[at] as ClusterQueue).leave(accountId).then((stillWaiting) => {
                if (stillWaiting) left.add(id);
              }),
            );
          }
        }
        // Every node pairs at the same moment, as if each held the lease.
        for (const queue of queues) work.push(queue.pairRound(Date.now(), { withoutLease: true }));
        await Promise.all(work);
        // A paired account is no longer waiting.
        for (const envelope of await readPairs(client)) {
          for (const entry of [envelope.black, envelope.white]) {
            if (latest.get(entry.accountId) === entryId(entry)) waiting.delete(entry.accountId);
          }
        }
      }
      const pairs = await readPairs(client);
      assert.ok(pairs.length > 10, `enough pairs to mean something (${pairs.length})`);
      const seen = new Set<string>();
      const ids = new Set<number>();
      for (const pair of pairs) {
        assert.ok(!ids.has(pair.gameId), 'each game id once');
        ids.add(pair.gameId);
        for (const entry of [pair.black, pair.white]) {
          const id = entryId(entry);
          assert.ok(!seen.has(id), `entry ${id} (account ${entry.accountId}) paired twice`);
          assert.ok(!left.has(id), `entry ${id} paired after it left the queue`);
          seen.add(id);
        }
        assert.notEqual(pair.black.accountId, pair.white.accountId);
        assert.ok(pair.black.rating <= pair.white.rating, 'the lower rating moves first');
        const gap = pair.white.rating - pair.black.rating;
        const window = Math.max(
          acceptableGap(pair.black, pair.now, DEFAULT_MATCHMAKING),
          acceptableGap(pair.white, pair.now, DEFAULT_MATCHMAKING),
        );
        assert.ok(gap <= window, `gap ${gap} within the window ${window}`);
      }
    } finally {
      for (const queue of queues) (queue as unknown as { redis: Redis }).redis.disconnect();
    }
  });
});

/** Every pairing sent to any node so far. */
async function readPairs(client: Redis): Promise<Extract<Envelope, { type: 'pair' }>[]> {
  const pairs: Extract<Envelope, { type: 'pair' }>[] = [];
  for (const node of NODES) {
    for (const [, fields] of await client.xrange(inboxKey(node), '-', '+')) {
      const envelope = decodeEnvelope(fields[1] ?? '');
      if (envelope?.type === 'pair') pairs.push(envelope);
    }
  }
  return pairs;
}
