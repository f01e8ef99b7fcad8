import { BLACK } from '../position.js';
import { QUIET_PLIES_FOR_DRAW } from '../result.js';
import {
  bitIndex,
  CROWN_BLACK,
  CROWN_WHITE,
  canJump,
  canStep,
  shift0,
  shift1,
  shift2,
  shift3,
  ZOBRIST_WHITE_TO_MOVE,
  zobristOfMove,
} from './board.js';

/** An outcome of a version-1 step: play goes on, the side to move has lost, or the 40-move rule drew it. */
export const GOES_ON = 0;
export const LOST = 1;
export const DRAWN = 2;

/**
 * The positions a version-1 step can lead to, one per sequence of referee
 * choices, in typed arrays: a node writes its outcomes above its parent's,
 * like MoveStack. `turn` is the side to move next (it has no jump), `quiet`
 * its plies since a capture or man move, `result` GOES_ON, LOST or DRAWN.
 */
export class OutcomeStack {
  readonly black: Int32Array;
  readonly white: Int32Array;
  readonly kings: Int32Array;
  readonly hash: Int32Array;
  readonly turn: Int8Array;
  readonly quiet: Int16Array;
  readonly result: Int8Array;

  constructor(readonly capacity: number) {
    this.black = new Int32Array(capacity);
    this.white = new Int32Array(capacity);
    this.kings = new Int32Array(capacity);
    this.hash = new Int32Array(capacity);
    this.turn = new Int8Array(capacity);
    this.quiet = new Int16Array(capacity);
    this.result = new Int8Array(capacity);
  }
}

/**
 * Writes at `op` every outcome of `color`'s step from `from` to `to` (the
 * referee's forced jumps played out every way they can go); returns the end
 * index. `hash` is the Zobrist key before the step, `quiet` the mover's count.
 */
export function stepOutcomes(
  out: OutcomeStack,
  op: number,
  black: number,
  white: number,
  kings: number,
  color: number,
  quiet: number,
  hash: number,
  from: number,
  to: number,
): number {
  const fromBit = 1 << from;
  const toBit = 1 << to;
  const wasKing = (kings & fromBit) !== 0;
  const crowned = wasKing || ((color === BLACK ? CROWN_BLACK : CROWN_WHITE) & toBit) !== 0;
  const nextKings = (kings & ~fromBit) | (crowned ? toBit : 0);
  const nextHash = hash ^ ZOBRIST_WHITE_TO_MOVE ^ zobristOfMove(kings, color, from, to, 0);
  const nextBlack = color === BLACK ? black ^ fromBit ^ toBit : black;
  const nextWhite = color === BLACK ? white : white ^ fromBit ^ toBit;
  return settle(out, op, nextBlack, nextWhite, nextKings, color ^ 1, wasKing ? quiet + 1 : 0, nextHash);
}

/**
 * From a position where `color` is to move: while it can jump, each of its
 * jumps (the same piece going on while it can, a crowned man stopping) and
 * then the other side's turn; otherwise this position, settled.
 */
function settle(
  out: OutcomeStack,
  op: number,
  black: number,
  white: number,
  kings: number,
  color: number,
  quiet: number,
  hash: number,
): number {
  const own = color === BLACK ? black : white;
  const opp = color === BLACK ? white : black;
  const empty = ~(black | white);
  if (own !== 0 && canJump(own, opp, kings, color, empty)) {
    let end = op;
    for (let jumpers = own; jumpers !== 0; jumpers &= jumpers - 1) {
      end = jumpsFrom(out, end, black, white, kings, color, hash, bitIndex(jumpers & -jumpers));
    }
    return end;
  }
  let result = GOES_ON;
  if (own === 0 || !canStep(own, kings, color, empty)) result = LOST;
  else if (quiet >= QUIET_PLIES_FOR_DRAW) result = DRAWN;
  out.black[op] = black;
  out.white[op] = white;
  out.kings[op] = kings;
  out.hash[op] = hash;
  out.turn[op] = color;
  out.quiet[op] = quiet;
  out.result[op] = result;
  return op + 1;
}

/** The referee's single jumps by the piece on `at`, each followed on; returns `op` if it has none. */
function jumpsFrom(
  out: OutcomeStack,
  op: number,
  black: number,
  white: number,
  kings: number,
  color: number,
  hash: number,
  at: number,
): number {
  const atBit = 1 << at;
  const isKing = (kings & atBit) !== 0;
  const own = color === BLACK ? black : white;
  const opp = color === BLACK ? white : black;
  const empty = ~(black | white);
  const crown = color === BLACK ? CROWN_BLACK : CROWN_WHITE;
  let end = op;
  for (let direction = 0; direction < 4; direction++) {
    if (!isKing && (direction & 1) !== color) continue;
    const overBit =
      direction === 0
        ? shift0(atBit)
        : direction === 1
          ? shift1(atBit)
          : direction === 2
            ? shift2(atBit)
            : shift3(atBit);
    if ((overBit & opp) === 0) continue;
    const landBit =
      direction === 0
        ? shift0(overBit)
        : direction === 1
          ? shift1(overBit)
          : direction === 2
            ? shift2(overBit)
            : shift3(overBit);
    if ((landBit & empty) === 0) continue;
    const land = bitIndex(landBit);
    const crowned = !isKing && (crown & landBit) !== 0;
    const nextKings = (kings & ~overBit & ~atBit) | (isKing || crowned ? landBit : 0);
    const nextHash = hash ^ zobristOfMove(kings, color, at, land, overBit);
    const nextOwn = own ^ atBit ^ landBit;
    const nextOpp = opp & ~overBit;
    const nextBlack = color === BLACK ? nextOwn : nextOpp;
    const nextWhite = color === BLACK ? nextOpp : nextOwn;
    const before = end;
    if (!crowned) end = jumpsFrom(out, end, nextBlack, nextWhite, nextKings, color, nextHash, land);
    if (end === before) {
      end = settle(out, end, nextBlack, nextWhite, nextKings, color ^ 1, 0, nextHash ^ ZOBRIST_WHITE_TO_MOVE);
    }
  }
  return end;
}
