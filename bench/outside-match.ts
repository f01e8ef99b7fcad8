import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { scoreMatch } from '../src/game/engine/engine-match.js';
import { STANDARD_RULES } from '../src/game/engine/rules.js';
import { Searcher } from '../src/game/engine/search.js';
import { fenOf } from '../src/game/fen.js';
import { OPENING_DECKS } from '../src/game/openings.js';
import { perft } from '../src/game/perft.js';
import { BLACK, type Color, INITIAL_POSITION, type Position, WHITE } from '../src/game/position.js';
import { seededRandom } from '../src/game/random.js';
import { applyMove, legalMoves, type Move } from '../src/game/standard.js';
import { benchEndgame } from './egdb-cache.js';
import { type Mover, playRefereed } from './refereed-game.js';
import { weightsOption } from './weights-option.js';

/**
 * `npm run bench:outside -- [--games 40] [--depth 6] [--time-ms 80] [--seed 1] [--module rapid-draughts/english]`:
 * standard rules, our level-10 search at --time-ms a move against the
 * rapid-draughts engine (npm) at a fixed --depth, colours alternating, each
 * pair of games from the same 4 random moves.
 * `--openings three-move [--from 1] [--count 156]` plays each opening of the
 * deck twice instead, colours swapped; `--odds R` gives us 1/R of its time a
 * move (its mean so far, first timed on the deck's first positions) instead
 * of --time-ms; `--max-minutes M` starts no game after M minutes. Our search
 * gets the game's history (the 40-move count and the positions since the
 * last capture or man move); a draw after we scored +150 or more is listed
 * as a draw from a won position. Our referee plays the rules and
 * the 40-move rule (rapid-draughts counts 40 plies without a capture, and
 * its man-move counter never resets), giving the outside engine a fresh
 * state each move. Before the games its perft from the start must match
 * ours, and in every position of the games its move count must equal ours.
 * rapid-draughts is a dev dependency; --module names another build of it.
 * `--egdb-pieces N` (default 4, as the server; 0 = none) gives our search
 * the compressed endgame databases; `--contempt N` (default 0, as the
 * computer plays) searches with SearcherOptions.contempt N; `--weights W`
 * (as `npm run tune` prints them) plays other evaluation weights.
 */
const { values } = parseArgs({
  options: {
    games: { type: 'string', default: '40' },
    depth: { type: 'string', default: '6' },
    'time-ms': { type: 'string', default: '80' },
    seed: { type: 'string', default: '1' },
    module: { type: 'string', default: 'rapid-draughts/english' },
    openings: { type: 'string', default: 'random' },
    from: { type: 'string', default: '1' },
    count: { type: 'string' },
    odds: { type: 'string' },
    'max-minutes': { type: 'string' },
    'egdb-pieces': { type: 'string', default: '4' },
    contempt: { type: 'string', default: '0' },
    weights: { type: 'string' },
  },
});
const contempt = Math.max(0, Number(values.contempt) || 0);
const weights = weightsOption(values.weights, '--weights');
const egdbPieces = Math.min(5, Math.max(0, Number(values['egdb-pieces']) || 0));
const deck = values.openings === 'random' ? undefined : OPENING_DECKS[values.openings];
if (values.openings !== 'random' && !deck) {
  console.error(`no opening deck "${values.openings}": use --openings three-move, or random (4 random moves)`);
  process.exit(2);
}
const first = Math.max(1, Number(values.from) || 1);
const deckGames = deck ? 2 * Math.max(0, Math.min(Number(values.count ?? deck.length), deck.length - first + 1)) : 0;
const odds = values.odds === undefined ? undefined : Math.max(1, Number(values.odds));
const maxMs = values['max-minutes'] === undefined ? Number.POSITIVE_INFINITY : Number(values['max-minutes']) * 60_000;
/** A draw after our search scored this much or more is reported as a draw from a won position. */
const WON_SCORE = 150;
const games = deck ? deckGames : Math.min(1000, Math.max(1, Number(values.games) || 40));
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
const endgame = await benchEndgame(egdbPieces, (line) => process.stderr.write(`${line}\n`));
let wins = 0;
let draws = 0;
let losses = 0;
let fortyMoveDraws = 0;
let positionsChecked = 0;
let theirMs = 0;
let theirMoves = 0;
let opening = INITIAL_POSITION;
let ourMs = 0;
let ourMoves = 0;
let played = 0;
const wonDraws: string[] = [];
/** The games not won, each with its last position. */
const unwon: string[] = [];
if (odds !== undefined) {
  // Its time a move before the first game, from the positions the games start with.
  for (const start of deck ? deck.slice(first - 1, first + 2).map((o) => o.position) : [INITIAL_POSITION]) {
    const thinking = performance.now();
    await computer(outsideGame(outside, start));
    theirMs += performance.now() - thinking;
    theirMoves++;
  }
}
const started = performance.now();
for (let index = 0; index < games; index++) {
  if (performance.now() - started > maxMs) break;
  if (index % 2 === 0) opening = deck ? (deck[first - 1 + index / 2]?.position ?? INITIAL_POSITION) : randomOpening(4);
  const us: Color = index % 2 === 0 ? BLACK : WHITE;
  const searcher = new Searcher(STANDARD_RULES, {
    contempt,
    ...(endgame ? { endgame } : {}),
    ...(weights ? { weights } : {}),
  });
  let bestScore = Number.NEGATIVE_INFINITY;
  let wonAt = '';
  played++;
  // Before either side moves, the outside engine must count the moves we count.
  const checked = (position: Position): Move[] => {
    const moves = legalMoves(position);
    const theirCount = outsideGame(outside, position).moves.length;
    if (theirCount !== moves.length) {
      throw new Error(`move counts differ (ours ${moves.length}, theirs ${theirCount}): ${JSON.stringify(position)}`);
    }
    positionsChecked++;
    return moves;
  };
  const ourSide: Mover = (position, history) => {
    checked(position);
    const ourTime = odds === undefined ? timeMs : Math.max(1, theirMs / Math.max(1, theirMoves) / odds);
    const result = searcher.search(position, { maxDepth: 64, timeMs: ourTime }, history);
    ourMs += result.elapsedMs;
    ourMoves++;
    if (result.score > bestScore) {
      bestScore = result.score;
      if (bestScore >= WON_SCORE && wonAt === '') wonAt = fenOf(position);
    }
    if (!result.move) throw new Error('no move in a game that is not over');
    return result.move;
  };
  const theirSide: Mover = async (position) => {
    const moves = checked(position);
    const thinking = performance.now();
    const chosen = await computer(outsideGame(outside, position));
    theirMs += performance.now() - thinking;
    theirMoves++;
    if (!chosen) throw new Error('no move in a game that is not over');
    return ourMove(moves, chosen);
  };
  const { winner, ending, position } = await playRefereed(
    opening,
    us === BLACK ? [ourSide, theirSide] : [theirSide, ourSide],
    { maxPlies: 400, threefold: false },
  );
  if (ending === 'forty-move') fortyMoveDraws++;
  if (winner === null && bestScore >= WON_SCORE) {
    wonDraws.push(`game ${index + 1} (we scored up to ${bestScore}, first +${WON_SCORE} at ${wonAt})`);
  }
  const game = `game ${index + 1}${deck ? ` (ballot ${first + Math.floor(index / 2)})` : ''}, we played ${us === BLACK ? 'Black' : 'White'}: ended at ${fenOf(position)}`;
  if (winner === null) {
    draws++;
    unwon.push(`drawn: ${game}`);
  } else if (winner === us) wins++;
  else {
    losses++;
    unwon.push(`lost: ${game}`);
  }
  if ((index + 1) % 10 === 0) process.stderr.write(`${index + 1} games...\n`);
}
const score = scoreMatch(wins, draws, losses);
const openingsText = deck
  ? `--openings ${values.openings} --from ${first} --count ${deckGames / 2}`
  : `--games ${games} --seed ${values.seed}`;
const timeText = odds === undefined ? `--time-ms ${timeMs}` : `--odds ${odds}`;
const elo = (value: number) => (Number.isFinite(value) ? value.toFixed(0) : value > 0 ? '+inf' : '-inf');
console.log(
  `command: npm run bench:outside -- ${openingsText} --depth ${depth} ${timeText} --module ${values.module}${values['max-minutes'] === undefined ? '' : ` --max-minutes ${values['max-minutes']}`} --egdb-pieces ${egdbPieces} --contempt ${contempt}${values.weights === undefined ? '' : ` --weights ${values.weights}`}`,
);
console.log(
  `level 10${endgame ? ` with endgame databases up to ${egdbPieces} pieces` : ''} at ${(ourMs / Math.max(1, ourMoves)).toFixed(1)} ms a move vs rapid-draughts at depth ${depth} (${(theirMs / Math.max(1, theirMoves)).toFixed(0)} ms a move), ${played} games: ${wins} wins, ${draws} draws, ${losses} losses (${((100 * (wins + draws / 2)) / Math.max(1, played)).toFixed(1)} %); Elo difference ${elo(score.elo)} (95%: ${elo(score.eloLow)} to ${elo(score.eloHigh)}); ${fortyMoveDraws} drawn by the 40-move rule, ${wonDraws.length} drawn after we scored +${WON_SCORE}; perft ${perftDepth} and ${positionsChecked} positions' move counts agreed; ${((performance.now() - started) / 1000).toFixed(0)} s`,
);
for (const line of wonDraws) console.log(`drawn from a won position: ${line}`);
for (const line of unwon) console.log(line);
