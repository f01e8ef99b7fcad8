import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatMove } from '../../src/game/notation.js';
import { perft } from '../../src/game/perft.js';
import {
  BLACK,
  INITIAL_POSITION,
  type Position,
  pieceCount,
  positionFromSquares,
  positionProblem,
  WHITE,
} from '../../src/game/position.js';
import { QUIET_PLIES_FOR_DRAW } from '../../src/game/result.js';
import { applyMove, legalMoves, standardResult } from '../../src/game/standard.js';
import { seededRandom } from '../support/random.js';

const moveTexts = (position: Position) => legalMoves(position).map(formatMove).sort();

describe('standard rules: perft from the initial position', () => {
  const published = [7, 49, 302, 1469, 7361, 36768];
  published.forEach((nodes, index) => {
    it(`depth ${index + 1} gives ${nodes}`, () => {
      assert.equal(perft(INITIAL_POSITION, index + 1), nodes);
    });
  });
});

describe('standard rules: moves', () => {
  it('opens with the seven moves of Black', () => {
    assert.deepEqual(moveTexts(INITIAL_POSITION), ['10-14', '10-15', '11-15', '11-16', '12-16', '9-13', '9-14']);
  });

  it('a capture is compulsory', () => {
    const position = positionFromSquares({ black: [1, 14], white: [18, 32] });
    assert.deepEqual(moveTexts(position), ['14x23']);
  });

  it('a multi-jump must be completed, and the man is crowned at the end', () => {
    const position = positionFromSquares({ black: [14], white: [18, 27] });
    const [move] = legalMoves(position);
    assert.ok(move);
    assert.equal(formatMove(move), '14x23x32');
    const after = applyMove(position, move);
    assert.deepEqual(after, positionFromSquares({ black: [32], kings: [32], turn: WHITE }));
  });

  it('every branch of a forking jump is a separate move', () => {
    const position = positionFromSquares({ black: [14], white: [18, 26, 27] });
    assert.deepEqual(moveTexts(position), ['14x23x30', '14x23x32']);
  });

  it('crowning ends the move even when the new king could jump on', () => {
    const position = positionFromSquares({ black: [24], white: [26, 27] });
    assert.deepEqual(moveTexts(position), ['24x31']);
  });

  it('a king captures backwards, a man does not', () => {
    assert.deepEqual(moveTexts(positionFromSquares({ black: [23], kings: [23], white: [18] })), ['23x14']);
    assert.ok(!moveTexts(positionFromSquares({ black: [23], white: [18] })).some((text) => text.includes('x')));
  });

  it('a side with no legal move loses, and so does a side with no pieces', () => {
    const blocked = positionFromSquares({ black: [1], white: [5], turn: WHITE });
    assert.deepEqual(legalMoves(blocked), []);
    assert.deepEqual(standardResult(blocked), { winner: BLACK, reason: 'no-moves' });
    assert.deepEqual(standardResult(positionFromSquares({ black: [1], turn: WHITE })), {
      winner: BLACK,
      reason: 'no-pieces',
    });
    assert.equal(standardResult(INITIAL_POSITION), undefined);
  });
});

describe('standard rules: random games', () => {
  it('always end with a valid result and never reach an unsound position', () => {
    for (let seed = 1; seed <= 150; seed++) {
      const random = seededRandom(seed);
      let position = INITIAL_POSITION;
      let quiet = 0;
      let plies = 0;
      for (;;) {
        assert.equal(positionProblem(position), undefined, `seed ${seed} ply ${plies}`);
        const result = standardResult(position);
        if (result) {
          assert.equal(result.winner, position.turn === BLACK ? WHITE : BLACK);
          assert.equal(legalMoves(position).length, 0);
          break;
        }
        if (quiet >= QUIET_PLIES_FOR_DRAW) break;
        const moves = legalMoves(position);
        const move = moves[random(moves.length)];
        assert.ok(move);
        const before = pieceCount(position, BLACK) + pieceCount(position, WHITE);
        const isManMove = ((position.kings >>> move.from) & 1) === 0;
        position = applyMove(position, move);
        const after = pieceCount(position, BLACK) + pieceCount(position, WHITE);
        assert.equal(before - after, move.path.length * (move.captured === 0 ? 0 : 1));
        quiet = move.captured !== 0 || isManMove ? 0 : quiet + 1;
        plies++;
        assert.ok(plies < 2000, `seed ${seed} does not terminate`);
      }
    }
  });
});
