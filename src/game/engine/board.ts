import { BLACK, WHITE } from '../position.js';
import { xorshift32 } from '../random.js';
import { BIT_COORDINATES, JUMP, STEP } from '../squares.js';

/**
 * The engine's hot path: bitboards as plain int32 numbers (bit b = square
 * b + 1, as everywhere in src/game), moves written into preallocated typed
 * arrays, and no object allocated per move or per node. The public,
 * object-based API (standard.ts, v1.ts) stays the reference these are
 * tested against.
 */

/** One diagonal step of every bit at once, per direction (see squares.ts for the numbering). */
export function shift0(bits: number): number {
  return ((bits & 0x0f0f0f0f) << 4) | ((bits & 0x00e0e0e0) << 3);
}
export function shift1(bits: number): number {
  return ((bits & 0xe0e0e0e0) >>> 5) | ((bits & 0x0f0f0f00) >>> 4);
}
export function shift2(bits: number): number {
  return ((bits & 0x07070707) << 5) | ((bits & 0x00f0f0f0) << 4);
}
export function shift3(bits: number): number {
  return ((bits & 0xf0f0f0f0) >>> 4) | ((bits & 0x07070700) >>> 3);
}

export function popCount(bits: number): number {
  let v = bits - ((bits >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) | 0;
}

export function bitIndex(single: number): number {
  return 31 - Math.clz32(single);
}

/** Rows a man crowns on: Black moves towards bit 31, White towards bit 0. */
export const CROWN_BLACK = 0xf0000000 | 0;
export const CROWN_WHITE = 0x0000000f;

/** STEP and JUMP flattened: index direction * 32 + bit. */
const STEP_TO = Int8Array.from({ length: 128 }, (_, i) => STEP[i >> 5]?.[i & 31] ?? -1);
const JUMP_TO = Int8Array.from({ length: 128 }, (_, i) => JUMP[i >> 5]?.[i & 31] ?? -1);

/** Whether the side with `own` pieces can jump (bit-parallel). */
export function canJump(own: number, opp: number, kings: number, color: number, empty: number): boolean {
  const ownKings = own & kings;
  if (color === BLACK) {
    if ((shift0(shift0(own) & opp) & empty) !== 0 || (shift2(shift2(own) & opp) & empty) !== 0) return true;
    if (ownKings === 0) return false;
    return (shift1(shift1(ownKings) & opp) & empty) !== 0 || (shift3(shift3(ownKings) & opp) & empty) !== 0;
  }
  if ((shift1(shift1(own) & opp) & empty) !== 0 || (shift3(shift3(own) & opp) & empty) !== 0) return true;
  if (ownKings === 0) return false;
  return (shift0(shift0(ownKings) & opp) & empty) !== 0 || (shift2(shift2(ownKings) & opp) & empty) !== 0;
}

export function canStep(own: number, kings: number, color: number, empty: number): boolean {
  const ownKings = own & kings;
  const forward = color === BLACK ? shift0(own) | shift2(own) : shift1(own) | shift3(own);
  const backward = color === BLACK ? shift1(ownKings) | shift3(ownKings) : shift0(ownKings) | shift2(ownKings);
  return ((forward | backward) & empty) !== 0;
}

/**
 * A stack of moves: from and to bits and the captured squares. A node's
 * moves are written above its parent's, so a search needs one of these.
 */
export class MoveStack {
  readonly from: Int8Array;
  readonly to: Int8Array;
  readonly captured: Int32Array;
  readonly order: Float64Array;

  constructor(readonly capacity: number) {
    this.from = new Int8Array(capacity);
    this.to = new Int8Array(capacity);
    this.captured = new Int32Array(capacity);
    this.order = new Float64Array(capacity);
  }
}

/**
 * Writes every legal move of `color` (standard rules: captures compulsory,
 * every capture sequence a separate move, a crowned man stops) at `start`;
 * returns the end index. Whether they are captures is `captured !== 0`.
 */
export function generateMoves(
  stack: MoveStack,
  start: number,
  own: number,
  opp: number,
  kings: number,
  color: number,
): number {
  const empty = ~(own | opp);
  if (canJump(own, opp, kings, color, empty)) {
    let end = start;
    for (let jumpers = own; jumpers !== 0; jumpers &= jumpers - 1) {
      const from = bitIndex(jumpers & -jumpers);
      const isKing = ((kings >>> from) & 1) === 1;
      end = extendJumps(stack, end, from, from, 0, isKing, color, opp, empty | (1 << from));
    }
    return end;
  }
  return generateSteps(stack, start, own, kings, color, empty);
}

/** Simple steps only (version 1's player moves, or standard when no capture exists). */
export function generateSteps(
  stack: MoveStack,
  start: number,
  own: number,
  kings: number,
  color: number,
  empty: number,
): number {
  let end = start;
  const ownKings = own & kings;
  const up = color === BLACK ? ownKings : own;
  const down = color === BLACK ? own : ownKings;
  // Each direction bit-parallel: the squares stepped to, then where each came from.
  end = writeSteps(stack, end, shift0(down) & empty, 3 << 5);
  end = writeSteps(stack, end, shift2(down) & empty, 1 << 5);
  end = writeSteps(stack, end, shift1(up) & empty, 2 << 5);
  return writeSteps(stack, end, shift3(up) & empty, 0);
}

/** Writes a step to every bit of `targets`, coming from one step back (in the opposite direction's table). */
function writeSteps(stack: MoveStack, start: number, targets: number, back: number): number {
  let end = start;
  for (let rest = targets; rest !== 0; rest &= rest - 1) {
    const to = bitIndex(rest & -rest);
    stack.from[end] = STEP_TO[back + to] as number;
    stack.to[end] = to;
    stack.captured[end] = 0;
    end++;
  }
  return end;
}

function extendJumps(
  stack: MoveStack,
  end: number,
  from: number,
  at: number,
  captured: number,
  isKing: boolean,
  color: number,
  opp: number,
  empty: number,
): number {
  let extended = false;
  const crown = color === BLACK ? CROWN_BLACK : CROWN_WHITE;
  for (let direction = 0; direction < 4; direction++) {
    if (!isKing && (direction & 1) !== (color === WHITE ? 1 : 0)) continue;
    const land = JUMP_TO[(direction << 5) + at] as number;
    if (land < 0) continue;
    const overBit = 1 << (STEP_TO[(direction << 5) + at] as number);
    if ((opp & overBit) === 0 || (captured & overBit) !== 0 || ((empty >>> land) & 1) === 0) continue;
    extended = true;
    const taken = captured | overBit;
    if (!isKing && ((crown >>> land) & 1) === 1) {
      stack.from[end] = from;
      stack.to[end] = land;
      stack.captured[end] = taken;
      end++;
    } else {
      end = extendJumps(stack, end, from, land, taken, isKing, color, opp, empty);
    }
  }
  if (!extended && captured !== 0) {
    stack.from[end] = from;
    stack.to[end] = at;
    stack.captured[end] = captured;
    end++;
  }
  return end;
}

/** Number of legal moves, without writing the steps out (perft's last ply). */
export function countMoves(stack: MoveStack, start: number, own: number, opp: number, kings: number, color: number) {
  const empty = ~(own | opp);
  if (canJump(own, opp, kings, color, empty)) return generateMoves(stack, start, own, opp, kings, color) - start;
  const ownKings = own & kings;
  if (color === BLACK) {
    return (
      popCount(shift0(own) & empty) +
      popCount(shift2(own) & empty) +
      popCount(shift1(ownKings) & empty) +
      popCount(shift3(ownKings) & empty)
    );
  }
  return (
    popCount(shift1(own) & empty) +
    popCount(shift3(own) & empty) +
    popCount(shift0(ownKings) & empty) +
    popCount(shift2(ownKings) & empty)
  );
}

/** Zobrist keys: (colour * 2 + king) * 32 + bit, and one for White to move. */
export const ZOBRIST = (() => {
  const keys = new Int32Array(128);
  const next = xorshift32(0x2545f491);
  for (let i = 0; i < keys.length; i++) keys[i] = next();
  return keys;
})();
export const ZOBRIST_WHITE_TO_MOVE = 0x5bd1e995;

export function zobristOf(black: number, white: number, kings: number, turn: number): number {
  let hash = turn === WHITE ? ZOBRIST_WHITE_TO_MOVE : 0;
  for (let rest = black | white; rest !== 0; rest &= rest - 1) {
    const bit = bitIndex(rest & -rest);
    const color = (white >>> bit) & 1;
    const king = (kings >>> bit) & 1;
    hash ^= ZOBRIST[(color * 2 + king) * 32 + bit] as number;
  }
  return hash;
}

/**
 * The change of the Zobrist key (side to move aside) when `color` moves
 * from `from` to `to` taking `captured`, a man crowning on its last row.
 */
export function zobristOfMove(kings: number, color: number, from: number, to: number, captured: number): number {
  const wasKing = (kings >>> from) & 1;
  const isKing = wasKing | ((((color === BLACK ? CROWN_BLACK : CROWN_WHITE) >>> to) & 1) as number);
  let hash =
    (ZOBRIST[(color * 2 + wasKing) * 32 + from] as number) ^ (ZOBRIST[(color * 2 + isKing) * 32 + to] as number);
  const them = (color ^ 1) * 2;
  for (let rest = captured; rest !== 0; rest &= rest - 1) {
    const bit = bitIndex(rest & -rest);
    hash ^= ZOBRIST[(them + ((kings >>> bit) & 1)) * 32 + bit] as number;
  }
  return hash;
}

// Evaluation masks (see evaluate.ts for what the terms mean).
const advanceOf = (color: number, bit: number) => {
  const y = BIT_COORDINATES[bit]?.y ?? 0;
  return color === BLACK ? 7 - y : y;
};
const maskWhere = (test: (bit: number) => boolean) => {
  let mask = 0;
  for (let bit = 0; bit < 32; bit++) if (test(bit)) mask |= 1 << bit;
  return mask;
};
const ADVANCE_1 = [
  maskWhere((b) => (advanceOf(BLACK, b) & 1) !== 0),
  maskWhere((b) => (advanceOf(WHITE, b) & 1) !== 0),
];
const ADVANCE_2 = [
  maskWhere((b) => (advanceOf(BLACK, b) & 2) !== 0),
  maskWhere((b) => (advanceOf(WHITE, b) & 2) !== 0),
];
const ADVANCE_4 = [
  maskWhere((b) => (advanceOf(BLACK, b) & 4) !== 0),
  maskWhere((b) => (advanceOf(WHITE, b) & 4) !== 0),
];
const NEAR_CROWNING = [maskWhere((b) => advanceOf(BLACK, b) >= 5), maskWhere((b) => advanceOf(WHITE, b) >= 5)];
const BACK_RANK = [0x0000000f, 0xf0000000 | 0];
const CENTRE = maskWhere((b) => {
  const { x, y } = BIT_COORDINATES[b] ?? { x: 0, y: 0 };
  return x >= 2 && x <= 5 && y >= 2 && y <= 5;
});
const SIDE_SQUARES = maskWhere((b) => {
  const x = BIT_COORDINATES[b]?.x ?? 1;
  return x === 0 || x === 7;
});
/** The bridge: a side's men on its own squares 1 and 3 (Black) or 30 and 32 (White). */
const BRIDGE = [(1 << 0) | (1 << 2), (1 << 29) | (1 << 31)];

/**
 * The evaluation's weights, in the order of WEIGHT_NAMES: each term counts
 * for the side to move and against its opponent. The search takes them as an
 * Int32Array so a tuner (bench/tune.ts) or a match can try others.
 */
export const WEIGHT_NAMES = [
  'man',
  'king',
  'row advanced by a man',
  'man on the last three rows',
  'back-rank man while the opponent has men',
  'square a man can step to',
  'king in the centre',
  'square a king can step to',
  'man in the centre',
  'man on a side square',
  'bridge (both squares) while the opponent has men',
  'man backed by its own piece, per diagonal',
  'the opponent threatens a capture (side to move only)',
] as const;
/**
 * Half-way from the previous weights (100, 136, 4, 3, 21, 1, 3, with the
 * new terms at 0) to those `npm run tune -- --games 1500 --nodes 4000`
 * fitted on two seeds' standard self-play (100, 153, -1, 11, -1, 13, -2,
 * -1, -11, -3, 61, 9, -20), but for the king's value and the king's terms,
 * kept: fitted on few endings, they lost the king ending conversions. At
 * equal time these beat the previous weights by +179 Elo in 312 games
 * (docs/engine.md, "Principal variation search and thirteen terms").
 */
export const DEFAULT_WEIGHTS: Readonly<Int32Array> = Int32Array.of(100, 136, 2, 7, 10, 7, 3, 1, -6, -2, 31, 5, -10);
export const MAN_VALUE = 100;
export const KING_VALUE = 136;

/** Black's material minus White's, a man MAN_VALUE and a king KING_VALUE (negative: White is ahead). */
export function materialLead(black: number, white: number, kings: number): number {
  return (
    (popCount(black & ~kings) - popCount(white & ~kings)) * MAN_VALUE +
    (popCount(black & kings) - popCount(white & kings)) * KING_VALUE
  );
}
export const FEATURE_COUNT = WEIGHT_NAMES.length;

/** Writes `color`'s counts of the terms that count for each side into out[at..at + FEATURE_COUNT); the threat (last) is left 0. */
function sideFeatures(
  pieces: number,
  kings: number,
  color: number,
  empty: number,
  opponentMen: number,
  out: Int32Array,
  at: number,
): void {
  const men = pieces & ~kings;
  const ownKings = pieces & kings;
  out[at] = popCount(men);
  out[at + 1] = popCount(ownKings);
  out[at + 2] = rowsAdvanced(men, color);
  out[at + 3] = popCount(men & (NEAR_CROWNING[color] as number));
  out[at + 4] = opponentMen !== 0 ? popCount(men & (BACK_RANK[color] as number)) : 0;
  out[at + 5] = menMobility(color, men, empty);
  out[at + 6] = popCount(ownKings & CENTRE);
  out[at + 7] = kingSteps(ownKings, empty);
  out[at + 8] = popCount(men & CENTRE);
  out[at + 9] = popCount(men & SIDE_SQUARES);
  out[at + 10] = bridgeHeld(men, color, opponentMen);
  out[at + 11] = backedMen(men, pieces, color);
  out[at + 12] = 0;
}

const THREAT = FEATURE_COUNT - 1;
const scratch = new Int32Array(2 * FEATURE_COUNT);

/**
 * The terms of the evaluation for the side to move, own count minus the
 * opponent's (the threat: 1 if the opponent could capture were it to move),
 * times the endgame factor (1 + (24 - pieces) / 20): the score is their dot
 * product with the weights (before rounding). For tuning.
 */
export function evaluationFeatures(black: number, white: number, kings: number, turn: number): number[] {
  const empty = ~(black | white);
  sideFeatures(black, kings, BLACK, empty, white & ~kings, scratch, 0);
  sideFeatures(white, kings, WHITE, empty, black & ~kings, scratch, FEATURE_COUNT);
  const pieces = popCount(black | white);
  const factor = 1 + (24 - pieces) / 20;
  const sign = turn === BLACK ? 1 : -1;
  const features = Array.from(
    { length: FEATURE_COUNT },
    (_, i) => sign * ((scratch[i] as number) - (scratch[FEATURE_COUNT + i] as number)) * factor,
  );
  features[THREAT] = threatened(black, white, kings, turn, empty, pieces) * factor;
  return features;
}

function sideScore(
  pieces: number,
  kings: number,
  color: number,
  empty: number,
  opponentMen: number,
  weights: Readonly<Int32Array>,
): number {
  const men = pieces & ~kings;
  const ownKings = pieces & kings;
  let score = popCount(men) * (weights[0] as number) + popCount(ownKings) * (weights[1] as number);
  score += rowsAdvanced(men, color) * (weights[2] as number);
  score += popCount(men & (NEAR_CROWNING[color] as number)) * (weights[3] as number);
  if (opponentMen !== 0) score += popCount(men & (BACK_RANK[color] as number)) * (weights[4] as number);
  score += menMobility(color, men, empty) * (weights[5] as number);
  if (ownKings !== 0) {
    score += popCount(ownKings & CENTRE) * (weights[6] as number) + kingSteps(ownKings, empty) * (weights[7] as number);
  }
  score += popCount(men & CENTRE) * (weights[8] as number) + popCount(men & SIDE_SQUARES) * (weights[9] as number);
  score += bridgeHeld(men, color, opponentMen) * (weights[10] as number);
  return score + backedMen(men, pieces, color) * (weights[11] as number);
}

/** The static score for the side to move; the same function as evaluate(position), on bitboards. */
export function evaluateBoard(
  black: number,
  white: number,
  kings: number,
  turn: number,
  weights: Readonly<Int32Array> = DEFAULT_WEIGHTS,
): number {
  const empty = ~(black | white);
  const blackScore = sideScore(black, kings, BLACK, empty, white & ~kings, weights);
  const whiteScore = sideScore(white, kings, WHITE, empty, black & ~kings, weights);
  let lead = turn === BLACK ? blackScore - whiteScore : whiteScore - blackScore;
  const pieces = popCount(black | white);
  const threatWeight = weights[THREAT] as number;
  if (threatWeight !== 0) lead += threatWeight * threatened(black, white, kings, turn, empty, pieces);
  return lead + Math.trunc((lead * (24 - pieces)) / 20);
}

/** Rows the men have advanced, summed (bit-sliced: each mask holds the squares whose advance has that bit set). */
function rowsAdvanced(men: number, color: number): number {
  return (
    popCount(men & (ADVANCE_1[color] as number)) +
    2 * popCount(men & (ADVANCE_2[color] as number)) +
    4 * popCount(men & (ADVANCE_4[color] as number))
  );
}

function bridgeHeld(men: number, color: number, opponentMen: number): number {
  const bridge = BRIDGE[color] as number;
  return opponentMen !== 0 && (men & bridge) === bridge ? 1 : 0;
}

/** Men with a piece of their own right behind them, once per diagonal: a jump along that diagonal cannot land there. */
function backedMen(men: number, pieces: number, color: number): number {
  return color === BLACK
    ? popCount(men & shift0(pieces)) + popCount(men & shift2(pieces))
    : popCount(men & shift1(pieces)) + popCount(men & shift3(pieces));
}

/**
 * The threat term counts only from this many pieces on: in an ending the
 * winning side's kings must close in on the other side's, and a penalty for
 * standing where it could be captured held them back (3 kings against 2 were
 * drawn), while the search sees an ending's few captures itself.
 */
const THREAT_MIN_PIECES = 9;

/** 1 if the side not to move could capture were it its turn, a threat the side to move must meet; 0 in an ending. */
function threatened(black: number, white: number, kings: number, turn: number, empty: number, pieces: number): number {
  if (pieces < THREAT_MIN_PIECES) return 0;
  return turn === BLACK
    ? Number(canJump(white, black, kings, WHITE, empty))
    : Number(canJump(black, white, kings, BLACK, empty));
}

/** Steps men can make to empty squares (forward only): a term of the evaluation and of the tuner's features. */
function menMobility(color: number, men: number, empty: number): number {
  return color === BLACK
    ? popCount(shift0(men) & empty) + popCount(shift2(men) & empty)
    : popCount(shift1(men) & empty) + popCount(shift3(men) & empty);
}

/** Steps kings can make to empty squares, every way. */
export function kingSteps(ownKings: number, empty: number): number {
  return (
    popCount(shift0(ownKings) & empty) +
    popCount(shift1(ownKings) & empty) +
    popCount(shift2(ownKings) & empty) +
    popCount(shift3(ownKings) & empty)
  );
}
