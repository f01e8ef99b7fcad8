import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatMove, parseMoveText, pathOfMove, pathToNotation } from '../../src/game/notation.js';
import { INITIAL_POSITION, positionFromSquares } from '../../src/game/position.js';
import { applyMove, legalMoves } from '../../src/game/standard.js';

describe('paths of squares and their text', () => {
  it('a step is written with "-", a jump chain with "x"', () => {
    assert.equal(pathToNotation([11, 15]), '11-15');
    assert.equal(pathToNotation([22, 15]), '22x15');
    assert.equal(pathToNotation([13, 22, 31]), '13x22x31');
    assert.equal(pathToNotation([9, 14]), '9-14');
  });

  it('the path of a double jump is its start and both landings', () => {
    const position = positionFromSquares({ black: [13], white: [17, 26] });
    const moves = legalMoves(position);
    assert.deepEqual(moves.map(pathOfMove), [[13, 22, 31]]);
    assert.equal(pathToNotation([13, 22, 31]), moves[0] && formatMove(moves[0]));
  });

  it('agrees with formatMove and parseMoveText for every legal move of a few plies', () => {
    let position = INITIAL_POSITION;
    let checked = 0;
    for (let ply = 0; ply < 12; ply++) {
      const moves = legalMoves(position);
      for (const move of moves) {
        const path = pathOfMove(move);
        assert.equal(pathToNotation(path), formatMove(move));
        const reading = parseMoveText(pathToNotation(path));
        assert.ok(reading.ok);
        assert.deepEqual(reading.move.squares, path);
        checked++;
      }
      const next = moves.find((move) => move.captured !== 0) ?? moves[ply % moves.length];
      if (!next) break;
      position = applyMove(position, next);
    }
    assert.ok(checked > 50);
  });
});
