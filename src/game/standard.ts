import {
  type Color,
  CROWNING_ROW,
  emptySquares,
  MAN_DIRECTIONS,
  movePiece,
  other,
  type Position,
  piecesOf,
} from './position.js';
import type { GameResult } from './result.js';
import { DIRECTIONS, type Direction, JUMP, lowestBit, STEP, shift } from './squares.js';

/**
 * Standard English draughts: captures are compulsory and chosen by the player
 * among all capture sequences, a multi-jump must be completed, crowning ends
 * the move, and a side with no legal move (no pieces included) loses.
 */
export interface Move {
  readonly from: number;
  /** Landing bits in order; one entry for a step or a single jump. */
  readonly path: readonly number[];
  /** Bits of the pieces taken; 0 for a step. */
  readonly captured: number;
}

export function directionsFor(position: Position, bit: number, color: Color): readonly Direction[] {
  return (position.kings >>> bit) & 1 ? DIRECTIONS : MAN_DIRECTIONS[color];
}

/** Whether `color` has any jump, computed bit-parallel. */
export function hasJump(position: Position, color: Color): boolean {
  const own = piecesOf(position, color);
  const opponents = piecesOf(position, other(color));
  const empty = emptySquares(position);
  const kings = own & position.kings;
  for (const direction of DIRECTIONS) {
    const movers = MAN_DIRECTIONS[color].includes(direction) ? own : kings;
    if (movers === 0) continue;
    if (shift(shift(movers, direction) & opponents, direction) & empty) return true;
  }
  return false;
}

/** Whether `color` has any simple step. */
export function hasStep(position: Position, color: Color): boolean {
  const own = piecesOf(position, color);
  const empty = emptySquares(position);
  const kings = own & position.kings;
  for (const direction of DIRECTIONS) {
    const movers = MAN_DIRECTIONS[color].includes(direction) ? own : kings;
    if (shift(movers, direction) & empty) return true;
  }
  return false;
}

export function legalMoves(position: Position): Move[] {
  const color = position.turn;
  return hasJump(position, color) ? captureMoves(position, color) : stepMoves(position, color);
}

function stepMoves(position: Position, color: Color): Move[] {
  const moves: Move[] = [];
  const empty = emptySquares(position);
  for (let movers = piecesOf(position, color); movers !== 0; movers &= movers - 1) {
    const from = lowestBit(movers);
    for (const direction of directionsFor(position, from, color)) {
      const to = STEP[direction]?.[from] ?? -1;
      if (to >= 0 && (empty >>> to) & 1) moves.push({ from, path: [to], captured: 0 });
    }
  }
  return moves;
}

function captureMoves(position: Position, color: Color): Move[] {
  const moves: Move[] = [];
  const opponents = piecesOf(position, other(color));
  for (let jumpers = piecesOf(position, color); jumpers !== 0; jumpers &= jumpers - 1) {
    const from = lowestBit(jumpers);
    const search: JumpSearch = {
      from,
      color,
      directions: directionsFor(position, from, color),
      isKing: ((position.kings >>> from) & 1) === 1,
      opponents,
      // The jumping piece has left its square; captured pieces stay until the move ends.
      empty: (emptySquares(position) | (1 << from)) >>> 0,
      path: [],
      out: moves,
    };
    extendJumps(search, from, 0);
  }
  return moves;
}

interface JumpSearch {
  readonly from: number;
  readonly color: Color;
  readonly directions: readonly Direction[];
  readonly isKing: boolean;
  readonly opponents: number;
  readonly empty: number;
  readonly path: number[];
  readonly out: Move[];
}

function extendJumps(search: JumpSearch, at: number, captured: number): void {
  let extended = false;
  for (const direction of search.directions) {
    const land = JUMP[direction]?.[at] ?? -1;
    if (land < 0) continue;
    const over = STEP[direction]?.[at] ?? -1;
    const overBit = (1 << over) >>> 0;
    if ((search.opponents & overBit) === 0 || (captured & overBit) !== 0 || ((search.empty >>> land) & 1) === 0)
      continue;
    extended = true;
    search.path.push(land);
    const taken = (captured | overBit) >>> 0;
    if (!search.isKing && (CROWNING_ROW[search.color] >>> land) & 1) {
      search.out.push({ from: search.from, path: [...search.path], captured: taken });
    } else {
      extendJumps(search, land, taken);
    }
    search.path.pop();
  }
  if (!extended && search.path.length > 0) {
    search.out.push({ from: search.from, path: [...search.path], captured });
  }
}

export function destination(move: Move): number {
  return move.path[move.path.length - 1] ?? move.from;
}

/** Plays a move (assumed legal) for the side to move. */
export function applyMove(position: Position, move: Move): Position {
  return movePiece(position, position.turn, move.from, destination(move), move.captured);
}

/** The result if the side to move has no legal move, else undefined. */
export function standardResult(position: Position): GameResult | undefined {
  const color = position.turn;
  if (piecesOf(position, color) === 0) return { winner: other(color), reason: 'no-pieces' };
  if (!hasJump(position, color) && !hasStep(position, color)) return { winner: other(color), reason: 'no-moves' };
  return undefined;
}
