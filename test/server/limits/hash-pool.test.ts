import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GameEvents } from '../../../src/server/game-events.js';
import { defaultHashConcurrency, HashPool, threadPoolSize } from '../../../src/server/hash-pool.js';
import { HashSlots } from '../../../src/server/limits/hash-slots.js';
import { Limiter, type Priority } from '../../../src/server/limits/limiter.js';
import { ManualClock } from '../../support/manual-clock.js';

const TIMING = { quietMs: 2000, busyLoopShare: 0.3, holdMs: 2000 };

describe('HashSlots (how many hashes at once)', () => {
  it('uses every slot while no game is being played, however busy the loop', () => {
    const slots = new HashSlots({ ...TIMING, maxSlots: 4 });
    assert.equal(slots.slots(0), 4);
    slots.loopSampled(1, 100);
    assert.equal(slots.slots(100), 4, 'a busy loop without moves (a restart storm) keeps every core');
  });

  it('drops to half while moves are handled on a busy loop, and comes back once calm for holdMs', () => {
    const slots = new HashSlots({ ...TIMING, maxSlots: 4 });
    slots.moveHandled(1000);
    slots.loopSampled(0.1, 1000);
    assert.equal(slots.slots(1000), 4, 'a few games on a calm loop need little of a core');
    slots.moveHandled(1200);
    slots.loopSampled(0.5, 1250);
    assert.equal(slots.slots(1250), 2, 'games on a busy loop: half');
    for (let t = 1500; t <= 3000; t += 250) {
      slots.moveHandled(t);
      slots.loopSampled(0.1, t);
    }
    assert.equal(slots.slots(3000), 2, 'held for holdMs after the last busy sample');
    assert.equal(slots.slots(3250), 4, 'calm for holdMs: every slot again');
  });

  it('comes back to every slot when the games go quiet, even if the loop stays busy', () => {
    const slots = new HashSlots({ ...TIMING, maxSlots: 2 });
    slots.moveHandled(0);
    slots.loopSampled(0.9, 250);
    assert.equal(slots.slots(250), 1);
    slots.loopSampled(0.9, 1900);
    assert.equal(slots.slots(1999), 1);
    assert.equal(slots.slots(2000), 2, 'no move for quietMs');
  });

  it('never goes below one slot', () => {
    const slots = new HashSlots({ ...TIMING, maxSlots: 1 });
    slots.moveHandled(0);
    slots.loopSampled(1, 0);
    assert.equal(slots.sharedSlots, 1);
    assert.equal(slots.slots(0), 1);
  });
});

describe('the hash pool default size', () => {
  it('is every core, leaving one of libuv pool threads for file I/O', () => {
    assert.equal(defaultHashConcurrency(2, 4), 2);
    assert.equal(defaultHashConcurrency(16, 4), 3, 'the pool has 4 threads by default');
    assert.equal(defaultHashConcurrency(16, 18), 16);
    assert.equal(defaultHashConcurrency(1, 1), 1);
    assert.equal(threadPoolSize({}), 4);
    assert.equal(threadPoolSize({ UV_THREADPOOL_SIZE: '12' }), 12);
    assert.equal(threadPoolSize({ UV_THREADPOOL_SIZE: 'many' }), 4);
  });
});

/** Runs `count` tasks that each hold a slot until released; returns their releases and how many ran at most. */
function holdTasks(limiter: Limiter, count: number, key = '', priority: Priority = 'normal') {
  const releases: Array<() => void> = [];
  const done = Array.from({ length: count }, () =>
    limiter.run(() => new Promise<void>((resolve) => releases.push(resolve)), key, priority),
  );
  return { releases, done };
}

describe('Limiter with an adaptive bound and priorities', () => {
  it('reads its bound each time a task could start, and wake() starts waiting tasks when it grew', async () => {
    let bound = 1;
    const limiter = new Limiter(() => bound);
    const { releases, done } = holdTasks(limiter, 5);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(limiter.running, 1);
    bound = 3;
    limiter.wake();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(limiter.running, 3);
    assert.equal(limiter.queued, 2);
    bound = 1;
    releases.splice(0).forEach((release) => {
      release();
    });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(limiter.running, 1, 'a smaller bound: ended tasks are not replaced beyond it');
    while (limiter.running > 0) {
      releases.splice(0).forEach((release) => {
        release();
      });
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(done);
  });

  it('serves every `first` task before `normal` ones, and `last` ones after both', async () => {
    const limiter = new Limiter(1);
    const order: string[] = [];
    const task = (label: string) => () =>
      new Promise<void>((resolve) => {
        order.push(label);
        setImmediate(resolve);
      });
    const all = [
      limiter.run(task('running'), 'a'),
      limiter.run(task('rehash'), 'a', 'last'),
      limiter.run(task('new1'), 'b'),
      limiter.run(task('new2'), 'c'),
      limiter.run(task('back1'), 'd', 'first'),
      limiter.run(task('back2'), 'b', 'first'),
    ];
    await Promise.all(all);
    assert.deepEqual(order, ['running', 'back1', 'back2', 'new1', 'new2', 'rehash']);
  });
});

describe('HashPool (wiring: real event-loop utilization, manual clock)', () => {
  it('hashes on every slot until moves are handled on a busy loop, then on half', async () => {
    const clock = new ManualClock();
    const events = new GameEvents();
    const pool = new HashPool({ clock, events, maxSlots: 2 });
    try {
      const first = holdTasks(pool.queue, 4);
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(pool.queue.running, 2, 'nobody plays: every slot');
      events.moveHandled(1, true);
      // The loop is really busy for 300 ms (as under a flood beside play), then sampled.
      const until = performance.now() + 300;
      while (performance.now() < until);
      clock.advance(300);
      first.releases.splice(0).forEach((release) => {
        release();
      });
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(pool.queue.running, 1, 'games on a busy loop: half');
      clock.advance(2000);
      first.releases.splice(0).forEach((release) => {
        release();
      });
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(pool.queue.running, 1, 'the last waiting task');
      first.releases.splice(0).forEach((release) => {
        release();
      });
      await Promise.all(first.done);
      const second = holdTasks(pool.queue, 2);
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(pool.queue.running, 2, 'no move for 2 s: every slot again');
      second.releases.splice(0).forEach((release) => {
        release();
      });
      await Promise.all(second.done);
    } finally {
      pool.stop();
    }
  });
});
