import { perft, perftV1 } from '../src/game/perft.js';
import { INITIAL_POSITION } from '../src/game/position.js';
import { newV1Game } from '../src/game/v1.js';
import { formatRate } from './measure.js';

/** Published perft counts for English draughts from the initial position. */
export const PUBLISHED_PERFT: Readonly<Record<number, number>> = {
  7: 179_740,
  8: 845_931,
  9: 3_963_680,
  10: 18_391_564,
  11: 85_242_128,
};

export function benchPerft(depths: readonly number[]): Array<[string, string]> {
  return depths.map((depth) => {
    const started = performance.now();
    const nodes = perft(INITIAL_POSITION, depth);
    const seconds = (performance.now() - started) / 1000;
    const expected = PUBLISHED_PERFT[depth];
    const check = expected === undefined ? '' : nodes === expected ? ', matches published' : `, EXPECTED ${expected}`;
    return [
      `perft ${depth} (standard, last ply bulk-counted)`,
      `${nodes} nodes in ${seconds.toFixed(2)} s = ${formatRate(nodes / seconds)} nodes/s${check}`,
    ];
  });
}

/** Version 1 (no published counts; test/game/v1.test.ts checks it against the object-based flow): every outcome played, no bulk counting. */
export function benchPerftV1(depths: readonly number[]): Array<[string, string]> {
  return depths.map((depth) => {
    const started = performance.now();
    const nodes = perftV1(newV1Game(), depth);
    const seconds = (performance.now() - started) / 1000;
    return [
      `perft ${depth} (version 1, every referee choice a node)`,
      `${nodes} nodes in ${seconds.toFixed(2)} s = ${formatRate(nodes / seconds)} nodes/s`,
    ];
  });
}
