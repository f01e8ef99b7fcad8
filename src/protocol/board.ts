/**
 * The 24-byte Board of PROTOCOL.md section 2.2: 64 squares of three bits in one
 * 192-bit big-endian integer, square (x, y) at bits 3(8x+y) .. 3(8x+y)+2.
 *
 * The wire allows any bit pattern on any square (light squares included), so
 * this type keeps all 64 cells as they were sent; the rules layer decides what
 * is a legal position.
 */
export const BOARD_BYTES = 24;

/** Bit 2 of a cell: a piece is here. */
export const CELL_PIECE = 0b100;
/** Bit 1 of a cell: the piece is a king. */
export const CELL_KING = 0b010;
/** Bit 0 of a cell: the piece belongs to the player receiving this board. */
export const CELL_MINE = 0b001;

export class WireBoard {
  /** 64 cells, index 8*x + y, each 0..7. */
  readonly cells: Uint8Array;

  constructor(cells: Uint8Array = new Uint8Array(64)) {
    if (cells.length !== 64) throw new RangeError(`a board has 64 cells, got ${cells.length}`);
    this.cells = cells;
  }

  get(x: number, y: number): number {
    return this.cells[8 * x + y] ?? 0;
  }

  set(x: number, y: number, cell: number): void {
    this.cells[8 * x + y] = cell & 7;
  }

  /** The same squares as seen by the other player: the ownership bit of every piece flipped. */
  flipOwnership(): WireBoard {
    const cells = new Uint8Array(64);
    for (let i = 0; i < 64; i++) {
      const cell = this.cells[i] ?? 0;
      cells[i] = cell & CELL_PIECE ? cell ^ CELL_MINE : cell;
    }
    return new WireBoard(cells);
  }
}

/**
 * Three bytes hold 24 bits = 8 cells = one column x, because a column's
 * indices 8x..8x+7 are consecutive. Column x sits in bytes 21-3x .. 23-3x.
 */
export function writeBoard(board: WireBoard, target: Uint8Array, offset: number): void {
  const cells = board.cells;
  for (let x = 0; x < 8; x++) {
    let column = 0;
    for (let y = 7; y >= 0; y--) column = (column << 3) | ((cells[8 * x + y] ?? 0) & 7);
    const at = offset + 21 - 3 * x;
    target[at] = column >>> 16;
    target[at + 1] = (column >>> 8) & 0xff;
    target[at + 2] = column & 0xff;
  }
}

export function readBoard(source: Uint8Array, offset: number): WireBoard {
  const cells = new Uint8Array(64);
  for (let x = 0; x < 8; x++) {
    const at = offset + 21 - 3 * x;
    let column = ((source[at] ?? 0) << 16) | ((source[at + 1] ?? 0) << 8) | (source[at + 2] ?? 0);
    for (let y = 0; y < 8; y++) {
      cells[8 * x + y] = column & 7;
      column >>>= 3;
    }
  }
  return new WireBoard(cells);
}
