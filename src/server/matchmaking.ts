/**
 * Pairing waiting players, pure. Closest ratings are paired first. A pair is
 * acceptable when its rating gap is within the window of either player, and
 * a player's window widens the longer they wait, so nobody waits forever
 * while an opponent exists.
 *
 * Taking the wider of the two windows means the closest acceptable pair is
 * always adjacent in rating order, so pairing runs in O(n log n): a heap of
 * adjacent pairs over a linked list sorted by rating.
 */
export interface WaitingPlayer {
  /** Unique per waiting entry (the session). */
  readonly key: number;
  readonly accountId: number;
  readonly rating: number;
  /** When the player entered the queue, in ms. */
  readonly since: number;
  /**
   * Who may meet whom (see `pairingPool`): only players of the same pool are
   * paired. Absent: the version-1 pool, as every player before version 2.
   */
  readonly pool?: string;
}

/** The pool of version 1 (one queue, no time control), which players without a `pool` are in. */
export const V1_POOL = 'v1';

/**
 * The pool a player seeks in: version-1 and version-2 players play different
 * rules and never meet; version-2 players meet only at the same time control.
 */
export function pairingPool(version: number, control?: { initialSeconds: number; incrementSeconds: number }): string {
  if (version === 1) return V1_POOL;
  const { initialSeconds = 0, incrementSeconds = 0 } = control ?? {};
  return `v${version}:${initialSeconds}+${incrementSeconds}`;
}

export interface Pairing<W extends WaitingPlayer = WaitingPlayer> {
  /** Moves first: the lower rating (on a tie, whoever waited longer). */
  readonly first: W;
  readonly second: W;
}

export interface MatchmakingPolicy {
  /** Gap acceptable at once. */
  readonly initialGap: number;
  /** How much the gap widens per second of waiting. */
  readonly gapPerSecond: number;
}

export const DEFAULT_MATCHMAKING: MatchmakingPolicy = { initialGap: 200, gapPerSecond: 50 };

export function acceptableGap(player: WaitingPlayer, now: number, policy: MatchmakingPolicy): number {
  return policy.initialGap + (policy.gapPerSecond * Math.max(0, now - player.since)) / 1000;
}

/**
 * Pairs the waiting players of each pool apart (closest first within a pool;
 * across pools, by gap). With one pool, as always.
 */
export function pairPlayers<W extends WaitingPlayer>(
  waiting: readonly W[],
  now: number,
  policy: MatchmakingPolicy = DEFAULT_MATCHMAKING,
): Pairing<W>[] {
  const pools = new Map<string, W[]>();
  for (const player of waiting) {
    const pool = player.pool ?? V1_POOL;
    const members = pools.get(pool);
    if (members) members.push(player);
    else pools.set(pool, [player]);
  }
  if (pools.size <= 1) return pairPool(waiting, now, policy);
  const gap = ({ first, second }: Pairing<W>) => Math.abs(second.rating - first.rating);
  return [...pools.values()].flatMap((members) => pairPool(members, now, policy)).sort((a, b) => gap(a) - gap(b));
}

function pairPool<W extends WaitingPlayer>(
  waiting: readonly W[],
  now: number,
  policy: MatchmakingPolicy,
): Pairing<W>[] {
  const sorted = [...waiting].sort((a, b) => a.rating - b.rating || a.since - b.since || a.key - b.key);
  const count = sorted.length;
  const previous = Int32Array.from({ length: count }, (_, i) => i - 1);
  const next = Int32Array.from({ length: count }, (_, i) => (i + 1 < count ? i + 1 : -1));
  const taken = new Uint8Array(count);
  const heap = new PairHeap();
  const offer = (i: number, j: number) => {
    const a = sorted[i];
    const b = sorted[j];
    if (a && b) heap.push(b.rating - a.rating, i, j);
  };
  for (let i = 0; i + 1 < count; i++) offer(i, i + 1);

  const pairings: Pairing<W>[] = [];
  for (let top = heap.pop(); top; top = heap.pop()) {
    const [gap, i, j] = top;
    const a = sorted[i];
    const b = sorted[j];
    if (!a || !b || taken[i] || taken[j] || next[i] !== j) continue;
    if (a.accountId === b.accountId) continue;
    if (gap > Math.max(acceptableGap(a, now, policy), acceptableGap(b, now, policy))) continue;
    taken[i] = 1;
    taken[j] = 1;
    const before = previous[i] ?? -1;
    const after = next[j] ?? -1;
    if (before >= 0) next[before] = after;
    if (after >= 0) previous[after] = before;
    if (before >= 0 && after >= 0) offer(before, after);
    pairings.push(
      a.rating < b.rating || (a.rating === b.rating && a.since <= b.since)
        ? { first: a, second: b }
        : { first: b, second: a },
    );
  }
  return pairings;
}

/** A binary min-heap of (gap, i, j), ties broken by position so the result is deterministic. */
class PairHeap {
  readonly #items: Array<[number, number, number]> = [];

  push(gap: number, i: number, j: number): void {
    const items = this.#items;
    items.push([gap, i, j]);
    let at = items.length - 1;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!this.#less(at, parent)) break;
      this.#swap(at, parent);
      at = parent;
    }
  }

  pop(): [number, number, number] | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      let at = 0;
      for (;;) {
        const left = 2 * at + 1;
        const right = left + 1;
        let smallest = at;
        if (left < items.length && this.#less(left, smallest)) smallest = left;
        if (right < items.length && this.#less(right, smallest)) smallest = right;
        if (smallest === at) break;
        this.#swap(at, smallest);
        at = smallest;
      }
    }
    return top;
  }

  #less(a: number, b: number): boolean {
    const x = this.#items[a];
    const y = this.#items[b];
    if (!x || !y) return false;
    return x[0] < y[0] || (x[0] === y[0] && x[1] < y[1]);
  }

  #swap(a: number, b: number): void {
    const items = this.#items;
    const x = items[a];
    const y = items[b];
    if (x && y) {
      items[a] = y;
      items[b] = x;
    }
  }
}
