import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BLACK, WHITE } from '../../../src/game/position.js';
import { finishedGameOf } from '../../../src/server/play/standard-live.js';
import { newMatch } from './match-setup.js';

describe('StandardMatch: the clock times of each move, for the game record', () => {
  it("keeps the mover's time left after each move (increment added) in the finished game", () => {
    const { match, clock } = newMatch();
    match.start();
    clock.advance(10_000);
    match.applyPath(BLACK, [11, 15]);
    clock.advance(4_000);
    match.applyPath(WHITE, [23, 19]);
    clock.advance(1_500);
    match.applyPath(BLACK, [8, 11]);
    const finished = match.resign(WHITE).finished;
    assert.ok(finished);
    assert.deepEqual(finished.moveClocks, [172_000, 178_000, 172_500]);
    assert.deepEqual(finishedGameOf(finished).moveClocks, [172_000, 178_000, 172_500]);
  });

  it('keeps none in a game without a clock', () => {
    const { match, clock } = newMatch({ control: { initialSeconds: 0, incrementSeconds: 0 } });
    match.start();
    clock.advance(3_000);
    match.applyPath(BLACK, [11, 15]);
    const finished = match.resign(WHITE).finished;
    assert.ok(finished);
    assert.deepEqual(finished.moveClocks, []);
    assert.equal(finishedGameOf(finished).moveClocks, undefined);
  });
});
