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

/** Why a path is refused (the IllegalMove reason codes of protocol version 2). */
export const PathRefusal = {
  /** Not a legal move in this position. */
  NotLegal: 0,
  /** The side to move must capture, and the path is a simple step. */
  CaptureCompulsory: 1,
  /** The path is the start of a legal capture that must go on. */
  CaptureGoesOn: 2,
} as const;
export type PathRefusal = (typeof PathRefusal)[keyof typeof PathRefusal];

export type PathReading =
  | { readonly ok: true; readonly move: Move }
  | { readonly ok: false; readonly refusal: PathRefusal };

/** The bits a legal move visits: its start, then every landing. */
function visited(move: Move): readonly number[] {
  return [move.from, ...move.path];
}

/**
 * The legal move of the side to move that a path names: square numbers 1-32,
 * the start then every landing ("13x22x31" is [13, 22, 31]). Only the whole
 * path of a capture is a move; its start is refused as "the capture can go on".
 */
export function findPath(position: Position, squares: readonly number[], legal = legalMoves(position)): PathReading {
  const bits = squares.map((square) => square - 1);
  const exact = legal.find((move) => sameBits(visited(move), bits));
  if (exact) return { ok: true, move: exact };
  const isPrefix = (move: Move) => {
    const all = visited(move);
    return (
      move.captured !== 0 && bits.length >= 2 && bits.length < all.length && sameBits(all.slice(0, bits.length), bits)
    );
  };
  if (legal.some(isPrefix)) return { ok: false, refusal: PathRefusal.CaptureGoesOn };
  const mustCapture = legal.some((move) => move.captured !== 0);
  if (mustCapture && bits.length === 2 && isStepShape(bits[0] ?? -1, bits[1] ?? -1)) {
    return { ok: false, refusal: PathRefusal.CaptureCompulsory };
  }
  return { ok: false, refusal: PathRefusal.NotLegal };
}

function sameBits(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((bit, i) => bit === b[i]);
}

/** Whether `to` is one diagonal step from `from` in any direction. */
function isStepShape(from: number, to: number): boolean {
  return to >= 0 && DIRECTIONS.some((direction) => STEP[direction]?.[from] === to);
}

/**
 * The squares (1-32) a path begun with `squares` can go on to: the starts of
 * all legal moves for an empty path; nothing once the path is a whole move or
 * leads nowhere legal. A client marks these as the player clicks along a path.
 */
export function continuations(position: Position, squares: readonly number[], legal = legalMoves(position)): number[] {
  const bits = squares.map((square) => square - 1);
  const next = new Set<number>();
  for (const move of legal) {
    const all = visited(move);
    if (all.length > bits.length && sameBits(all.slice(0, bits.length), bits)) next.add((all[bits.length] ?? 0) + 1);
  }
  return [...next].sort((a, b) => a - b);
}

/** A move that can never be undone: a capture or a man's move (they reset the 40-move count and repetition). */
export function isIrreversible(position: Position, move: Move): boolean {
  return move.captured !== 0 || ((position.kings >>> move.from) & 1) === 0;
}

/**
 * A position's identity for repetition: the pieces, the kings and the side to
 * move (the same pieces with the other side to move are a different position).
 */
export function positionKey(position: Position): string {
  const hex = (bits: number) => (bits >>> 0).toString(16).padStart(8, '0');
  return `${hex(position.black)}${hex(position.white)}${hex(position.kings)}${position.turn}`;
}
