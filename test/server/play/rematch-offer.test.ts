import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BLACK, WHITE } from '../../../src/game/position.js';
import {
  REMATCH_WINDOW_MS,
  RematchOffer,
  type RematchOutput,
  rematchSeats,
} from '../../../src/server/play/rematch-offer.js';
import { ManualClock } from '../../support/manual-clock.js';
import { newMatch } from './match-setup.js';

function question(): { rematch: RematchOffer; clock: ManualClock; lapses: RematchOutput[] } {
  const clock = new ManualClock();
  const lapses: RematchOutput[] = [];
  return { rematch: new RematchOffer(clock, (output) => lapses.push(output)), clock, lapses };
}

describe('rematch agreement', () => {
  it('both asking within the window agree (the caller swaps the colours)', () => {
    const { rematch, clock, lapses } = question();
    assert.deepEqual(rematch.ask(WHITE), {
      outbox: [{ seat: BLACK, message: { type: 'RematchOffered' } }],
      agreed: false,
    });
    clock.advance(REMATCH_WINDOW_MS - 1);
    assert.deepEqual(rematch.ask(BLACK), { outbox: [], agreed: true });
    assert.equal(rematch.state, 'agreed');
    assert.equal(clock.pending, 0);
    clock.advance(REMATCH_WINDOW_MS);
    assert.deepEqual(lapses, []);
    assert.equal(rematch.ask(WHITE).agreed, false, 'agreeing happens once');
  });

  it('asking twice from the same seat is ignored, not offered again', () => {
    const { rematch } = question();
    rematch.ask(BLACK);
    assert.deepEqual(rematch.ask(BLACK), {
      outbox: [],
      agreed: false,
      ignored: 'your rematch offer is already pending',
    });
  });

  it('an offer lapses after the window: RematchGone to both, and the question is closed for good', () => {
    const { rematch, clock, lapses } = question();
    rematch.ask(BLACK);
    clock.advance(REMATCH_WINDOW_MS);
    assert.equal(lapses.length, 1);
    assert.deepEqual(
      lapses[0]?.outbox.map((entry) => [entry.seat, entry.message.type]),
      [
        [BLACK, 'RematchGone'],
        [WHITE, 'RematchGone'],
      ],
    );
    assert.deepEqual(rematch.ask(WHITE), {
      outbox: [{ seat: WHITE, message: { type: 'RematchGone' } }],
      agreed: false,
    });
  });

  it('a player leaving the game end closes it: RematchGone to the one still there, and to a later Rematch', () => {
    for (const offerFirst of [true, false]) {
      const { rematch, clock, lapses } = question();
      if (offerFirst) rematch.ask(WHITE);
      assert.deepEqual(rematch.leave(BLACK).outbox, [{ seat: WHITE, message: { type: 'RematchGone' } }]);
      assert.equal(rematch.leave(WHITE).ignored, 'the rematch question is closed');
      assert.equal(rematch.ask(WHITE).outbox[0]?.message.type, 'RematchGone');
      clock.advance(REMATCH_WINDOW_MS);
      assert.deepEqual(lapses, [], 'no lapse after the question closed');
      assert.equal(clock.pending, 0);
    }
  });

  it('dispose clears the timer', () => {
    const { rematch, clock } = question();
    rematch.ask(BLACK);
    rematch.dispose();
    assert.equal(clock.pending, 0);
    assert.equal(rematch.state, 'gone');
  });
});

describe('rematch seats', () => {
  it('swap the colours and carry the ratings the game left', () => {
    const { match } = newMatch();
    match.start();
    const finished = match.resign(BLACK).finished;
    assert.ok(finished);
    const seats = rematchSeats(finished);
    assert.deepEqual(seats.black, { accountId: 22, name: 'bob', rating: finished.white.after });
    assert.deepEqual(seats.white, { accountId: 11, name: 'ann', rating: finished.black.after });
    assert.notDeepEqual(seats.black.rating, finished.white.before);
  });
});
