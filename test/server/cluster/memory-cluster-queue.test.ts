import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { nodeKey, QUEUE_KEY } from '../../../src/server/cluster/keys.js';
import { MemoryClusterState } from '../../../src/server/cluster/memory-state.js';
import { MemoryCluster } from '../../../src/server/cluster/memory-store.js';
import { HEARTBEAT_MS } from '../../../src/server/cluster/shared-store-cluster.js';
import { ManualClock } from '../../support/manual-clock.js';
import { silentLog } from '../../support/memory-nodes.js';
import type { MemoryClient } from '../../support/service-harness.js';
import { ServiceHarness } from '../../support/service-harness.js';

/**
 * The shared queue whatever the store did to a join: two game-service nodes
 * of the in-process cluster on one manual clock. A player queued on a node is
 * in the shared queue eventually (the node puts its waiting players back at
 * every heartbeat), and a pairing on its way to the players' nodes is never
 * undone by that (PAIR leaves a mark on the entries it took).
 */
describe(`the in-process cluster's queue after a store fault`, () => {
  let clock: ManualClock;
  let state: MemoryClusterState;
  let alphaCluster: MemoryCluster;
  let betaCluster: MemoryCluster;
  let alpha: ServiceHarness;
  let beta: ServiceHarness;

  beforeEach(async () => {
    clock = new ManualClock();
    state = new MemoryClusterState(clock);
    alphaCluster = new MemoryCluster({ state, node: 'alpha', log: silentLog });
    alpha = await ServiceHarness.create(['kira', 'lumo', 'mira'], { cluster: alphaCluster, clock });
    betaCluster = new MemoryCluster({ state, node: 'beta', log: silentLog });
    beta = await ServiceHarness.create([], { cluster: betaCluster, sharedWith: alpha });
  });

  afterEach(async () => {
    await beta.close();
    await alpha.close();
  });

  async function run(ms: number): Promise<void> {
    for (let left = ms; left > 0; left -= 100) {
      clock.advance(Math.min(100, left));
      await alpha.settle(10);
    }
  }

  const queued = () =>
    state
      .queueEntries()
      .map(([, text]) => (JSON.parse(text) as { name: string }).name)
      .sort();
  const starts = (client: MemoryClient) => client.types().filter((type) => type === 'GameStart').length;

  test('a join rejected by the store (a reset, a timeout) is put back once the store answers: the player is paired', async () => {
    const black = await alpha.login('kira');
    await run(500);
    betaCluster.store.rejectNextQueueJoin();
    const white = await beta.login('lumo');
    await run(100);
    assert.deepEqual(queued(), ['kira'], `lumo's join never reached the store (${QUEUE_KEY})`);
    await run(3_000);
    assert.equal(starts(white), 0, 'nobody is paired with a player the store does not hold');
    betaCluster.store.heal();
    await run(HEARTBEAT_MS + 1_500);
    await alpha.until(() => starts(black) === 1 && starts(white) === 1, 'kira and lumo paired');
    assert.deepEqual(queued(), [], 'both taken from the queue');
  });

  test('entries the matchmaker dropped while their node looked dead (a freeze past its key, no reconnect) are put back at its next heartbeat', async () => {
    const white = await beta.login('lumo');
    await run(HEARTBEAT_MS - (clock.now() % HEARTBEAT_MS) + 100);
    // Beta's key expired as it would during a freeze: its node never saw an error.
    state.delete(nodeKey('beta'));
    await run(1_000);
    assert.deepEqual(queued(), [], "the matchmaker dropped beta's entries");
    const black = await alpha.login('kira');
    await run(HEARTBEAT_MS);
    await alpha.until(() => starts(black) === 1 && starts(white) === 1, 'lumo is back in the queue and paired');
  });

  test('a pairing on its way to a node is not undone by that node putting its waiting players back: paired once', async () => {
    // Kira waits longer at the same rating: she is black, alpha referees, and alpha is cut off before it hears of the pair.
    const black = await alpha.login('kira');
    await run(500);
    alphaCluster.store.cut();
    const white = await beta.login('lumo');
    await run(4_000);
    assert.deepEqual(queued(), [], 'beta, the matchmaker now, paired kira and lumo; alpha has not heard yet');
    assert.equal(starts(white), 0);

    // Beta reconnects, beats, puts back its waiting players; a third player waits there with lumo's rating.
    betaCluster.store.cut();
    await run(500);
    betaCluster.store.heal();
    const third = await beta.login('mira');
    await run(3 * HEARTBEAT_MS);
    assert.deepEqual(queued(), ['mira'], 'lumo is not put back: a pairing took that entry');
    assert.equal(starts(third), 0, 'mira is not paired with lumo');

    alphaCluster.store.heal();
    await run(HEARTBEAT_MS);
    await alpha.until(() => starts(black) === 1 && starts(white) === 1, 'kira and lumo play');
    await run(3 * HEARTBEAT_MS);
    assert.equal(starts(white), 1, 'lumo was paired once');
    assert.equal(starts(third), 0);
    assert.deepEqual(queued(), ['mira']);
  });
});
