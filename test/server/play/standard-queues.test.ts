import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Message } from '../../../src/protocol/index.js';
import { type StandardPairing, StandardQueues } from '../../../src/server/play/standard-queues.js';
import type { PlayerLink } from '../../../src/server/player-link.js';
import { ManualClock } from '../../support/manual-clock.js';

class Player implements PlayerLink {
  readonly heard: Message[] = [];
  constructor(
    readonly accountId: number,
    readonly name: string,
  ) {}
  deliver(message: Message): void {
    this.heard.push(message);
  }
}

const BLITZ = { initialSeconds: 180, incrementSeconds: 2 };
const RAPID = { initialSeconds: 600, incrementSeconds: 5 };

describe('the version-2 queues', () => {
  it('pairs only within one time control, and tells each player their place in their own queue', () => {
    const clock = new ManualClock();
    const pairs: StandardPairing<Player>[] = [];
    const queues = new StandardQueues<Player>(clock, (pairing) => pairs.push(pairing));
    const [a, b, c] = [new Player(1, 'a'), new Player(2, 'b'), new Player(3, 'c')];
    queues.join(a, 1200, BLITZ);
    queues.join(b, 1200, RAPID);
    assert.deepEqual(b.heard, [{ type: 'QueuePosition', queueSize: 1, position: 1, rating: 1200 }]);
    clock.advance(1000);
    queues.tick();
    assert.equal(pairs.length, 0, 'a 3+2 and a 10+5 player never meet');
    queues.join(c, 1250, BLITZ);
    queues.tick();
    assert.equal(pairs.length, 1);
    assert.deepEqual(
      pairs.map(({ first, second, timeControl }) => [first.link.name, second.link.name, timeControl]),
      [['a', 'c', BLITZ]],
    );
    assert.equal(queues.size, 1);
    assert.ok(queues.has(b) && !queues.has(a) && !queues.has(c));
  });

  it('lists those waiting in all queues, longest wait first, at most as many as asked (GET /api/seeks)', () => {
    const clock = new ManualClock();
    const queues = new StandardQueues<Player>(clock, () => assert.fail('nobody is paired without a tick'));
    const [a, b, c, d] = [new Player(1, 'a'), new Player(2, 'b'), new Player(3, 'c'), new Player(4, 'd')];
    queues.join(b, 1400, RAPID);
    clock.advance(1000);
    queues.join(a, 1200, BLITZ);
    clock.advance(1000);
    queues.join(c, 1600, RAPID);
    clock.advance(1000);
    queues.join(d, 1800, BLITZ);
    const listed = (max: number) =>
      queues.longestWaiting(max).map((entry) => [entry.link.name, entry.rating, entry.timeControl, entry.since]);
    assert.deepEqual(listed(3), [
      ['b', 1400, RAPID, 1_000_000],
      ['a', 1200, BLITZ, 1_001_000],
      ['c', 1600, RAPID, 1_002_000],
    ]);
    assert.equal(listed(10).length, 4);
    queues.leave(b);
    queues.join(a, 1200, RAPID);
    assert.deepEqual(
      listed(10).map(([name]) => name),
      ['c', 'd', 'a'],
      'who left is gone; a new Seek waits from its own moment',
    );
  });

  it('a new Seek moves the player to the other queue; LeaveQueue takes them out', () => {
    const clock = new ManualClock();
    const pairs: StandardPairing<Player>[] = [];
    const queues = new StandardQueues<Player>(clock, (pairing) => pairs.push(pairing));
    const [a, b] = [new Player(1, 'a'), new Player(2, 'b')];
    queues.join(a, 1200, BLITZ);
    queues.join(a, 1200, RAPID);
    queues.join(b, 1200, BLITZ);
    queues.tick();
    assert.equal(pairs.length, 0);
    assert.equal(queues.size, 2);
    assert.equal(queues.leave(a), true);
    assert.equal(queues.leave(a), false);
    assert.equal(queues.size, 1);
  });

  it('hands whoever waited too long to the house bot, with their time control', () => {
    const clock = new ManualClock();
    const queues = new StandardQueues<Player>(clock, () => assert.fail('nobody to pair'));
    const [a, b] = [new Player(1, 'a'), new Player(2, 'b')];
    queues.join(a, 1200, BLITZ);
    clock.advance(5000);
    queues.join(b, 1200, RAPID);
    assert.equal(queues.hasWaitingSince(clock.now() - 5000), true);
    const taken = queues.takeWaitingSince(clock.now() - 5000, 10);
    assert.deepEqual(
      taken.map((entry) => [entry.link.name, entry.timeControl]),
      [['a', BLITZ]],
    );
    assert.equal(queues.has(a), false);
    assert.equal(queues.size, 1);
  });
});
