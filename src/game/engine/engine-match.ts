import { BLACK, type Color, type Position, WHITE } from '../position.js';
import type { JumpChooser, V1Game } from '../v1.js';
import { legalSteps, newV1Game, playV1Step } from '../v1.js';
import { EnginePlayer, levelSettings } from './levels.js';
import { STANDARD_RULES, V1_RULES, type V1Step } from './rules.js';
import type { SearcherOptions } from './search.js';

/** Something that picks a step in a version-1 game; `history` holds the positions since the last capture or man move. */
export interface V1Player {
  readonly name: string;
  choose(game: V1Game, history?: readonly Position[]): V1Step | undefined;
}

export function randomPlayer(random: () => number): V1Player {
  return {
    name: 'random',
    choose(game) {
      const moves = V1_RULES.moves(game);
      return moves[Math.floor(random() * moves.length)];
    },
  };
}

export function enginePlayer(
  level: number,
  random: () => number,
  timeMs?: number,
  options: SearcherOptions = {},
): V1Player {
  const settings = levelSettings(level);
  const engine = new EnginePlayer(V1_RULES, settings, random, timeMs ?? settings.timeMs, options);
  return {
    name: `level ${level}`,
    choose: (game, history) =>
      engine.choose(game, undefined, history && { quietPlies: game.quietPlies, positions: history }).move,
  };
}

/**
 * The plain search in a version-1 game: the standard rules' alpha-beta on the
 * position, as if whoever jumps chose the jumps (the referee chooses them at
 * random), the baseline the expectimax is measured against.
 */
export function plainPlayer(level: number, random: () => number, timeMs?: number): V1Player {
  const settings = levelSettings(level);
  const engine = new EnginePlayer(STANDARD_RULES, settings, random, timeMs ?? settings.timeMs);
  return {
    name: `plain level ${level}`,
    choose(game) {
      const move = engine.choose(game.position).move;
      const to = move?.path[move.path.length - 1];
      return legalSteps(game).find((step) => step.from === move?.from && step.to === to);
    },
  };
}

/** A version-1 game after `plies` random steps from the start (the referee choosing at random too). */
export function randomOpening(plies: number, random: () => number): V1Game {
  const referee: JumpChooser = (options) => Math.floor(random() * options.length);
  let game = newV1Game();
  for (let ply = 0; ply < plies && !game.result; ply++) {
    const steps = legalSteps(game);
    const step = steps[Math.floor(random() * steps.length)];
    if (!step) break;
    const outcome = playV1Step(game, step.from, step.direction, referee);
    if (outcome.ok) game = outcome.game;
  }
  return game.result ? newV1Game() : game;
}

/** Plays one version-1 game to its end (or `maxPlies`, a draw); the referee picks among jumps with `random`. */
export function playV1Game(
  black: V1Player,
  white: V1Player,
  random: () => number,
  maxPlies = 400,
  start: V1Game = newV1Game(),
): { winner: Color | null; plies: number; reason: string } {
  const referee: JumpChooser = (options) => Math.floor(random() * options.length);
  let game = start;
  let history: Position[] = [];
  for (let plies = 0; plies < maxPlies; plies++) {
    if (game.result) return { winner: game.result.winner, plies, reason: game.result.reason };
    const mover = game.position.turn === BLACK ? black : white;
    const step = mover.choose(game, history);
    if (!step) throw new Error(`${mover.name} found no move in a game that is not over`);
    const outcome = playV1Step(game, step.from, step.direction, referee);
    if (!outcome.ok) throw new Error(`${mover.name} played an illegal step: ${outcome.reason}`);
    history = outcome.game.quietPlies === 0 ? [] : [...history, game.position];
    game = outcome.game;
  }
  return { winner: game.result?.winner ?? null, plies: maxPlies, reason: game.result?.reason ?? 'move-limit' };
}

export interface MatchScore {
  readonly wins: number;
  readonly draws: number;
  readonly losses: number;
  /** Elo difference of A over B, with a 95% interval; infinite when one side scored everything. */
  readonly elo: number;
  readonly eloLow: number;
  readonly eloHigh: number;
}

function eloOf(score: number): number {
  if (score <= 0) return Number.NEGATIVE_INFINITY;
  if (score >= 1) return Number.POSITIVE_INFINITY;
  // "+ 0" turns the -0 of an even score into 0.
  return -400 * Math.log10(1 / score - 1) + 0;
}

/** Wins, draws and losses of A, and the Elo difference with its 95% error bar (normal approximation). */
export function scoreMatch(wins: number, draws: number, losses: number): MatchScore {
  const games = wins + draws + losses;
  const score = (wins + draws / 2) / games;
  const variance = (wins * (1 - score) ** 2 + draws * (0.5 - score) ** 2 + losses * score ** 2) / games;
  const margin = 1.96 * Math.sqrt(variance / games);
  return { wins, draws, losses, elo: eloOf(score), eloLow: eloOf(score - margin), eloHigh: eloOf(score + margin) };
}

/**
 * A match of `games` games between A and B, A playing Black in the even games
 * and White in the odd ones; with `openingPlies`, each pair of games starts
 * from the same random opening of that many steps, or from the next game of
 * a list of openings (round the list again when the pairs outnumber it).
 */
export function playMatch(
  makeA: () => V1Player,
  makeB: () => V1Player,
  games: number,
  random: () => number,
  onGame?: (index: number, aColor: Color, winner: Color | null, reason: string) => void,
  openingPlies: number | readonly V1Game[] = 0,
): MatchScore {
  let opening = newV1Game();
  let wins = 0;
  let draws = 0;
  let losses = 0;
  for (let index = 0; index < games; index++) {
    const a = makeA();
    const b = makeB();
    const aColor: Color = index % 2 === 0 ? BLACK : WHITE;
    if (aColor === BLACK) {
      if (typeof openingPlies !== 'number') opening = openingPlies[(index / 2) % openingPlies.length] ?? opening;
      else if (openingPlies > 0) opening = randomOpening(openingPlies, random);
    }
    const { winner, reason } =
      aColor === BLACK ? playV1Game(a, b, random, 400, opening) : playV1Game(b, a, random, 400, opening);
    if (winner === null) draws++;
    else if (winner === aColor) wins++;
    else losses++;
    onGame?.(index, aColor, winner, reason);
  }
  return scoreMatch(wins, draws, losses);
}
