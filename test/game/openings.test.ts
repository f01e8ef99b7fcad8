import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { positionFromFen } from '../../src/game/fen.js';
import { formatMove } from '../../src/game/notation.js';
import { OPENING_DECKS, THREE_MOVE_OPENINGS } from '../../src/game/openings.js';
import { INITIAL_POSITION, type Position, WHITE } from '../../src/game/position.js';
import { applyMove, legalMoves } from '../../src/game/standard.js';

/** Plays move texts by finding each among the legal moves' own notation (not through the module's parser). */
function replay(moves: readonly string[]): Position | undefined {
  let position: Position | undefined = INITIAL_POSITION;
  for (const text of moves) {
    const move: ReturnType<typeof legalMoves>[number] | undefined = position
      ? legalMoves(position).find((candidate) => formatMove(candidate) === text)
      : undefined;
    position = move && position ? applyMove(position, move) : undefined;
  }
  return position;
}

describe('the three-move deck', () => {
  it('holds 156 distinct openings of three legal moves each, numbered in order', () => {
    assert.equal(THREE_MOVE_OPENINGS.length, 156);
    assert.equal(new Set(THREE_MOVE_OPENINGS.map((opening) => opening.fen)).size, 156);
    THREE_MOVE_OPENINGS.forEach((opening, index) => {
      assert.equal(opening.number, index + 1);
      assert.equal(opening.moves.length, 3);
      const position = replay(opening.moves);
      assert.ok(position, `${opening.name} is not three legal moves`);
      assert.deepEqual(opening.position, position);
      assert.equal(opening.position.turn, WHITE);
      assert.deepEqual(positionFromFen(opening.fen), position);
      assert.match(opening.name, new RegExp(`^ballot ${index + 1}: ${opening.moves.join(' ')}$`));
    });
  });

  it('covers the seven first moves and leaves out the barred ballots', () => {
    const firsts = new Set(THREE_MOVE_OPENINGS.map((opening) => opening.moves[0]));
    assert.deepEqual([...firsts].sort(), ['10-14', '10-15', '11-15', '11-16', '12-16', '9-13', '9-14']);
    const names = new Set(THREE_MOVE_OPENINGS.map((opening) => opening.moves.join(' ')));
    for (const barred of ['9-13 21-17 10-14', '9-14 23-19 10-15', '11-16 22-18 10-15', '12-16 23-19 16x23']) {
      assert.ok(!names.has(barred), `${barred} is barred`);
      assert.ok(replay(barred.split(' ')), `${barred} is legal all the same`);
    }
    assert.equal(THREE_MOVE_OPENINGS[0]?.fen, 'W:W17,22,23,24,25,26,27,28,29,30,31,32:B1,2,3,4,6,7,8,9,10,11,12,13');
  });

  it('is the deck named three-move', () => {
    assert.equal(OPENING_DECKS['three-move'], THREE_MOVE_OPENINGS);
  });
});
