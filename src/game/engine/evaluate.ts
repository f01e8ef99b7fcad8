import { BLACK, type Color, MAN_DIRECTIONS, other, type Position, piecesOf } from '../position.js';
import { BIT_COORDINATES, bitCount, DIRECTIONS, shift } from '../squares.js';

/** Centipawn-like units: a man is worth 100. */
export const MAN = 100;
export const KING = 140;

/** How far each bit is from each side's own back rank (0 on the back rank, 7 on the crowning row). */
const ADVANCE: Readonly<Record<Color, Int8Array>> = {
  // Square 1 (bit 0) is on Black's back rank, drawn at the top (y = 7).
  [BLACK]: Int8Array.from(BIT_COORDINATES, ({ y }) => 7 - y),
  1: Int8Array.from(BIT_COORDINATES, ({ y }) => y),
};
const BACK_RANK: Readonly<Record<Color, number>> = { [BLACK]: 0x0000000f, 1: 0xf0000000 };
/** The eight central squares, where a king controls most. */
const CENTRE = BIT_COORDINATES.reduce(
  (bits, { x, y }, bit) => (x >= 2 && x <= 5 && y >= 2 && y <= 5 ? (bits | (1 << bit)) >>> 0 : bits),
  0,
);

function sideScore(position: Position, color: Color, empty: number, opponentMen: number): number {
  const pieces = piecesOf(position, color);
  const kings = pieces & position.kings;
  const men = (pieces & ~position.kings) >>> 0;
  let score = bitCount(men) * MAN + bitCount(kings) * KING;
  // Men move up the board: worth a little per row, more near crowning.
  const advance = ADVANCE[color];
  for (let rest = men; rest !== 0; rest &= rest - 1) {
    const row = advance[31 - Math.clz32(rest & -rest)] ?? 0;
    score += row * 3 + (row >= 5 ? 6 : 0);
  }
  // Keeping the back rank guarded stops the opponent crowning, while they still have men to crown.
  if (opponentMen !== 0) score += bitCount(men & BACK_RANK[color]) * 8;
  // Mobility: squares reachable in one step.
  let mobility = 0;
  for (const direction of MAN_DIRECTIONS[color]) mobility += bitCount(shift(men, direction) & empty);
  for (const direction of DIRECTIONS) mobility += bitCount(shift(kings, direction) & empty);
  score += mobility * 2;
  score += bitCount(kings & CENTRE) * 5;
  return score;
}

/**
 * A static score of a quiet position for the side to move: material, men's
 * advancement, back-rank guard, mobility, central kings, and the endgame
 * rule that the side ahead should trade down (an advantage counts for more
 * as the board empties).
 */
export function evaluate(position: Position): number {
  const me = position.turn;
  const them = other(me);
  const empty = ~(position.black | position.white) >>> 0;
  const myMen = piecesOf(position, me) & ~position.kings;
  const theirMen = piecesOf(position, them) & ~position.kings;
  const mine = sideScore(position, me, empty, theirMen);
  const theirs = sideScore(position, them, empty, myMen);
  const pieces = bitCount(position.black | position.white);
  const lead = mine - theirs;
  // With 24 pieces the lead counts as it is; with 4 left, about twice as much.
  return lead + Math.trunc((lead * (24 - pieces)) / 20);
}
