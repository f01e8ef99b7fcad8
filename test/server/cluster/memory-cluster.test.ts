import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import type { Envelope } from '../../../src/server/cluster/envelope.js';
import { FENCE_KEY, gameKey } from '../../../src/server/cluster/keys.js';
import { GAME_LEASE_MS } from '../../../src/server/cluster/leases.js';
import { MemoryClusterState } from '../../../src/server/cluster/memory-state.js';
import { MemoryCluster } from '../../../src/server/cluster/memory-store.js';
import { RelayGuard } from '../../../src/server/cluster/relay-guard.js';
import { RelaySession } from '../../../src/server/cluster/relay-order.js';
import { ManualClock } from '../../support/manual-clock.js';
import { RecordingNode, runFor, type StoredCounters, silentLog } from '../../support/memory-nodes.js';

/**
 * The in-process cluster (src/server/cluster/memory-*.ts) on the manual
 * clock: the node rules of the Redis cluster over a shared store in memory.
 * Each rule names the Redis test that is its contract (test/server/cluster/,
 * against a real redis-server): the same rule must hold there.
 */
describe('the in-process cluster on the manual clock', () => {
  let clock: ManualClock;
  let state: MemoryClusterState;

  beforeEach(() => {
    clock = new ManualClock();
    state = new MemoryClusterState(clock);
  });

  async function node(name: string, counters?: StoredCounters): Promise<RecordingNode> {
    const started = new RecordingNode(new MemoryCluster({ state, node: name, log: silentLog }), counters);
    await started.start();
    return started;
  }

  // Contract: cluster-fencing.test.ts, "a take after the lease expired gets a larger token, a renewal keeps it".
  test('failover: a lease held while its node renews it; 6 s after the last renewal another node takes the game with a larger token, and the old node hears it lost it', async () => {
    const counters = async () => ({ largestGameId: 5, largestFence: 40 });
    const alpha = await node('alpha', counters);
    const beta = await node('beta', counters);
    const first = await alpha.take(1, [10, 11]);
    assert.equal(first, 41, "above the database's largest token");
    await runFor(clock, 20_000);
    assert.equal(await beta.take(1, [10, 11]), 0, 'renewed every 2 s: still alpha’s after 20 s');
    assert.equal(state.get(FENCE_KEY), '41', 'a renewal hands out no token');

    // Alpha stops renewing (cut off from the store: a crash, a pause, a partition look the same to the others).
    alpha.store.cut();
    const left = state.ttl(gameKey(1)) ?? 0;
    assert.ok(left > 0 && left <= GAME_LEASE_MS, `the lease runs ${left} ms more`);
    await runFor(clock, left - 1, 500);
    assert.equal(await beta.take(1, [10, 11]), 0, '1 ms before the lease runs out: nobody takes it');
    await runFor(clock, 1, 1);
    const second = await beta.take(1, [10, 11]);
    assert.ok(second > first, `the new referee's token ${second} is larger than ${first}`);
    assert.equal(state.get(gameKey(1)), 'beta');

    // Alpha comes back: its next renewal says another node owns the game.
    assert.deepEqual(alpha.lost, []);
    alpha.store.heal();
    await runFor(clock, 2_000);
    assert.deepEqual(alpha.lost, [1], 'alpha stops refereeing game 1');
    assert.deepEqual(beta.lost, []);
    assert.equal(state.get(gameKey(1)), 'beta', 'and does not take the lease back');
  });

  // Contract: cluster-fencing.test.ts, "after FLUSHALL: nothing is taken until seeded; an owner re-asserting keeps its token".
  test('the store restarts without its data: nobody takes a game over for one lease period, the referee re-asserts its lease with its own token', async () => {
    let largestFence = 0;
    const counters = async () => ({ largestGameId: 0, largestFence });
    const alpha = await node('alpha', counters);
    const beta = await node('beta', counters);
    const token = await alpha.take(7, [20]);
    assert.equal(token, 1);
    largestFence = 1;
    for (const each of [alpha, beta]) each.store.cut();
    state.flush();
    for (const each of [alpha, beta]) each.store.heal();
    await runFor(clock, 200);
    assert.equal(state.get(gameKey(7)), 'alpha', 're-asserted by its referee');
    assert.equal(state.get(FENCE_KEY), '1', "counters seeded again from the database's largest token");
    assert.equal(alpha.owned.get(7)?.fence, token, 'the referee keeps its token');
    assert.equal(alpha.resets + beta.resets, 2, 'both nodes told that the store lost its data');
    // A lease nobody re-asserted (game 8) is not taken over until a lease period after the store came back.
    assert.equal(await beta.take(8, [21]), 0, 'owners re-assert first');
    await runFor(clock, GAME_LEASE_MS);
    assert.equal(await beta.take(8, [21]), 2, 'then the next token');
  });

  // Contract: cluster-fencing.test.ts, "a take ... nothing before the seed".
  test('no token and no game before the counter is seeded, and a seed never lowers it', async () => {
    state.set(FENCE_KEY, '9');
    const alpha = await node('alpha', async () => ({ largestGameId: 0, largestFence: 3 }));
    assert.equal(state.get(FENCE_KEY), '9', 'a seed never lowers the counter');
    state.flush();
    assert.equal(state.takeGame(1, [], 'alpha', GAME_LEASE_MS), 0, 'nothing before the seed');
    assert.equal(await alpha.take(1, []), 0);
  });

  // Contract: cluster-queue.test.ts (nobody paired twice when every node pairs at once) and
  // cluster-fencing.test.ts ("pairing hands out the game id with its first token").
  test('the queue: nodes pairing at the same moment pair each player once, each game with its id and first token', async () => {
    const nodes = [await node('alpha'), await node('beta'), await node('gamma')];
    const players = [1, 2, 3, 4, 5, 6];
    players.forEach((accountId, i) => {
      const at = nodes[i % nodes.length] as RecordingNode;
      at.cluster.joinQueue({
        accountId,
        name: `p${accountId}`,
        rating: 1500 + accountId,
        glicko: { rating: 1500, deviation: 350, volatility: 0.06 },
        since: clock.now(),
      });
    });
    await runFor(clock, 10);
    const made = await Promise.all(
      nodes.map((each) => each.store.queue.pairRound(clock.now(), { withoutLease: true })),
    );
    await runFor(clock, 10);
    assert.equal(
      made.reduce((a, b) => a + b, 0),
      3,
      `three pairs in all (${made.join(', ')} by node)`,
    );
    const pairs = nodes.flatMap((each) =>
      each.received.filter((envelope): envelope is Extract<Envelope, { type: 'pair' }> => envelope.type === 'pair'),
    );
    const paired = pairs.flatMap((pair) => [pair.black.accountId, pair.white.accountId]).sort();
    assert.deepEqual(paired, players, 'each player in exactly one game');
    assert.deepEqual(pairs.map((pair) => pair.gameId).sort(), [1, 2, 3]);
    assert.deepEqual(pairs.map((pair) => pair.fence).sort(), [1, 2, 3]);
    for (const pair of pairs) {
      const to = nodes.find((each) => each.received.includes(pair));
      assert.equal(to?.cluster.node, pair.black.node, "the pair goes to black's node");
    }
  });

  // Contract: relay.ts's design and cluster-redis-outage.test.ts ("a relayed game waits while Redis does
  // not answer, and carries on with nothing lost"), cluster-relay-duplicates.test.ts (what is read twice is applied once).
  test('the relay delivers in order and once, across a sender and a reader cut off; what the transport sends twice is dropped', async () => {
    const alpha = await node('alpha');
    const beta = await node('beta');
    const session = new RelaySession(1_000);
    const move = (m: number): Envelope => ({
      type: 'move',
      gameId: 3,
      accountId: 30,
      from: 'alpha',
      move: m,
      sequence: session.next(),
    });
    const moves = () => beta.received.flatMap((envelope) => (envelope.type === 'move' ? [envelope.move] : []));

    for (const m of [1, 2, 3]) alpha.cluster.send('beta', move(m));
    await runFor(clock, 10);
    assert.deepEqual(moves(), [1, 2, 3]);

    alpha.store.cut();
    for (const m of [4, 5]) alpha.cluster.send('beta', move(m));
    await runFor(clock, 5_000);
    assert.deepEqual(moves(), [1, 2, 3], 'nothing leaves a node cut off');
    alpha.store.heal();
    alpha.cluster.send('beta', move(6));
    await runFor(clock, 10);
    assert.deepEqual(moves(), [1, 2, 3, 4, 5, 6], 'what waited goes first, in order');

    beta.store.cut();
    for (const m of [7, 8]) alpha.cluster.send('beta', move(m));
    await runFor(clock, 5_000);
    assert.deepEqual(moves(), [1, 2, 3, 4, 5, 6], 'an inbox is not read while its node is cut off');
    beta.store.heal();
    await runFor(clock, 10);
    assert.deepEqual(moves(), [1, 2, 3, 4, 5, 6, 7, 8], 'read on from where it was: nothing twice');

    // The transport repeats an envelope (ioredis resends an XADD whose reply was lost): read twice, applied once.
    alpha.store.resendLast();
    await runFor(clock, 10);
    assert.deepEqual(moves(), [1, 2, 3, 4, 5, 6, 7, 8, 8], 'the inbox holds it twice');
    const guard = new RelayGuard(() => clock.now());
    const applied = beta.received.filter((envelope) => guard.admit(envelope).admitted);
    assert.deepEqual(
      applied.flatMap((envelope) => (envelope.type === 'move' ? [envelope.move] : [])),
      [1, 2, 3, 4, 5, 6, 7, 8],
      "the receiver's guard drops the second",
    );
  });
});
