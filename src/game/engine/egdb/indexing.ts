import { BLACK, WHITE } from '../../position.js';
import { popCount } from '../board.js';

/**
 * Dense numbering of the positions of one material signature (a "slice"):
 * counts of black kings, black men, white kings, white men. Each group of
 * like pieces is a set of squares ranked in colex order over the squares it
 * may stand on (men never on their own crowning row), and the index is
 * the mixed-radix product of the four ranks times 2 (side to move in the
 * low bit). Groups may overlap in the product; such indices are unused
 * ("invalid") entries — a small fraction that keeps indexing arithmetic.
 */
export interface Material {
  readonly blackKings: number;
  readonly blackMen: number;
  readonly whiteKings: number;
  readonly whiteMen: number;
}

/** Squares (bits) a group may use: kings anywhere, black men off bits 28-31, white men off bits 0-3. */
const KING_SQUARES = 32;
const MAN_SQUARES = 28;
const WHITE_MAN_OFFSET = 4;

export const MAX_PIECES = 5;

const BINOMIAL: number[][] = Array.from({ length: 33 }, () => new Array<number>(MAX_PIECES + 2).fill(0));
for (let n = 0; n <= 32; n++) {
  const row = BINOMIAL[n] as number[];
  row[0] = 1;
  for (let k = 1; k <= MAX_PIECES + 1; k++)
    row[k] = n === 0 ? 0 : (BINOMIAL[n - 1]?.[k - 1] ?? 0) + (BINOMIAL[n - 1]?.[k] ?? 0);
}

export function binomial(n: number, k: number): number {
  return BINOMIAL[n]?.[k] ?? 0;
}

/** Colex rank of the set bits of `mask` shifted down by `offset`. */
export function rankSet(mask: number, offset: number): number {
  let rank = 0;
  let i = 1;
  for (let rest = mask; rest !== 0; rest &= rest - 1) {
    const bit = 31 - Math.clz32(rest & -rest);
    rank += BINOMIAL[bit - offset]?.[i] ?? 0;
    i++;
  }
  return rank;
}

/** setTable(domain, k)[rank]: the k-subset of bits [0, domain) of that colex rank. */
const SET_TABLES = new Map<number, Int32Array>();
function setTable(domain: number, k: number): Int32Array {
  const key = domain * 8 + k;
  let table = SET_TABLES.get(key);
  if (!table) {
    table = Int32Array.from(colexSubsets(domain, k));
    SET_TABLES.set(key, table);
  }
  return table;
}

/** Colex order: by the highest element, then the rest in colex order. */
function colexSubsets(domain: number, k: number): number[] {
  if (k === 0) return [0];
  const out: number[] = [];
  for (let top = k - 1; top < domain; top++) {
    for (const rest of colexSubsets(top, k - 1)) out.push(rest | (1 << top));
  }
  return out;
}

export interface Slice {
  readonly material: Material;
  readonly key: number;
  readonly size: number;
  /** Group radices (number of sets) in index order: black men, white men, black kings, white kings. */
  readonly radix: readonly [number, number, number, number];
}

export function materialKey(m: Material): number {
  return m.blackKings | (m.blackMen << 4) | (m.whiteKings << 8) | (m.whiteMen << 12);
}

export function materialName(m: Material): string {
  const side = (kings: number, men: number) => 'K'.repeat(kings) + 'M'.repeat(men);
  return `${side(m.blackKings, m.blackMen)}v${side(m.whiteKings, m.whiteMen)}`;
}

export function sliceOf(m: Material): Slice {
  const radix: [number, number, number, number] = [
    binomial(MAN_SQUARES, m.blackMen),
    binomial(MAN_SQUARES, m.whiteMen),
    binomial(KING_SQUARES, m.blackKings),
    binomial(KING_SQUARES, m.whiteKings),
  ];
  return { material: m, key: materialKey(m), size: radix[0] * radix[1] * radix[2] * radix[3] * 2, radix };
}

export function materialOf(black: number, white: number, kings: number): Material {
  return {
    blackKings: popCount(black & kings),
    blackMen: popCount(black & ~kings),
    whiteKings: popCount(white & kings),
    whiteMen: popCount(white & ~kings),
  };
}

export function keyOfPosition(black: number, white: number, kings: number): number {
  return (
    popCount(black & kings) |
    (popCount(black & ~kings) << 4) |
    (popCount(white & kings) << 8) |
    (popCount(white & ~kings) << 12)
  );
}

/** The index of a position within its slice (the slice must match its material). */
export function indexOf(slice: Slice, black: number, white: number, kings: number, turn: number): number {
  const [, rWm, rBk, rWk] = slice.radix;
  const bm = rankSet(black & ~kings, 0);
  const wm = rankSet(white & ~kings, WHITE_MAN_OFFSET);
  const bk = rankSet(black & kings, 0);
  const wk = rankSet(white & kings, 0);
  return (((bm * rWm + wm) * rBk + bk) * rWk + wk) * 2 + turn;
}

export interface DecodedPosition {
  black: number;
  white: number;
  kings: number;
  turn: number;
  /** False where two groups overlap: the index names no position. */
  valid: boolean;
}

/** Fills `out` with the position at `index` (reusing the object: no allocation in the solver's loops). */
export function positionAt(slice: Slice, index: number, out: DecodedPosition): DecodedPosition {
  const m = slice.material;
  const [, rWm, rBk, rWk] = slice.radix;
  out.turn = index & 1 ? WHITE : BLACK;
  let rest = Math.floor(index / 2);
  const wk = rest % rWk;
  rest = Math.floor(rest / rWk);
  const bk = rest % rBk;
  rest = Math.floor(rest / rBk);
  const wm = rest % rWm;
  const bm = Math.floor(rest / rWm);
  const blackMen = setTable(MAN_SQUARES, m.blackMen)[bm] as number;
  const whiteMen = (setTable(MAN_SQUARES, m.whiteMen)[wm] as number) << WHITE_MAN_OFFSET;
  const blackKings = setTable(KING_SQUARES, m.blackKings)[bk] as number;
  const whiteKings = setTable(KING_SQUARES, m.whiteKings)[wk] as number;
  const total = m.blackMen + m.whiteMen + m.blackKings + m.whiteKings;
  out.black = blackMen | blackKings;
  out.white = whiteMen | whiteKings;
  out.kings = blackKings | whiteKings;
  out.valid = popCount(out.black | out.white) === total;
  return out;
}

/**
 * Every material signature of exactly `pieces` pieces with both sides
 * present, in an order where each slice comes after every slice its moves
 * lead to (captures: fewer pieces; crowning: fewer men).
 */
export function materialsOf(pieces: number): Material[] {
  const list: Material[] = [];
  for (let black = 1; black < pieces; black++) {
    const white = pieces - black;
    for (let blackMen = 0; blackMen <= black; blackMen++) {
      for (let whiteMen = 0; whiteMen <= white; whiteMen++) {
        list.push({ blackKings: black - blackMen, blackMen, whiteKings: white - whiteMen, whiteMen });
      }
    }
  }
  return list.sort((a, b) => a.blackMen + a.whiteMen - (b.blackMen + b.whiteMen));
}
