import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { scoreMatch } from '../src/game/engine/engine-match.js';
import { STANDARD_RULES } from '../src/game/engine/rules.js';
import { Searcher } from '../src/game/engine/search.js';
import { THREE_MOVE_OPENINGS } from '../src/game/openings.js';
import { BLACK, type Color, type Position, WHITE } from '../src/game/position.js';
import { legalMoves, type Move } from '../src/game/standard.js';
import { BENCH_EGDB_DIR, benchEndgame } from './egdb-cache.js';
import { type Mover, playRefereed } from './refereed-game.js';
import { buildOldEngine } from './release-build.js';
import { weightsOption } from './weights-option.js';

/**
 * `npm run bench:release -- [--base REV] [--base-without-egdb] [--time-ms 100] [--from 1] [--count 20] [--max-minutes 15] [--egdb-pieces 4] [--weights W]`:
 * level 10 of this tree (standard rules, the game's history, the endgame
 * databases it plays with) against level 10 of an earlier
 * commit (built in a temporary directory; by default 1b7e0f7, the last
 * release, given the endgame databases as it shipped them (win/draw/loss,
 * read by its own loader; this tree also has their distances up to 4
 * pieces, as the server); --base-without-egdb for a build from before them, such as
 * 369b1ca, the last commit of main before the protocol-2 work), both at
 * --time-ms a move, each of
 * --count three-move ballots from --from played twice with colours swapped.
 * Our referee: the standard rules, the 40-move rule, threefold repetition,
 * and a draw at 300 plies. `--weights W` (as `npm run tune` prints them)
 * gives this tree's side other evaluation weights: a base of HEAD then
 * measures weights against the defaults. Prints wins, draws and losses of this tree, the
 * score, an Elo estimate with its 95% interval, and the load average.
 */
const { values } = parseArgs({
  options: {
    base: { type: 'string', default: '1b7e0f7' },
    'base-without-egdb': { type: 'boolean', default: false },
    'time-ms': { type: 'string', default: '100' },
    from: { type: 'string', default: '1' },
    count: { type: 'string', default: '20' },
    'max-minutes': { type: 'string', default: '15' },
    'egdb-pieces': { type: 'string', default: '4' },
    weights: { type: 'string' },
  },
});
const timeMs = Math.max(1, Number(values['time-ms']) || 100);
const first = Math.min(THREE_MOVE_OPENINGS.length, Math.max(1, Number(values.from) || 1));
const count = Math.max(1, Math.min(Number(values.count) || 20, THREE_MOVE_OPENINGS.length - first + 1));
const maxMs = Math.max(0.1, Number(values['max-minutes']) || 15) * 60_000;
const egdbPieces = Math.min(5, Math.max(0, Number(values['egdb-pieces']) || 0));
const baseEgdb = !values['base-without-egdb'];
const weights = weightsOption(values.weights, '--weights');
const MAX_PLIES = 300;
const repository = fileURLToPath(new URL('../..', import.meta.url));

const old = await buildOldEngine(values.base, repository, (line) => process.stderr.write(`${line}\n`));
const endgame = await benchEndgame(egdbPieces, (line) => process.stderr.write(`${line}\n`));
// The base reads the compressed files with its own loader, as it shipped.
const baseEndgame = baseEgdb && endgame ? await old.endgame(BENCH_EGDB_DIR, egdbPieces) : undefined;

function moveOf(position: Position, chosen: { from: number; path: readonly number[] } | undefined): Move {
  const found = legalMoves(position).find(
    (move) => chosen && move.from === chosen.from && move.path.join() === chosen.path.join(),
  );
  if (!found) throw new Error(`the ${values.base} engine played a move we hold illegal: ${JSON.stringify(chosen)}`);
  return found;
}

let wins = 0;
let draws = 0;
let losses = 0;
let fortyMoveDraws = 0;
let repetitions = 0;
let capped = 0;
let newMs = 0;
let oldMs = 0;
let newMoves = 0;
let oldMoves = 0;
const loadBefore = loadavg()[0] ?? 0;
const started = performance.now();
let played = 0;
for (let index = 0; index < count * 2; index++) {
  if (performance.now() - started > maxMs) break;
  const opening = THREE_MOVE_OPENINGS[first - 1 + Math.floor(index / 2)];
  if (!opening) break;
  const newColor: Color = index % 2 === 0 ? BLACK : WHITE;
  const ours = new Searcher(STANDARD_RULES, { ...(endgame ? { endgame } : {}), ...(weights ? { weights } : {}) });
  const theirs = old.searcher(baseEndgame);
  played++;
  const thisTree: Mover = (position, history) => {
    const found = ours.search(position, { maxDepth: 64, timeMs }, history);
    newMs += found.elapsedMs;
    newMoves++;
    return moveOf(position, found.move);
  };
  const base: Mover = (position, history) => {
    const found = theirs.search(position, { maxDepth: 64, timeMs }, history);
    oldMs += found.elapsedMs;
    oldMoves++;
    return moveOf(position, found.move);
  };
  const { winner, ending } = await playRefereed(
    opening.position,
    newColor === BLACK ? [thisTree, base] : [base, thisTree],
    { maxPlies: MAX_PLIES, threefold: true },
  );
  if (ending === 'forty-move') fortyMoveDraws++;
  if (ending === 'repetition') repetitions++;
  if (ending === 'cap') capped++;
  if (winner === null) draws++;
  else if (winner === newColor) wins++;
  else losses++;
  if ((index + 1) % 10 === 0)
    process.stderr.write(`${index + 1} games: ${wins} wins, ${draws} draws, ${losses} losses\n`);
}
const score = scoreMatch(wins, draws, losses);
const elo = (value: number) =>
  Number.isFinite(value) ? `${value > 0 ? '+' : ''}${value.toFixed(0)}` : value > 0 ? '+inf' : '-inf';
console.log(
  `command: npm run bench:release -- --base ${values.base}${baseEgdb ? '' : ' --base-without-egdb'} --time-ms ${timeMs} --from ${first} --count ${count} --max-minutes ${values['max-minutes']} --egdb-pieces ${egdbPieces}${values.weights === undefined ? '' : ` --weights ${values.weights}`}`,
);
console.log(
  `level 10 of this tree (${(newMs / Math.max(1, newMoves)).toFixed(0)} ms a move${endgame ? `, endgame databases up to ${egdbPieces} pieces` : ''}) vs level 10 of ${old.commit.slice(0, 12)} (${(oldMs / Math.max(1, oldMoves)).toFixed(0)} ms a move${baseEndgame ? ', its own databases' : ''}), ${played} games on ballots ${first}-${first + Math.ceil(played / 2) - 1}, colours swapped: ${wins} wins, ${draws} draws, ${losses} losses (${((100 * (wins + draws / 2)) / Math.max(1, played)).toFixed(1)} %); Elo ${elo(score.elo)} (95%: ${elo(score.eloLow)} to ${elo(score.eloHigh)}); draws: ${fortyMoveDraws} by the 40-move rule, ${repetitions} by repetition, ${capped} at ${MAX_PLIES} plies; load average ${loadBefore.toFixed(1)} before, ${(loadavg()[0] ?? 0).toFixed(1)} after; ${((performance.now() - started) / 1000).toFixed(0)} s`,
);
