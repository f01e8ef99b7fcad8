import type { Move } from '../../game/standard.js';

/*
 * Playing a move on the analysis board by clicks, pure: the board component
 * offers one hop at a time (a piece, then a square). A step or a capture
 * whose path the hops so far settle is played at once; while several
 * capture paths remain, the board offers the next hops of those paths.
 */

export type HopResult =
  | { readonly kind: 'move'; readonly move: Move }
  | { readonly kind: 'partial'; readonly hops: readonly number[]; readonly candidates: readonly Move[] }
  | { readonly kind: 'none' };

/** After a hop from `from` to `to`, given the hops already made (`hops[0]` is the piece's square). */
export function addHop(candidates: readonly Move[], hops: readonly number[], from: number, to: number): HopResult {
  const made = hops.length === 0 ? [from] : hops;
  if (made[made.length - 1] !== from) return { kind: 'none' };
  const index = made.length - 1;
  const remaining = candidates.filter(
    (move) => move.from === made[0] && move.path[index] === to && made.slice(1).every((bit, i) => move.path[i] === bit),
  );
  const [first] = remaining;
  if (!first) return { kind: 'none' };
  const settled = remaining.every((move) => samePath(move, first));
  if (settled) return { kind: 'move', move: first };
  return { kind: 'partial', hops: [...made, to], candidates: remaining };
}

/** What the board offers next during a partial capture: each remaining path's next hop, as a one-hop move. */
export function nextHops(hops: readonly number[], candidates: readonly Move[]): Move[] {
  const at = hops[hops.length - 1] ?? -1;
  const index = hops.length - 1;
  const seen = new Set<number>();
  const offered: Move[] = [];
  for (const move of candidates) {
    const next = move.path[index];
    if (next === undefined || seen.has(next)) continue;
    seen.add(next);
    offered.push({ from: at, path: [next], captured: 0 });
  }
  return offered;
}

function samePath(a: Move, b: Move): boolean {
  return a.path.length === b.path.length && a.path.every((bit, i) => b.path[i] === bit);
}
