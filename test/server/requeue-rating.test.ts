import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { wireRating } from '../../src/server/domain/rating.js';
import type { SqliteStore } from '../../src/server/store/sqlite-store.js';
import type { Store } from '../../src/server/store/store.js';
import { readStored, STORED_READ_RETRY_MS } from '../../src/server/stored-read.js';
import { DEFAULT_TIMING } from '../../src/server/timing.js';
import { ManualClock } from '../support/manual-clock.js';
import type { MemoryClient } from '../support/service-harness.js';
import { ServiceHarness } from '../support/service-harness.js';

/** The real store, whose account reads fail while `failing` is set. */
class FlakyReads {
  failing = false;
  wrap(store: SqliteStore): Store {
    const findAccount = async (name: string) => {
      if (this.failing) throw new Error('connection refused');
      return store.findAccount(name);
    };
    return new Proxy(store, {
      get(target, property) {
        if (property === 'findAccount') return findAccount;
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }
}

/**
 * V4: the rating a re-queued player is told is the stored one. A read that
 * fails is not replaced by the rating held in memory (which games refereed
 * on another node do not update): QueuePosition waits for storage.
 */
describe('the rating told on a re-queue', () => {
  let reads: FlakyReads;
  let harness: ServiceHarness;
  let winner: MemoryClient;

  beforeEach(async () => {
    reads = new FlakyReads();
    harness = await ServiceHarness.create(['avi', 'bea'], { wrapStore: (real) => reads.wrap(real) });
    const avi = await harness.login('avi');
    const bea = await harness.login('bea');
    await harness.advance(1000);
    await harness.until(() => avi.types().includes('GameStart') && bea.types().includes('GameStart'), 'pairing');
    bea.send({ type: 'LogOut' });
    await harness.until(
      () => avi.types().some((type) => type === 'GameOver' || type === 'OpponentDisconnect'),
      'the result',
    );
    winner = avi;
  });

  afterEach(async () => {
    await harness.close();
  });

  const queuePositions = () => winner.received().filter((message) => message.type === 'QueuePosition');

  it('waits while storage cannot read, then tells the stored rating', async () => {
    const before = queuePositions().length;
    reads.failing = true;
    winner.send({ type: 'ReQueue' });
    await harness.settle(20);
    await harness.advance(STORED_READ_RETRY_MS * 3);
    assert.equal(queuePositions().length, before, 'no rating told while it cannot be read');
    assert.ok(!winner.closedByServer);
    reads.failing = false;
    await harness.advance(STORED_READ_RETRY_MS);
    await harness.until(() => queuePositions().length === before + 1, 'QueuePosition');
    const stored = await harness.store.findAccount('avi');
    assert.ok(stored);
    const told = queuePositions().at(-1);
    assert.equal(told?.type === 'QueuePosition' && told.rating, wireRating(stored.rating.rating));
  });

  it('closes the connection, telling nothing, when storage stays down past the outage limit', async () => {
    const before = queuePositions().length;
    reads.failing = true;
    winner.send({ type: 'ReQueue' });
    await harness.settle(20);
    await harness.advance(DEFAULT_TIMING.storageOutageLimitMs + STORED_READ_RETRY_MS * 2);
    await harness.until(() => winner.closedByServer, 'the connection closed');
    assert.equal(queuePositions().length, before);
  });
});

describe('readStored', () => {
  it('tries a failing read again every second on the clock, and gives up at the limit or when abandoned', async () => {
    const clock = new ManualClock();
    let failures = 2;
    const read = async () => {
      if (failures-- > 0) throw new Error('down');
      return 'stored';
    };
    const reading = readStored(read, { clock, limitMs: 10_000, abandoned: () => false });
    for (let step = 0; step < 2; step++) {
      await new Promise((resolve) => setImmediate(resolve));
      clock.advance(STORED_READ_RETRY_MS);
    }
    assert.deepEqual(await reading, { ok: true, value: 'stored' });

    const never = async () => {
      throw new Error('down');
    };
    const limited = readStored(never, { clock, limitMs: 3_000, abandoned: () => false });
    for (let step = 0; step < 4; step++) {
      await new Promise((resolve) => setImmediate(resolve));
      clock.advance(STORED_READ_RETRY_MS);
    }
    assert.deepEqual(await limited, { ok: false });

    let gone = false;
    const abandoned = readStored(never, { clock, limitMs: 0, abandoned: () => gone });
    await new Promise((resolve) => setImmediate(resolve));
    gone = true;
    clock.advance(STORED_READ_RETRY_MS);
    assert.deepEqual(await abandoned, { ok: false });
  });
});
