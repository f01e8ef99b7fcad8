import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_WEIGHTS, evaluationFeatures, FEATURE_COUNT, WEIGHT_NAMES } from '../src/game/engine/board.js';
import { STANDARD_RULES } from '../src/game/engine/rules.js';
import { Searcher } from '../src/game/engine/search.js';
import { THREE_MOVE_OPENINGS } from '../src/game/openings.js';
import { BLACK, type Position } from '../src/game/position.js';
import { seededRandom } from '../src/game/random.js';
import { applyMove, legalMoves } from '../src/game/standard.js';
import { type Mover, playRefereed } from './refereed-game.js';

/**
 * `npm run tune -- [--games 2000] [--nodes 3000] [--seed 1] [--out FILE]`:
 * Texel tuning of the evaluation. Plays seeded self-play games under the
 * standard rules (level 10 at a node budget a move, so a seed replays the
 * same games), each from a ballot of the three-move deck followed by two
 * random plies, refereed with the 40-move rule and threefold repetition;
 * labels every quiet position (no capture to make) with the final result
 * of the side to move (1, 1/2, 0), and fits the weights so that
 * sigmoid(K * evaluation) predicts the labels (least squares, K fitted
 * first with the current weights; the man stays 100 as the unit). Every
 * fifth game is held out to show the fit generalises. Prints the weights
 * to pass to `npm run bench:outside -- --weights ...` or `npm run
 * bench:release -- --weights ...`; adopt them only if matches say they
 * play better. `--out` also writes the samples as JSON lines; `--samples
 * FILE,FILE` fits to samples so written (by processes run side by side)
 * instead of playing.
 */
const { values } = parseArgs({
  options: {
    games: { type: 'string', default: '2000' },
    nodes: { type: 'string', default: '3000' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string' },
    samples: { type: 'string' },
  },
});
const games = Math.min(20_000, Math.max(10, Number(values.games) || 2000));
const nodes = Math.min(1_000_000, Math.max(500, Number(values.nodes) || 3000));
const random = seededRandom(Number(values.seed) >>> 0);

interface Sample {
  readonly features: readonly number[];
  readonly result: number;
  readonly heldOut: boolean;
}

/** A ballot, then two random plies so that games from one ballot differ. */
function startingPosition(index: number): Position {
  let position = (THREE_MOVE_OPENINGS[index % THREE_MOVE_OPENINGS.length] as { position: Position }).position;
  for (let ply = 0; ply < 2; ply++) {
    const moves = legalMoves(position);
    const move = moves[Math.floor(random() * moves.length)];
    if (!move) break;
    position = applyMove(position, move);
  }
  return position;
}

async function selfPlay(): Promise<Sample[]> {
  const samples: Sample[] = [];
  for (let index = 0; index < games; index++) {
    const seen: Array<{ features: number[]; turn: number }> = [];
    const mover = (): Mover => {
      const searcher = new Searcher(STANDARD_RULES);
      return (position, history) => {
        const { black, white, kings, turn } = position;
        const moves = legalMoves(position);
        if (moves.length > 0 && (moves[0] as { captured: number }).captured === 0) {
          seen.push({ features: evaluationFeatures(black | 0, white | 0, kings | 0, turn), turn });
        }
        const move = searcher.search(position, { maxDepth: 64, maxNodes: nodes }, history).move;
        if (!move) throw new Error('no move in a game that is not over');
        return move;
      };
    };
    const { winner } = await playRefereed(startingPosition(index), [mover(), mover()], {
      maxPlies: 300,
      threefold: true,
    });
    for (const { features, turn } of seen) {
      const result = winner === null ? 0.5 : winner === turn ? 1 : 0;
      samples.push({ features, result, heldOut: index % 5 === 4 });
    }
    if ((index + 1) % 100 === 0) {
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
const samples =
  values.samples === undefined
    ? await selfPlay()
    : values.samples.split(',').flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .filter((line) => line !== '')
          .map((line) => JSON.parse(line) as Sample),
      );
if (samples.some((sample) => sample.features.length !== FEATURE_COUNT)) {
  console.error(`the samples were written for another evaluation (not ${FEATURE_COUNT} terms): play them again`);
  process.exit(2);
}
if (values.out !== undefined) writeFileSync(values.out, samples.map((sample) => JSON.stringify(sample)).join('\n'));
const training = samples.filter((sample) => !sample.heldOut);
const heldOut = samples.filter((sample) => sample.heldOut);
const before = [...DEFAULT_WEIGHTS];
const k = fitK(training, before);
const fitted = fitWeights(training, before, k).map((weight) => Math.round(weight));
const seconds = (performance.now() - started) / 1000;
console.log(
  `command: npm run tune -- --games ${games} --nodes ${nodes} --seed ${values.seed}${values.out ? ` --out ${values.out}` : ''}`,
);
console.log(
  `${values.samples === undefined ? `${games} self-play games` : values.samples}, ${samples.length} positions (${heldOut.length} held out), ${seconds.toFixed(0)} s`,
);
console.log(`K = ${k.toPrecision(3)}`);
for (const [i, name] of WEIGHT_NAMES.entries()) console.log(`${name.padEnd(56)} ${before[i]} -> ${fitted[i]}`);
for (const [name, set] of [
  ['training', training],
  ['held out', heldOut],
] as const) {
  console.log(
    `mean squared error, ${name}: ${meanSquaredError(set, before, k).toFixed(5)} -> ${meanSquaredError(set, fitted, k).toFixed(5)}`,
  );
}
console.log(`weights: ${fitted.join(',')}`);
