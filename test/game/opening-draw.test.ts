import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { drawOpening, openingDraw, openingOfMoves, playOpening } from '../../src/game/opening-draw.js';
import { THREE_MOVE_OPENINGS } from '../../src/game/openings.js';
import { WHITE } from '../../src/game/position.js';
import { seededRandom } from '../../src/game/random.js';

describe('drawing a ballot', () => {
  it('takes the ballot the injected random points at, first to last', () => {
    const deck = THREE_MOVE_OPENINGS;
    assert.equal(
      drawOpening(deck, () => 0),
      deck[0],
    );
    assert.equal(
      drawOpening(deck, () => 0.5),
      deck[78],
    );
    assert.equal(
      drawOpening(deck, () => 0.999_999_9),
      deck[155],
    );
    // Out-of-range numbers from a careless generator still land in the deck.
    assert.equal(
      drawOpening(deck, () => 1),
      deck[155],
    );
    assert.equal(
      drawOpening(deck, () => -0.1),
      deck[0],
    );
  });

  it('replays from a seed: the same seed draws the same ballots, and a run of draws spreads over the deck', () => {
    const first = openingDraw({ deck: THREE_MOVE_OPENINGS, random: seededRandom(2026) });
    const again = openingDraw({ deck: THREE_MOVE_OPENINGS, random: seededRandom(2026) });
    const reference = seededRandom(2026);
    const drawn = Array.from({ length: 200 }, () => first());
    assert.deepEqual(
      drawn.map((opening) => opening.number),
      Array.from({ length: 200 }, () => again().number),
    );
    assert.deepEqual(
      drawn.map((opening) => opening.number),
      Array.from({ length: 200 }, () => Math.floor(reference() * 156) + 1),
    );
    assert.ok(new Set(drawn.map((opening) => opening.number)).size > 50, 'the draws spread over the deck');
  });

  it('refuses an empty deck with a clear error', () => {
    assert.throws(() => drawOpening([], () => 0), /at least one ballot/);
  });
});

describe('playing a ballot', () => {
  it('every ballot plays to its position, White to move, its last move as the last path', () => {
    for (const opening of THREE_MOVE_OPENINGS) {
      const opened = playOpening(opening);
      assert.deepEqual(opened.game.position, opening.position, opening.name);
      assert.equal(opened.game.position.turn, WHITE);
      assert.equal(opened.game.result, undefined);
      assert.deepEqual(opened.moves, opening.moves);
      assert.deepEqual(opened.lastPath, (opening.moves[2] as string).split(/[-x]/).map(Number));
    }
  });

  it('names the ballot a game began with, and none for a game whose first moves are no ballot', () => {
    const ballot = THREE_MOVE_OPENINGS[40];
    assert.ok(ballot);
    assert.equal(openingOfMoves(THREE_MOVE_OPENINGS, [...ballot.moves, '22-18', '12-16']), ballot);
    assert.equal(openingOfMoves(THREE_MOVE_OPENINGS, ballot.moves.slice(0, 2)), undefined);
    assert.equal(openingOfMoves(THREE_MOVE_OPENINGS, []), undefined);
  });
});
