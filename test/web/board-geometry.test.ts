import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BLACK, INITIAL_POSITION, positionFromSquares, WHITE } from '../../src/game/position.js';
import { bitOfSquare } from '../../src/game/squares.js';
import { bitAtCell, neighbourByArrow, pieceAt, screenCell, squareLabel } from '../../src/web/board/board-geometry.js';

const bit = bitOfSquare;

describe('board geometry', () => {
  it('with White at the bottom, square 29 is the bottom-left corner and square 4 the top-right', () => {
    assert.deepEqual(screenCell(bit(29), WHITE), { row: 7, column: 0 });
    assert.deepEqual(screenCell(bit(4), WHITE), { row: 0, column: 7 });
    assert.deepEqual(screenCell(bit(1), WHITE), { row: 0, column: 1 });
  });

  it('with Black at the bottom the board is turned half way: square 4 bottom-left, Black men on the bottom rows', () => {
    assert.deepEqual(screenCell(bit(4), BLACK), { row: 7, column: 0 });
    assert.deepEqual(screenCell(bit(29), BLACK), { row: 0, column: 7 });
    for (let square = 1; square <= 12; square++) assert.ok(screenCell(bit(square), BLACK).row >= 5);
    for (let square = 21; square <= 32; square++) assert.ok(screenCell(bit(square), WHITE).row >= 5);
  });

  it('every dark cell maps back to its square, both ways round, and light cells to none', () => {
    for (const bottom of [BLACK, WHITE] as const) {
      for (let b = 0; b < 32; b++) assert.equal(bitAtCell(screenCell(b, bottom), bottom), b);
      assert.equal(bitAtCell({ row: 0, column: 0 }, bottom), -1);
    }
  });

  it('names pieces for data-piece and for screen readers', () => {
    const position = positionFromSquares({ black: [11], white: [22], kings: [22] });
    assert.equal(pieceAt(position, bit(11)), 'black-man');
    assert.equal(pieceAt(position, bit(22)), 'white-king');
    assert.equal(pieceAt(position, bit(15)), undefined);
    assert.equal(squareLabel(INITIAL_POSITION, bit(11)), 'square 11, black man');
    assert.equal(squareLabel(position, bit(22), ['can move']), 'square 22, white king, can move');
    assert.equal(squareLabel(position, bit(15)), 'square 15, empty');
  });

  it('arrow keys move over the dark squares as drawn and stop at the edges', () => {
    // White at the bottom: 22 is row 5, column 2 (x = 2, y = 2).
    assert.equal(neighbourByArrow(bit(22), 'ArrowRight', WHITE), bit(23));
    assert.equal(neighbourByArrow(bit(22), 'ArrowLeft', WHITE), bit(21));
    assert.equal(neighbourByArrow(bit(22), 'ArrowUp', WHITE), bit(17));
    assert.equal(neighbourByArrow(bit(22), 'ArrowDown', WHITE), bit(25));
    assert.equal(neighbourByArrow(bit(29), 'ArrowLeft', WHITE), bit(29));
    assert.equal(neighbourByArrow(bit(29), 'ArrowDown', WHITE), bit(29));
    assert.equal(neighbourByArrow(bit(4), 'ArrowDown', BLACK), bit(4));
    assert.equal(neighbourByArrow(bit(4), 'ArrowUp', BLACK), bit(8));
  });
});
