import { parseArgs } from 'node:util';
import { DEFAULT_WEIGHTS, evaluationFeatures, FEATURE_COUNT, WEIGHT_NAMES } from '../src/game/engine/board.js';
import { randomOpening } from '../src/game/engine/engine-match.js';
import { EnginePlayer, levelSettings } from '../src/game/engine/levels.js';
import { V1_RULES } from '../src/game/engine/rules.js';
import { BLACK } from '../src/game/position.js';
import { seededRandom } from '../src/game/random.js';
import { type JumpChooser, playV1Step } from '../src/game/v1.js';

/**
 * `npm run tune -- [--games 160] [--nodes 20000] [--seed 1]`: Texel tuning of
 * the evaluation. Plays seeded self-play games (version 1, level 10 at a node
 * budget a move, so a seed replays the same games), labels every position a
 * side had to move in with that side's final result (1, 1/2, 0), and fits
 * the weights so that sigmoid(K * evaluation) predicts the labels (least
 * squares, K fitted first with the current weights; the man stays 100 as
 * the unit). Every fifth game is held out to show the fit generalises.
 * Prints the weights to pass to `npm run bench:match -- --a-weights ...`;
 * adopt them only if a match says they play better.
 */
const { values } = parseArgs({
  options: {
    games: { type: 'string', default: '160' },
    nodes: { type: 'string', default: '20000' },
    seed: { type: 'string', default: '1' },
  },
});
const games = Math.min(2000, Math.max(10, Number(values.games) || 160));
const nodes = Math.min(1_000_000, Math.max(1000, Number(values.nodes) || 20000));
const random = seededRandom(Number(values.seed) >>> 0);

interface Sample {
  readonly features: readonly number[];
  readonly result: number;
  readonly heldOut: boolean;
}

function selfPlay(): Sample[] {
  const samples: Sample[] = [];
  const referee: JumpChooser = (options) => Math.floor(random() * options.length);
  for (let index = 0; index < games; index++) {
    const players = [0, 1].map(() => new EnginePlayer(V1_RULES, levelSettings(10), random));
    let game = randomOpening(4 + (index % 5), random);
    const seen: Array<{ features: number[]; turn: number }> = [];
    for (let ply = 0; ply < 300 && !game.result; ply++) {
      const { black, white, kings, turn } = game.position;
      seen.push({ features: evaluationFeatures(black | 0, white | 0, kings | 0, turn), turn });
      const step = players[turn]?.choose(game, { maxDepth: 64, maxNodes: nodes }).move;
      if (!step) break;
      const outcome = playV1Step(game, step.from, step.direction, referee);
      if (!outcome.ok) throw new Error(outcome.reason);
      game = outcome.game;
    }
    const winner = game.result?.winner ?? null;
    for (const { features, turn } of seen) {
      const result = winner === null ? 0.5 : winner === turn ? 1 : 0;
      samples.push({ features, result, heldOut: index % 5 === 4 });
    }
    if ((index + 1) % 20 === 0) {
      process.stderr.write(`${index + 1} games, ${samples.length} positions, last: ${describe(winner)}\n`);
    }
  }
  return samples;
}

function describe(winner: number | null): string {
  return winner === null ? 'draw' : winner === BLACK ? 'black won' : 'white won';
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

function score(weights: readonly number[], features: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < FEATURE_COUNT; i++) sum += (weights[i] as number) * (features[i] as number);
  return sum;
}

function meanSquaredError(samples: readonly Sample[], weights: readonly number[], k: number): number {
  let sum = 0;
  for (const sample of samples) sum += (sample.result - sigmoid(k * score(weights, sample.features))) ** 2;
  return sum / samples.length;
}

/** K that best fits the current weights (golden-section search on the error). */
function fitK(samples: readonly Sample[], weights: readonly number[]): number {
  let low = 0.0001;
  let high = 0.1;
  const ratio = (Math.sqrt(5) - 1) / 2;
  for (let round = 0; round < 60; round++) {
    const a = high - ratio * (high - low);
    const b = low + ratio * (high - low);
    if (meanSquaredError(samples, weights, a) < meanSquaredError(samples, weights, b)) high = b;
    else low = a;
  }
  return (low + high) / 2;
}

/** Gradient descent (Adam) on the error, the man's weight fixed as the unit. */
function fitWeights(samples: readonly Sample[], start: readonly number[], k: number): number[] {
  const weights = [...start];
  const m = new Array<number>(FEATURE_COUNT).fill(0);
  const v = new Array<number>(FEATURE_COUNT).fill(0);
  const rate = 0.5;
  for (let step = 1; step <= 1500; step++) {
    const gradient = new Array<number>(FEATURE_COUNT).fill(0);
    for (const sample of samples) {
      const p = sigmoid(k * score(weights, sample.features));
      const common = -2 * (sample.result - p) * p * (1 - p) * k;
      for (let i = 1; i < FEATURE_COUNT; i++) {
        gradient[i] = (gradient[i] as number) + common * (sample.features[i] as number);
      }
    }
    for (let i = 1; i < FEATURE_COUNT; i++) {
      const g = (gradient[i] as number) / samples.length;
      m[i] = 0.9 * (m[i] as number) + 0.1 * g;
      v[i] = 0.999 * (v[i] as number) + 0.001 * g * g;
      const mHat = (m[i] as number) / (1 - 0.9 ** step);
      const vHat = (v[i] as number) / (1 - 0.999 ** step);
      weights[i] = (weights[i] as number) - (rate * mHat) / (Math.sqrt(vHat) + 1e-12);
    }
  }
  return weights;
}

const started = performance.now();
const samples = selfPlay();
const training = samples.filter((sample) => !sample.heldOut);
const heldOut = samples.filter((sample) => sample.heldOut);
const before = [...DEFAULT_WEIGHTS];
const k = fitK(training, before);
const fitted = fitWeights(training, before, k).map((weight) => Math.max(0, Math.round(weight)));
const seconds = (performance.now() - started) / 1000;
console.log(`command: npm run tune -- --games ${games} --nodes ${nodes} --seed ${values.seed}`);
console.log(
  `${games} self-play games, ${samples.length} positions (${heldOut.length} held out), ${seconds.toFixed(0)} s`,
);
console.log(`K = ${k.toPrecision(3)}`);
for (const [i, name] of WEIGHT_NAMES.entries()) console.log(`${name.padEnd(42)} ${before[i]} -> ${fitted[i]}`);
for (const [name, set] of [
  ['training', training],
  ['held out', heldOut],
] as const) {
  console.log(
    `mean squared error, ${name}: ${meanSquaredError(set, before, k).toFixed(5)} -> ${meanSquaredError(set, fitted, k).toFixed(5)}`,
  );
}
console.log(`weights: ${fitted.join(',')}`);
