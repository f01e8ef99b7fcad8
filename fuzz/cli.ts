import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { fuzz } from './engine.js';
import { closeTargets, TARGETS } from './targets.js';

/**
 * `npm run fuzz -- [--target decoder|decoder-v2|session|pdn] [--seconds N] [--runs N]`:
 * coverage-guided fuzzing that keeps new inputs in fuzz/corpus/<target> and
 * crashes in fuzz/crashes/<target> (commit both: the test suite replays them).
 */
const root = fileURLToPath(new URL('../../fuzz/', import.meta.url));
const { values } = parseArgs({
  options: {
    target: { type: 'string', default: 'all' },
    seconds: { type: 'string', default: '60' },
    runs: { type: 'string', default: '10000000' },
    seed: { type: 'string', default: String(Date.now() % 2 ** 31) },
  },
});
const targets = values.target === 'all' ? TARGETS : TARGETS.filter((target) => target.name === values.target);
if (targets.length === 0) {
  console.error(`unknown target "${values.target}"; choose ${TARGETS.map((target) => target.name).join(', ')} or all`);
  process.exit(2);
}
const seconds = Math.min(3600, Math.max(1, Number(values.seconds)));
let failed = false;
for (const target of targets) {
  const result = await fuzz(target, {
    seconds,
    maxRuns: Number(values.runs),
    seed: Number(values.seed),
    corpusDirectory: `${root}corpus/${target.name}`,
    crashDirectory: `${root}crashes/${target.name}`,
  });
  console.log(
    `${target.name} (seed ${values.seed}): ${result.runs} runs in ${seconds} s (${(result.runs / seconds).toFixed(0)}/s), ${result.features} coverage features, corpus ${result.corpusSize}, crashes ${result.crashes.length}`,
  );
  for (const crash of result.crashes.slice(0, 3)) console.log(`  crash kept in ${crash.file}:\n${crash.error}`);
  failed ||= result.crashes.length > 0;
}
await closeTargets();
process.exit(failed ? 1 : 0);
