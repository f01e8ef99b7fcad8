import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fenOf, positionFromFen } from '../../src/game/fen.js';
import { BLACK, positionFromSquares, WHITE } from '../../src/game/position.js';

describe('FEN', () => {
  it('reads the side to move, both colours and kings, and writes them back', () => {
    const position = positionFromFen('W:WK3,K4,18:B2,K28');
    assert.deepEqual(
      position,
      positionFromSquares({ white: [3, 4, 18], black: [2, 28], kings: [3, 4, 28], turn: WHITE }),
    );
    assert.equal(fenOf(position), 'W:WK3,K4,18:B2,K28');
    assert.equal(positionFromFen('B:W21:B1').turn, BLACK);
  });

  it('refuses text that is not a position, in one line', () => {
    assert.throws(() => positionFromFen('hello'), /not a FEN position/);
    assert.throws(() => positionFromFen('B:W33:B1'), /no square/);
    assert.throws(() => positionFromFen('B:W1:B1'), /both colours/);
  });
});
