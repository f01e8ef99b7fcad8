import type { Move } from '../../game/standard.js';

/**
 * Choosing a move by clicking squares in order, pure: the piece, then each
 * landing square of its path. `picked` holds the squares (bits) clicked so
 * far, the piece first. Works for simple steps (one landing) and for capture
 * paths (several), so the same board plays version 1 and version 2.
 */
export interface PathChoice {
  /** The squares that may be clicked next: pieces that can move, or the next landings of the picked piece. */
  readonly targets: ReadonlySet<number>;
  /** The move the picked squares settle: the only legal move that starts with them. */
  readonly complete: Move | undefined;
}

/** The legal moves that begin with the picked squares. */
export function movesStartingWith(moves: readonly Move[], picked: readonly number[]): Move[] {
  return moves.filter((move) => {
    if (picked.length === 0) return true;
    if (move.from !== picked[0] || picked.length - 1 > move.path.length) return false;
    return picked.every((bit, index) => index === 0 || move.path[index - 1] === bit);
  });
}

/**
 * What the picked squares allow. A move is complete as soon as only one legal
 * move starts with the picked squares (the rest of its path is forced), so a
 * lone capture chain plays with two clicks, and a choice between paths asks
 * for one more square at every fork.
 */
export function choosePath(moves: readonly Move[], picked: readonly number[]): PathChoice {
  const matching = movesStartingWith(moves, picked);
  if (picked.length === 0) return { targets: new Set(matching.map((move) => move.from)), complete: undefined };
  const complete = picked.length >= 2 && matching.length === 1 ? matching[0] : undefined;
  const targets = new Set<number>();
  if (!complete) {
    for (const move of matching) {
      const next = move.path[picked.length - 1];
      if (next !== undefined) targets.add(next);
    }
  }
  return { targets, complete };
}

/**
 * The picked squares after a click on `bit`: one more landing when it is one,
 * a fresh pick when it is another piece that can move, else nothing picked
 * (a click on the picked piece again puts it down).
 */
export function pickSquare(moves: readonly Move[], picked: readonly number[], bit: number): number[] {
  if (picked.length > 0 && choosePath(moves, picked).targets.has(bit)) return [...picked, bit];
  if (picked[0] === bit && picked.length === 1) return [];
  return moves.some((move) => move.from === bit) ? [bit] : [];
}
