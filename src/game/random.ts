/**
 * The one seeded generator (xorshift32) of every run that must replay from its seed: the
 * engine's Zobrist keys, engine matches, tuning, the load generator and the fuzzer. Fast
 * and small rather than statistically strong; never for anything secret.
 */

/** The raw generator: each call returns the next 32-bit state, as a signed integer. Seed 0 (a fixed point) counts as 1. */
export function xorshift32(seed: number): () => number {
  let state = seed | 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state;
  };
}

/** Uniform numbers in [0, 1) from a seed. */
export function seededRandom(seed: number): () => number {
  const next = xorshift32(seed);
  return () => (next() >>> 0) / 2 ** 32;
}
