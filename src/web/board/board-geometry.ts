import { BLACK, type Color, type Position } from '../../game/position.js';
import { BIT_COORDINATES, bitOf, SQUARE_COUNT, squareNumber } from '../../game/squares.js';

/**
 * Where each square is drawn: the side at the bottom has its own men on the
 * bottom rows (docs/development.md, "Board orientation and square numbering": Black starts on squares 1-12,
 * which stand on y = 5-7). Pure, so that the layout is tested without a browser.
 */
export interface ScreenCell {
  readonly row: number;
  readonly column: number;
}

export function screenCell(bit: number, bottom: Color): ScreenCell {
  const square = BIT_COORDINATES[bit];
  if (!square) throw new RangeError(`no square with bit ${bit}`);
  return bottom === BLACK ? { row: square.y, column: 7 - square.x } : { row: 7 - square.y, column: square.x };
}

/** The bit drawn at a screen cell, or -1 for a light square. */
export function bitAtCell(cell: ScreenCell, bottom: Color): number {
  return bottom === BLACK ? bitOf(7 - cell.column, cell.row) : bitOf(cell.column, 7 - cell.row);
}

export type PieceName = 'black-man' | 'black-king' | 'white-man' | 'white-king';

export function pieceAt(position: Position, bit: number): PieceName | undefined {
  const mask = (1 << bit) >>> 0;
  const king = (position.kings & mask) !== 0;
  if (position.black & mask) return king ? 'black-king' : 'black-man';
  if (position.white & mask) return king ? 'white-king' : 'white-man';
  return undefined;
}

/** What a screen reader says for a square, e.g. "square 11, black man". */
export function squareLabel(position: Position | undefined, bit: number, notes: readonly string[] = []): string {
  const piece = position ? pieceAt(position, bit) : undefined;
  const content = piece ? piece.replace('-', ' ') : 'empty';
  return [`square ${squareNumber(bit)}`, content, ...notes].join(', ');
}

export type ArrowKey = 'ArrowUp' | 'ArrowDown' | 'ArrowLeft' | 'ArrowRight';

/**
 * The square that keyboard focus moves to from `bit` with an arrow key, on
 * the screen as drawn: left and right go to the next dark square in the row,
 * up and down to a dark square of the next row (the one to the left if there
 * is one). Stays put at the edge.
 */
export function neighbourByArrow(bit: number, key: ArrowKey, bottom: Color): number {
  const { row, column } = screenCell(bit, bottom);
  const candidates: ScreenCell[] =
    key === 'ArrowLeft'
      ? [{ row, column: column - 2 }]
      : key === 'ArrowRight'
        ? [{ row, column: column + 2 }]
        : [
            { row: row + (key === 'ArrowUp' ? -1 : 1), column: column - 1 },
            { row: row + (key === 'ArrowUp' ? -1 : 1), column: column + 1 },
          ];
  for (const cell of candidates) {
    if (cell.row < 0 || cell.row > 7 || cell.column < 0 || cell.column > 7) continue;
    const next = bitAtCell(cell, bottom);
    if (next >= 0 && next < SQUARE_COUNT) return next;
  }
  return bit;
}

/**
 * The edge coordinates drawn in a screen cell: files along the bottom row and
 * ranks up the right-hand column, in the project's coordinates (file a-h is
 * x, rank is y + 1, as in the wire board; docs/development.md, "Board
 * orientation and square numbering"): a1 is White's left-hand corner, square
 * 29. They turn with the board when it is flipped.
 */
export function coordinateLabels(cell: ScreenCell, bottom: Color): { file?: string; rank?: string } {
  const x = bottom === BLACK ? 7 - cell.column : cell.column;
  const y = bottom === BLACK ? cell.row : 7 - cell.row;
  return {
    ...(cell.row === 7 ? { file: 'abcdefgh'.charAt(x) } : {}),
    ...(cell.column === 7 ? { rank: String(y + 1) } : {}),
  };
}
