import { type Color, type Position, positionProblem } from '../game/position.js';
import { BIT_COORDINATES, bitOf, type Direction } from '../game/squares.js';
import {
  CELL_KING,
  CELL_MINE,
  CELL_PIECE,
  decodeMove,
  encodeMove,
  type MoveByte,
  WireBoard,
} from '../protocol/index.js';

/** The wire Board of a position as `viewer` receives it (PROTOCOL.md section 2.2). */
export function toWireBoard(position: Position, viewer: Color): WireBoard {
  const board = new WireBoard();
  const mine = viewer === 0 ? position.black : position.white;
  const occupied = position.black | position.white;
  BIT_COORDINATES.forEach(({ x, y }, bit) => {
    if (((occupied >>> bit) & 1) === 0) return;
    let cell = CELL_PIECE;
    if ((position.kings >>> bit) & 1) cell |= CELL_KING;
    if ((mine >>> bit) & 1) cell |= CELL_MINE;
    board.set(x, y, cell);
  });
  return board;
}

/** The pieces of a wire board by owner: the receiver's, the other player's, and which are kings. */
export interface Ownership {
  readonly mine: number;
  readonly theirs: number;
  readonly kings: number;
}

export type OwnershipReading = ({ readonly ok: true } & Ownership) | { readonly ok: false; readonly reason: string };

/** Reads a wire board into bitboards by owner; refuses pieces on light squares and flags without a piece. */
export function readOwnership(board: WireBoard): OwnershipReading {
  let mine = 0;
  let theirs = 0;
  let kings = 0;
  for (let x = 0; x < 8; x++) {
    for (let y = 0; y < 8; y++) {
      const cell = board.get(x, y);
      if ((cell & CELL_PIECE) === 0) {
        if (cell !== 0) return { ok: false, reason: `square (${x},${y}) has flags but no piece` };
        continue;
      }
      const bit = bitOf(x, y);
      if (bit < 0) return { ok: false, reason: `a piece on the light square (${x},${y})` };
      const mask = (1 << bit) >>> 0;
      if (cell & CELL_MINE) mine |= mask;
      else theirs |= mask;
      if (cell & CELL_KING) kings |= mask;
    }
  }
  return { ok: true, mine: mine >>> 0, theirs: theirs >>> 0, kings: kings >>> 0 };
}

export type BoardReading =
  | { readonly ok: true; readonly position: Position }
  | { readonly ok: false; readonly reason: string };

/** The position a wire Board shows to `viewer`; `turn` is not on the wire and is given. */
export function fromWireBoard(board: WireBoard, viewer: Color, turn: Color): BoardReading {
  const reading = readOwnership(board);
  if (!reading.ok) return reading;
  const position: Position = {
    black: viewer === 0 ? reading.mine : reading.theirs,
    white: viewer === 0 ? reading.theirs : reading.mine,
    kings: reading.kings,
    turn,
  };
  const problem = positionProblem(position);
  return problem ? { ok: false, reason: problem } : { ok: true, position };
}

/** The wire Move of a step or single jump from `from` in `direction`. */
export function moveByteOf(from: number, direction: Direction): MoveByte {
  const square = BIT_COORDINATES[from];
  if (!square) throw new RangeError(`no square with bit ${from}`);
  return encodeMove({ x: square.x, y: square.y, dx: ((direction >> 1) & 1) as 0 | 1, dy: (direction & 1) as 0 | 1 });
}

/** The square and direction a wire Move names, or undefined if it starts on a light square. */
export function readMoveByte(byte: MoveByte): { from: number; direction: Direction } | undefined {
  const { x, y, dx, dy } = decodeMove(byte);
  const from = bitOf(x, y);
  return from < 0 ? undefined : { from, direction: ((dx << 1) | dy) as Direction };
}
