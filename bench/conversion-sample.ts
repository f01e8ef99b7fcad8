import { parseArgs } from 'node:util';
import type { EndgameProbe } from '../src/game/engine/egdb/probe.js';
import { isWin } from '../src/game/engine/egdb/solve.js';
import { STANDARD_RULES } from '../src/game/engine/rules.js';
import { Searcher } from '../src/game/engine/search.js';
import { fenOf } from '../src/game/fen.js';
import { type Position, WHITE } from '../src/game/position.js';
import { seededRandom } from '../src/game/random.js';
import { standardResult } from '../src/game/standard.js';
import { benchEndgame } from './egdb-cache.js';
import { playRefereed } from './refereed-game.js';

/**
 * `npm run bench:conversion -- [--nodes 10000] [--count 600] [--seed 777] [--tables server|wdl]`:
 * how often level 10 converts the hardest 4-piece win for a search without
 * distances, 2 kings against a king and a man on its home square (the
 * kings' side to move, a database win), against a defender with the same
 * tables, both at --nodes a move, refereed with the 40-move rule and
 * threefold repetition. `--tables server` (the default): the tables as the
 * server's house bot has them (exact, with distances, up to 4 pieces);
 * `wdl`: win, draw or loss only, as the browser's analysis has them.
 * --count positions drawn at random (seeded); prints the wins and the
 * positions not won.
 */
const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '10000' },
    count: { type: 'string', default: '600' },
    seed: { type: 'string', default: '777' },
    tables: { type: 'string', default: 'server' },
  },
});
const nodes = Math.max(100, Number(values.nodes) || 10_000);
const count = Math.min(10_000, Math.max(1, Number(values.count) || 600));
const random = seededRandom(Number(values.seed) >>> 0);
if (values.tables !== 'server' && values.tables !== 'wdl') throw new Error('--tables: server or wdl');
const kind = values.tables;
const loaded = await benchEndgame(4, (line) => process.stderr.write(`${line}\n`), kind);
if (!loaded) throw new Error('no endgame databases');
const tables: EndgameProbe = loaded;

/** White's 2 kings against Black's king and a man on Black's home row (squares 1-4), White to move, won for White. */
function samplePosition(): Position {
  for (;;) {
    const man = Math.floor(random() * 4);
    const taken = new Set<number>([man]);
    const pick = () => {
      for (;;) {
        const bit = Math.floor(random() * 32);
        if (!taken.has(bit)) {
          taken.add(bit);
          return bit;
        }
      }
    };
    const king = pick();
    const kings = (1 << king) | (1 << pick()) | (1 << pick());
    const position: Position = {
      black: ((1 << man) | (1 << king)) >>> 0,
      white: (kings & ~(1 << king)) >>> 0,
      kings: kings >>> 0,
      turn: WHITE,
    };
    if (standardResult(position)) continue;
    if (isWin(tables.probe(position.black | 0, position.white | 0, position.kings | 0, WHITE))) return position;
  }
}

const started = performance.now();
let won = 0;
const notWon: string[] = [];
for (let index = 0; index < count; index++) {
  const start = samplePosition();
  const kings = new Searcher(STANDARD_RULES, { endgame: tables });
  const defender = new Searcher(STANDARD_RULES, { endgame: tables });
  const { winner } = await playRefereed(
    start,
    [
      (position, history) =>
        defender.search(position, { maxDepth: 64, maxNodes: nodes }, history).move ?? fail(position),
      (position, history) => kings.search(position, { maxDepth: 64, maxNodes: nodes }, history).move ?? fail(position),
    ],
    { maxPlies: 300, threefold: true },
  );
  if (winner === WHITE) won++;
  else notWon.push(fenOf(start));
}

function fail(position: Position): never {
  throw new Error(`no move in ${fenOf(position)}, a game that is not over`);
}

console.log(
  `command: npm run bench:conversion -- --nodes ${nodes} --count ${count} --seed ${values.seed} --tables ${kind}`,
);
console.log(
  `2 kings against a king and a man on its home square, database wins, ${kind === 'server' ? "exact tables (the server's)" : 'win/draw/loss tables'}, ${nodes} nodes a move: won ${won} of ${count} within the 40-move rule (${((100 * won) / count).toFixed(1)} %); ${((performance.now() - started) / 1000).toFixed(0)} s`,
);
for (const fen of notWon) console.log(`not won: ${fen}`);
