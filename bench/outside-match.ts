import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { scoreMatch } from '../src/game/engine/engine-match.js';
import { STANDARD_RULES } from '../src/game/engine/rules.js';
import { Searcher } from '../src/game/engine/search.js';
import { perft } from '../src/game/perft.js';
import { BLACK, type Color, INITIAL_POSITION, type Position, WHITE } from '../src/game/position.js';
import { seededRandom } from '../src/game/random.js';
import { QUIET_PLIES_FOR_DRAW } from '../src/game/result.js';
import { applyMove, legalMoves, type Move, standardResult } from '../src/game/standard.js';

/**
 * `npm run bench:outside -- [--games 40] [--depth 6] [--time-ms 80] [--seed 1] [--module rapid-draughts/english]`:
 * standard rules, our level-10 search at --time-ms a move against the
 * rapid-draughts engine (npm) at a fixed --depth, colours alternating, each
 * pair of games from the same 4 random moves. Our referee plays the rules and
 * the 40-move rule (rapid-draughts counts 40 plies without a capture, and
 * its man-move counter never resets), giving the outside engine a fresh
 * state each move. Before the games its perft from the start must match
 * ours, and in every position of the games its move count must equal ours.
 * rapid-draughts is a dev dependency; --module names another build of it.
 */
const { values } = parseArgs({
  options: {
    games: { type: 'string', default: '40' },
    depth: { type: 'string', default: '6' },
    'time-ms': { type: 'string', default: '80' },
    seed: { type: 'string', default: '1' },
    module: { type: 'string', default: 'rapid-draughts/english' },
  },
});
const games = Math.min(1000, Math.max(1, Number(values.games) || 40));
const depth = Math.min(12, Math.max(1, Number(values.depth) || 6));
const timeMs = Math.max(1, Number(values['time-ms']) || 80);
const random = seededRandom(Number(values.seed) >>> 0);

/** The part of rapid-draughts' English API used here. */
interface OutsideMove {
  readonly origin: number;
  readonly destination: number;
  readonly captures: readonly number[];
}
interface OutsideGame {
  readonly moves: readonly OutsideMove[];
  move(move: OutsideMove): void;
}
interface OutsideEngine {
  readonly data: unknown;
  readonly moves: readonly OutsideMove[];
  clone(): OutsideEngine;
  move(move: OutsideMove): void;
}
interface OutsideModule {
  EnglishDraughts: {
    setup(data?: unknown): OutsideGame & { readonly engine: OutsideEngine };
  };
  EnglishDraughtsComputerFactory: {
    alphaBeta(options: { maxDepth: number }): (game: OutsideGame) => Promise<OutsideMove | undefined>;
  };
}

async function loadOutside(name: string): Promise<OutsideModule> {
  const specifier = name.startsWith('.') || name.startsWith('/') ? pathToFileURL(resolve(name)).href : name;
  const loaded = (await import(specifier).catch(() => undefined)) as Partial<OutsideModule> | undefined;
  if (!loaded?.EnglishDraughts || !loaded.EnglishDraughtsComputerFactory) {
    console.error(
      `cannot load ${name}: install rapid-draughts (npm install --save-dev rapid-draughts) or name a build with --module`,
    );
    process.exit(2);
  }
  return loaded as OutsideModule;
}

/** rapid-draughts' bit for each of our squares (bit b = square b + 1; its square index is the same numbering). */
const OUTSIDE_BIT = [
  11, 5, 31, 25, 10, 4, 30, 24, 3, 29, 23, 17, 2, 28, 22, 16, 27, 21, 15, 9, 26, 20, 14, 8, 19, 13, 7, 1, 18, 12, 6, 0,
];

function outsideBits(bits: number): number {
  let out = 0;
  for (let square = 0; square < 32; square++) if ((bits >>> square) & 1) out |= 1 << (OUTSIDE_BIT[square] as number);
  return out;
}

function outsideGame(outside: OutsideModule, position: Position) {
  return outside.EnglishDraughts.setup({
    player: position.turn === BLACK ? 'dark' : 'light',
    board: { light: outsideBits(position.white), dark: outsideBits(position.black), king: outsideBits(position.kings) },
    stats: { sinceCapture: 0, sinceNonKingAdvance: 0 },
  });
}

function outsidePerft(engine: OutsideEngine, plies: number): number {
  if (plies === 1) return engine.moves.length;
  let nodes = 0;
  for (const move of engine.moves) {
    const next = engine.clone();
    next.move(move);
    nodes += outsidePerft(next, plies - 1);
  }
  return nodes;
}

function ourMove(moves: readonly Move[], move: OutsideMove): Move {
  const captured = move.captures.reduce((bits, square) => bits | (1 << square), 0) >>> 0;
  const found = moves.find(
    (candidate) =>
      candidate.from === move.origin &&
      candidate.path[candidate.path.length - 1] === move.destination &&
      candidate.captured >>> 0 === captured,
  );
  if (!found) throw new Error(`the outside engine played a move we hold illegal: ${JSON.stringify(move)}`);
  return found;
}

function randomOpening(plies: number): Position {
  let position = INITIAL_POSITION;
  for (let ply = 0; ply < plies; ply++) {
    const moves = legalMoves(position);
    const move = moves[Math.floor(random() * moves.length)];
    if (!move) break;
    position = applyMove(position, move);
  }
  return position;
}

const outside = await loadOutside(values.module);
const perftDepth = 7;
const theirs = outsidePerft(outsideGame(outside, INITIAL_POSITION).engine, perftDepth);
const ours = perft(INITIAL_POSITION, perftDepth);
if (theirs !== ours) {
  console.error(
    `perft ${perftDepth} from the start: ours ${ours}, theirs ${theirs}; no match with a different move generator`,
  );
  process.exit(1);
}
const computer = outside.EnglishDraughtsComputerFactory.alphaBeta({ maxDepth: depth });
let wins = 0;
let draws = 0;
let losses = 0;
let fortyMoveDraws = 0;
let positionsChecked = 0;
let theirMs = 0;
let theirMoves = 0;
let opening = INITIAL_POSITION;
const started = performance.now();
for (let index = 0; index < games; index++) {
  if (index % 2 === 0) opening = randomOpening(4);
  const us: Color = index % 2 === 0 ? BLACK : WHITE;
  const searcher = new Searcher(STANDARD_RULES);
  let position = opening;
  let quietPlies = 0;
  let winner: Color | null = null;
  for (let ply = 0; ply < 400; ply++) {
    const result = standardResult(position);
    if (result) {
      winner = result.winner;
      break;
    }
    if (quietPlies >= QUIET_PLIES_FOR_DRAW) {
      fortyMoveDraws++;
      break;
    }
    const moves = legalMoves(position);
    const game = outsideGame(outside, position);
    if (game.moves.length !== moves.length) {
      throw new Error(
        `move counts differ (ours ${moves.length}, theirs ${game.moves.length}): ${JSON.stringify(position)}`,
      );
    }
    positionsChecked++;
    let move: Move | undefined;
    if (position.turn === us) {
      move = searcher.search(position, { maxDepth: 64, timeMs }).move;
    } else {
      const thinking = performance.now();
      const chosen = await computer(game);
      theirMs += performance.now() - thinking;
      theirMoves++;
      move = chosen && ourMove(moves, chosen);
    }
    if (!move) throw new Error('no move in a game that is not over');
    const manMoved = ((position.kings >>> move.from) & 1) === 0;
    quietPlies = move.captured !== 0 || manMoved ? 0 : quietPlies + 1;
    position = applyMove(position, move);
  }
  if (winner === null) draws++;
  else if (winner === us) wins++;
  else losses++;
  if ((index + 1) % 10 === 0) process.stderr.write(`${index + 1} games...\n`);
}
const score = scoreMatch(wins, draws, losses);
const elo = (value: number) => (Number.isFinite(value) ? value.toFixed(0) : value > 0 ? '+inf' : '-inf');
console.log(
  `command: npm run bench:outside -- --games ${games} --depth ${depth} --time-ms ${timeMs} --seed ${values.seed} --module ${values.module}`,
);
console.log(
  `level 10 at ${timeMs} ms a move vs rapid-draughts at depth ${depth} (${(theirMs / Math.max(1, theirMoves)).toFixed(0)} ms a move): ${wins} wins, ${draws} draws, ${losses} losses; Elo difference ${elo(score.elo)} (95%: ${elo(score.eloLow)} to ${elo(score.eloHigh)}); ${fortyMoveDraws} drawn by the 40-move rule; perft ${perftDepth} and ${positionsChecked} positions' move counts agreed; ${((performance.now() - started) / 1000).toFixed(0)} s`,
);
