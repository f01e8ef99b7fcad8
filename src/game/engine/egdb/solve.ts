import { BLACK } from '../../position.js';
import { STEP } from '../../squares.js';
import { CROWN_BLACK, CROWN_WHITE, canJump, generateMoves, MoveStack } from '../board.js';
import {
  type DecodedPosition,
  indexOf,
  keyOfPosition,
  type Material,
  materialName,
  materialsOf,
  positionAt,
  type Slice,
  sliceOf,
} from './indexing.js';
import type { EndgameProbe } from './probe.js';

/**
 * Values are one byte per position: DRAW, INVALID (an index naming no
 * position), or 2 + d where d is the distance to the end of the game in
 * plies with best play (the winner hurrying, the loser delaying): d odd is
 * a win for the side to move, d even a loss. These are game-theoretic
 * values of standard English draughts: the 40-move rule is ignored here
 * (the engine uses the distance to make progress instead).
 */
export const DRAW = 0;
export const INVALID = 1;
export const MAX_DISTANCE = 253;

export function isWin(code: number): boolean {
  return code >= 2 && (code & 1) === 1;
}
export function isLoss(code: number): boolean {
  return code >= 2 && (code & 1) === 0;
}
/** Plies to the end of the game for a decided value. */
export function distanceOf(code: number): number {
  return code - 2;
}

/** Solved slices by material key, with a lookup of any position they cover. */
export class EndgameTables implements EndgameProbe {
  readonly slices = new Map<number, Slice>();
  readonly values = new Map<number, Uint8Array>();
  /** The most pieces of any slice held (the search probes no position with more). */
  maxPieces = 0;

  /** Every value held is exact. */
  get exactPieces(): number {
    return this.maxPieces;
  }

  add(slice: Slice, values: Uint8Array): void {
    this.slices.set(slice.key, slice);
    this.values.set(slice.key, values);
    const m = slice.material;
    this.maxPieces = Math.max(this.maxPieces, m.blackKings + m.blackMen + m.whiteKings + m.whiteMen);
  }

  /** The value code for the side to move, or -1 when no table covers the position. */
  probe(black: number, white: number, kings: number, turn: number): number {
    if ((turn === BLACK ? black : white) === 0) return 2;
    if ((turn === BLACK ? white : black) === 0) return -1;
    const key = keyOfPosition(black, white, kings);
    const slice = this.slices.get(key);
    const values = this.values.get(key);
    if (!slice || !values) return -1;
    return values[indexOf(slice, black, white, kings, turn)] as number;
  }
}

/** Result of a move from (own, opp, kings) by `color`: written into `out` as black/white/kings, turn passed. */
export function playInto(
  out: DecodedPosition,
  own: number,
  opp: number,
  kings: number,
  color: number,
  from: number,
  to: number,
  captured: number,
): boolean {
  const fromBit = 1 << from;
  const toBit = 1 << to;
  const wasKing = (kings & fromBit) !== 0;
  const crowned = !wasKing && ((color === BLACK ? CROWN_BLACK : CROWN_WHITE) & toBit) !== 0;
  const movedOwn = (own & ~fromBit) | toBit;
  const leftOpp = opp & ~captured;
  let newKings = kings & ~fromBit & ~captured;
  if (wasKing || crowned) newKings |= toBit;
  out.black = color === BLACK ? movedOwn : leftOpp;
  out.white = color === BLACK ? leftOpp : movedOwn;
  out.kings = newKings;
  out.turn = color ^ 1;
  out.valid = true;
  return crowned;
}

/**
 * Retrograde analysis of one slice, every slice its moves lead to being in
 * `tables` already. A first pass gives each position its moves' values out
 * of the slice and the count of its moves within it; then positions are
 * settled in increasing distance (a bucket per distance): a settled loss
 * makes each predecessor a win one ply further, a settled win counts down
 * each predecessor's moves and the last one makes it a loss. What stays
 * unsettled is a draw.
 */
export function solveSlice(material: Material, tables: EndgameTables): Uint8Array {
  const slice = sliceOf(material);
  const size = slice.size;
  const codes = new Uint8Array(size);
  const remaining = new Uint8Array(size);
  const longestWin = new Int16Array(size).fill(-1);
  const blocked = new Uint8Array(size); // a move to a draw or a loss out of the slice: never a loss
  const buckets: number[][] = [];
  const push = (distance: number, index: number) => {
    if (distance > MAX_DISTANCE) throw new RangeError(`${materialName(material)}: distance ${distance} exceeds a byte`);
    let bucket = buckets[distance];
    if (!bucket) {
      bucket = [];
      buckets[distance] = bucket;
    }
    bucket.push(index);
  };
  const stack = new MoveStack(64);
  const position: DecodedPosition = { black: 0, white: 0, kings: 0, turn: 0, valid: false };
  const child: DecodedPosition = { black: 0, white: 0, kings: 0, turn: 0, valid: false };

  for (let index = 0; index < size; index++) {
    positionAt(slice, index, position);
    if (!position.valid) {
      codes[index] = INVALID;
      continue;
    }
    const { black, white, kings, turn } = position;
    const own = turn === BLACK ? black : white;
    const opp = turn === BLACK ? white : black;
    const end = generateMoves(stack, 0, own, opp, kings, turn);
    let inside = 0;
    let shortestLoss = Number.POSITIVE_INFINITY;
    let longest = -1;
    let draws = false;
    for (let m = 0; m < end; m++) {
      const captured = stack.captured[m] as number;
      const crowned = playInto(child, own, opp, kings, turn, stack.from[m] as number, stack.to[m] as number, captured);
      if (captured === 0 && !crowned) {
        inside++;
        continue;
      }
      const code = tables.probe(child.black, child.white, child.kings, child.turn);
      if (code < 0) throw new Error(`${materialName(material)}: a move leads to a slice not solved yet`);
      if (code === DRAW) draws = true;
      else if (isLoss(code)) shortestLoss = Math.min(shortestLoss, distanceOf(code));
      else longest = Math.max(longest, distanceOf(code));
    }
    remaining[index] = inside;
    longestWin[index] = longest;
    if (shortestLoss !== Number.POSITIVE_INFINITY) {
      blocked[index] = 1;
      push(shortestLoss + 1, index);
    } else if (draws) {
      blocked[index] = 1;
    } else if (inside === 0) {
      push(longest + 1, index);
    }
  }

  for (let distance = 0; distance < buckets.length; distance++) {
    const bucket = buckets[distance];
    if (!bucket) continue;
    const settledLoss = (distance & 1) === 0;
    for (const index of bucket) {
      if (codes[index] !== 0) continue;
      codes[index] = distance + 2;
      positionAt(slice, index, position);
      const { black, white, kings, turn } = position;
      const mover = turn ^ 1;
      const own = mover === BLACK ? black : white;
      const opp = mover === BLACK ? white : black;
      const occupied = black | white;
      for (let rest = own; rest !== 0; rest &= rest - 1) {
        const to = 31 - Math.clz32(rest & -rest);
        const toBit = 1 << to;
        const king = (kings & toBit) !== 0;
        for (let direction = 0; direction < 4; direction++) {
          // A man came from behind: Black's men move in even directions, White's in odd ones.
          if (!king && (direction & 1) !== (mover === BLACK ? 1 : 0)) continue;
          const from = STEP[direction]?.[to] ?? -1;
          if (from < 0 || ((occupied >>> from) & 1) !== 0) continue;
          const fromBit = 1 << from;
          const before = (own & ~toBit) | fromBit;
          const beforeKings = king ? (kings & ~toBit) | fromBit : kings;
          if (canJump(before, opp, beforeKings, mover, ~(before | opp))) continue;
          const previous =
            mover === BLACK
              ? indexOf(slice, before, opp, beforeKings, mover)
              : indexOf(slice, opp, before, beforeKings, mover);
          if (codes[previous] !== 0) continue;
          if (settledLoss) {
            push(distance + 1, previous);
            continue;
          }
          remaining[previous] = (remaining[previous] as number) - 1;
          if ((longestWin[previous] as number) < distance) longestWin[previous] = distance;
          if (remaining[previous] === 0 && blocked[previous] === 0)
            push((longestWin[previous] as number) + 1, previous);
        }
      }
    }
    buckets[distance] = [];
  }
  return codes;
}

export interface SolveProgress {
  material: Material;
  size: number;
  milliseconds: number;
  /** The longest distance to the end in the slice (plies). */
  longest: number;
}

export interface SolveOptions {
  /** Only the slices without men (they lead only to each other): kings endgames of more pieces, quickly. */
  readonly kingsOnly?: boolean;
  readonly onSlice?: (progress: SolveProgress) => void;
}

/** Solves every slice of up to `pieces` pieces in dependency order. */
export function solveUpTo(pieces: number, options: SolveOptions = {}): EndgameTables {
  const tables = new EndgameTables();
  for (let count = 2; count <= pieces; count++) {
    for (const material of materialsOf(count)) {
      if (options.kingsOnly && material.blackMen + material.whiteMen > 0) continue;
      const started = performance.now();
      const values = solveSlice(material, tables);
      const slice = sliceOf(material);
      tables.add(slice, values);
      let longest = 0;
      for (const code of values) if (code > longest) longest = code;
      const milliseconds = performance.now() - started;
      options.onSlice?.({ material, size: slice.size, milliseconds, longest: Math.max(0, longest - 2) });
    }
  }
  return tables;
}
