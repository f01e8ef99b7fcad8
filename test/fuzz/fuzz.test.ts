import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { fuzz, readInputs } from '../../fuzz/engine.js';
import { closeTargets, TARGETS } from '../../fuzz/targets.js';

/**
 * Every input the fuzzer ever kept (corpus) or that ever crashed a target
 * (crashes) is replayed as a regression test; then each target is fuzzed for
 * a bounded time (longer in CI).
 */
const FUZZ_ROOT = fileURLToPath(new URL('../../../fuzz/', import.meta.url));
const SECONDS = process.env.CI ? 20 : 4;
/** CHECKERS_FUZZ_SEED replays a logged run (the same inputs in the same order, as far as the time allows). */
const SEED = seedFrom(process.env.CHECKERS_FUZZ_SEED);

function seedFrom(text: string | undefined): number {
  if (text === undefined || text === '') return Date.now() % 2 ** 31;
  const seed = Number(text);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`CHECKERS_FUZZ_SEED=${text}: expected a whole number`);
  return seed;
}

describe('fuzz targets', { concurrency: 1 }, () => {
  after(() => closeTargets());

  for (const target of TARGETS) {
    it(`${target.name}: every kept input and past crash still passes`, async () => {
      const corpus = readInputs(`${FUZZ_ROOT}corpus/${target.name}`);
      assert.ok(corpus.length > 0, `no kept inputs found in ${FUZZ_ROOT}corpus/${target.name}`);
      const inputs = [...corpus, ...readInputs(`${FUZZ_ROOT}crashes/${target.name}`)];
      for (const { file, input } of inputs) {
        await assert.doesNotReject(async () => target.run(input), file);
      }
    });

    it(`${target.name}: ${SECONDS} s of coverage-guided fuzzing finds no crash`, async (t) => {
      const replay = `seed ${SEED}; replay with CHECKERS_FUZZ_SEED=${SEED} npm test`;
      t.diagnostic(replay);
      const result = await fuzz(target, { seconds: SECONDS, maxRuns: 1_000_000, seed: SEED });
      assert.ok(result.runs > 0);
      assert.ok(result.features > 0, 'coverage feedback works');
      assert.deepEqual(
        result.crashes.map((crash) => `${Buffer.from(crash.input).toString('hex')}: ${crash.error}`),
        [],
        replay,
      );
    });
  }
});
