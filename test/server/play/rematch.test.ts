import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Message } from '../../../src/protocol/index.js';
import type { TimeControl } from '../../../src/server/domain/games.js';
import { REMATCH_OFFER_MS, RematchDesk } from '../../../src/server/play/rematch.js';
import type { PlayerLink } from '../../../src/server/player-link.js';
import { ManualClock } from '../../support/manual-clock.js';

class Player implements PlayerLink {
  readonly heard: string[] = [];
  constructor(
    readonly accountId: number,
    readonly name: string,
  ) {}
  deliver(message: Message): void {
    this.heard.push(message.type);
  }
}

const FIVE_THREE: TimeControl = { initialSeconds: 300, incrementSeconds: 3 };

function desk() {
  const clock = new ManualClock();
  const started: Array<{ black: string; white: string; control: TimeControl }> = [];
  const rematches = new RematchDesk<Player>(clock, (black, white, control) =>
    started.push({ black: black.name, white: white.name, control }),
  );
  return { clock, started, rematches, ann: new Player(1, 'ann'), bob: new Player(2, 'bob') };
}

describe('rematches', () => {
  it('both asking starts a new game with the colours swapped and the same time control', () => {
    const { rematches, started, ann, bob } = desk();
    rematches.open(ann, bob, FIVE_THREE);
    rematches.offer(ann);
    assert.deepEqual(bob.heard, ['RematchOffered']);
    assert.deepEqual(started, []);
    rematches.offer(bob);
    assert.deepEqual(started, [{ black: 'bob', white: 'ann', control: FIVE_THREE }]);
    rematches.offer(ann);
    assert.deepEqual(ann.heard, ['RematchGone'], 'the game end is over once the rematch started');
  });

  it('an offer lapses after a minute: both hear RematchGone, and a late acceptance starts nothing', () => {
    const { rematches, started, clock, ann, bob } = desk();
    rematches.open(ann, bob, FIVE_THREE);
    rematches.offer(ann);
    rematches.offer(ann);
    assert.deepEqual(bob.heard, ['RematchOffered'], 'a repeated offer is not told again');
    clock.advance(REMATCH_OFFER_MS - 1);
    assert.deepEqual(ann.heard, []);
    clock.advance(1);
    assert.deepEqual(ann.heard, ['RematchGone']);
    assert.deepEqual(bob.heard, ['RematchOffered', 'RematchGone']);
    rematches.offer(bob);
    assert.deepEqual(started, []);
    assert.deepEqual(bob.heard, ['RematchOffered', 'RematchGone', 'RematchGone']);
  });

  it('a player leaving the game end (seek, logout, drop) ends the chance; the other one hears it once', () => {
    const { rematches, started, clock, ann, bob } = desk();
    rematches.open(ann, bob, FIVE_THREE);
    rematches.offer(bob);
    rematches.leave(ann);
    assert.deepEqual(bob.heard, ['RematchGone']);
    rematches.leave(bob);
    clock.advance(REMATCH_OFFER_MS);
    assert.deepEqual(bob.heard, ['RematchGone'], 'the lapsed timer says nothing more');
    assert.deepEqual(started, []);
  });
});
