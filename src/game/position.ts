import { bitCount, DIRECTIONS, type Direction } from './squares.js';

/** Black is the first player: starts on squares 1-12 and moves towards y = 0 (larger square numbers). */
export const BLACK = 0;
/** White is the second player: starts on squares 21-32 and moves towards y = 7. */
export const WHITE = 1;
export type Color = typeof BLACK | typeof WHITE;

export function other(color: Color): Color {
  return (color ^ 1) as Color;
}

export function colorName(color: Color): 'black' | 'white' {
  return color === BLACK ? 'black' : 'white';
}

/** Bitboards over the 32 dark squares (bit = square number - 1) and the side to move. */
export interface Position {
  readonly black: number;
  readonly white: number;
  readonly kings: number;
  readonly turn: Color;
}

export const INITIAL_POSITION: Position = { black: 0x00000fff, white: 0xfff00000, kings: 0, turn: BLACK };

/** The row a man of this colour is crowned on. */
export const CROWNING_ROW: Readonly<Record<Color, number>> = { [BLACK]: 0xf0000000, [WHITE]: 0x0000000f };

/** Directions a man of this colour moves in (dy = 0 is towards y = 0). */
export const MAN_DIRECTIONS: Readonly<Record<Color, readonly Direction[]>> = {
  [BLACK]: DIRECTIONS.filter((direction) => (direction & 1) === 0),
  [WHITE]: DIRECTIONS.filter((direction) => (direction & 1) === 1),
};

export function piecesOf(position: Position, color: Color): number {
  return color === BLACK ? position.black : position.white;
}

export function emptySquares(position: Position): number {
  return ~(position.black | position.white) >>> 0;
}

export function pieceCount(position: Position, color: Color): number {
  return bitCount(piecesOf(position, color));
}

/** Why a position could never arise in play, or undefined if it is sound. */
export function positionProblem(position: Position): string | undefined {
  const { black, white, kings } = position;
  if ((black & white) !== 0) return 'a square holds both colours';
  if ((kings & ~(black | white)) !== 0) return 'a king flag on an empty square';
  if ((black & ~kings & CROWNING_ROW[BLACK]) !== 0) return 'a black man on its crowning row';
  if ((white & ~kings & CROWNING_ROW[WHITE]) !== 0) return 'a white man on its crowning row';
  if (bitCount(black) > 12 || bitCount(white) > 12) return 'more than 12 pieces of one colour';
  return undefined;
}

/** Moves one piece of `color` from `from` to `to`, removes `captured`, crowns, and passes the turn. */
export function movePiece(position: Position, color: Color, from: number, to: number, captured: number): Position {
  const fromBit = (1 << from) >>> 0;
  const toBit = (1 << to) >>> 0;
  const moved = ((piecesOf(position, color) & ~fromBit) | toBit) >>> 0;
  const remaining = (piecesOf(position, other(color)) & ~captured) >>> 0;
  let kings = position.kings & ~captured & ~fromBit;
  if ((position.kings & fromBit) !== 0 || (CROWNING_ROW[color] & toBit) !== 0) kings |= toBit;
  return {
    black: color === BLACK ? moved : remaining,
    white: color === BLACK ? remaining : moved,
    kings: kings >>> 0,
    turn: other(color),
  };
}

export interface SquareLists {
  readonly black?: readonly number[];
  readonly white?: readonly number[];
  /** Squares (of either colour) holding kings. */
  readonly kings?: readonly number[];
  readonly turn?: Color;
}

/** A position from square numbers 1-32, for tests, puzzles and tools. */
export function positionFromSquares(lists: SquareLists): Position {
  const mask = (squares: readonly number[] = []) =>
    squares.reduce((bits, square) => {
      if (!Number.isInteger(square) || square < 1 || square > 32) throw new RangeError(`no square ${square}`);
      return (bits | (1 << (square - 1))) >>> 0;
    }, 0);
  return { black: mask(lists.black), white: mask(lists.white), kings: mask(lists.kings), turn: lists.turn ?? BLACK };
}
