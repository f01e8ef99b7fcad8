/**
 * Geometry of the 32 dark squares, the one source of truth for square
 * numbering (docs/development.md, "Board orientation and square numbering"): bit b of every bitboard is square number b + 1;
 * squares 1-4 are (1,7) (3,7) (5,7) (7,7), 5-8 are (0,6) (2,6) (4,6) (6,6),
 * and so on down to 29-32 on (0,0) (2,0) (4,0) (6,0).
 *
 * A direction is the two low bits of a protocol Move byte: bit 1 = dx, bit 0 = dy
 * (1 = towards larger coordinates). All tables below are built from the
 * coordinates, never written out by hand.
 */
export type Direction = 0 | 1 | 2 | 3;
export const DIRECTIONS: readonly Direction[] = [0, 1, 2, 3];

export const SQUARE_COUNT = 32;
export const ALL_SQUARES = 0xffffffff;

export interface Coordinates {
  readonly x: number;
  readonly y: number;
}

/** (x, y) of each bit. */
export const BIT_COORDINATES: readonly Coordinates[] = Array.from({ length: SQUARE_COUNT }, (_, bit) => {
  const row = bit >> 2;
  const y = 7 - row;
  return { x: 2 * (bit & 3) + (y & 1), y };
});

const bitAt = new Int8Array(64).fill(-1);
BIT_COORDINATES.forEach(({ x, y }, bit) => {
  bitAt[8 * x + y] = bit;
});

/** The bit of square (x, y), or -1 for a light square or a square off the board. */
export function bitOf(x: number, y: number): number {
  if (!Number.isInteger(x) || !Number.isInteger(y) || x < 0 || x > 7 || y < 0 || y > 7) return -1;
  return bitAt[8 * x + y] ?? -1;
}

export function directionDelta(direction: Direction): { dx: number; dy: number } {
  return { dx: direction & 2 ? 1 : -1, dy: direction & 1 ? 1 : -1 };
}

export function opposite(direction: Direction): Direction {
  return (direction ^ 3) as Direction;
}

function neighbourTable(distance: number): Int8Array[] {
  return DIRECTIONS.map((direction) => {
    const { dx, dy } = directionDelta(direction);
    return Int8Array.from(BIT_COORDINATES, ({ x, y }) => bitOf(x + distance * dx, y + distance * dy));
  });
}

/** STEP[d][b]: the bit one diagonal step from b in direction d, or -1. */
export const STEP: readonly Int8Array[] = neighbourTable(1);
/** JUMP[d][b]: the bit two steps away (where a jump lands), or -1. */
export const JUMP: readonly Int8Array[] = neighbourTable(2);

/**
 * Bit-parallel step: every bit moved one square in direction d. On this
 * numbering a step is a shift by one of two amounts depending on row parity;
 * the masks of squares using each amount come from STEP.
 */
interface ShiftPart {
  readonly mask: number;
  readonly delta: number;
}

const SHIFTS: readonly (readonly ShiftPart[])[] = DIRECTIONS.map((direction) => {
  const parts = new Map<number, number>();
  STEP[direction]?.forEach((to, from) => {
    if (to < 0) return;
    parts.set(to - from, ((parts.get(to - from) ?? 0) | (1 << from)) >>> 0);
  });
  return [...parts].map(([delta, mask]) => ({ delta, mask }));
});

export function shift(bits: number, direction: Direction): number {
  let out = 0;
  for (const { delta, mask } of SHIFTS[direction] ?? []) {
    const part = bits & mask;
    out |= delta > 0 ? part << delta : part >>> -delta;
  }
  return out >>> 0;
}

export function bitCount(bits: number): number {
  let v = bits >>> 0;
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Index of the lowest set bit (bits must be non-zero). */
export function lowestBit(bits: number): number {
  return 31 - Math.clz32(bits & -bits);
}

/** Square number 1-32 of a bit. */
export function squareNumber(bit: number): number {
  return bit + 1;
}

/** Bit of a square number 1-32, or -1. */
export function bitOfSquare(square: number): number {
  return Number.isInteger(square) && square >= 1 && square <= SQUARE_COUNT ? square - 1 : -1;
}
