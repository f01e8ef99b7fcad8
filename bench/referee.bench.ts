import { INITIAL_POSITION, type Position } from '../src/game/position.js';
import { applyMove, legalMoves } from '../src/game/standard.js';
import { newStandardGame, playStandardPath } from '../src/game/standard-game.js';
import { firstJump, legalSteps, newV1Game, playV1Step, type V1Game } from '../src/game/v1.js';
import type { Clock } from '../src/server/clock.js';
import { DEFAULT_RATING } from '../src/server/domain/rating.js';
import { StandardMatch } from '../src/server/play/standard-match.js';
import { formatRate, measure } from './measure.js';

/** A clock whose timers never fire: the referee sets and clears them as in play, the bench never waits. */
const idleClock: Clock = { now: () => performance.now(), after: () => () => {}, every: () => () => {} };

/** A small deterministic generator, so every run plays the same games. */
function generator(seed: number): (bound: number) => number {
  let state = seed >>> 0;
  return (bound) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return Math.floor((state / 4294967296) * bound);
  };
}

/** Random standard games as paths of squares 1-32, each at most `plies` long. */
function standardGames(count: number, plies: number): number[][][] {
  const random = generator(7);
  return Array.from({ length: count }, () => {
    const paths: number[][] = [];
    let position: Position = INITIAL_POSITION;
    for (let ply = 0; ply < plies; ply++) {
      const moves = legalMoves(position);
      const move = moves[random(moves.length)];
      if (!move) break;
      paths.push([move.from, ...move.path].map((bit) => bit + 1));
      position = applyMove(position, move);
    }
    return paths;
  });
}

/** Random version-1 games as their steps, each at most `plies` steps long. */
function v1Games(count: number, plies: number): Array<Array<{ from: number; direction: 0 | 1 | 2 | 3 }>> {
  const random = generator(7);
  return Array.from({ length: count }, () => {
    const steps: Array<{ from: number; direction: 0 | 1 | 2 | 3 }> = [];
    let game: V1Game = newV1Game();
    for (let ply = 0; ply < plies && !game.result; ply++) {
      const options = legalSteps(game);
      const step = options[random(options.length)];
      if (!step) break;
      const outcome = playV1Step(game, step.from, step.direction, firstJump);
      if (!outcome.ok) break;
      steps.push(step);
      game = outcome.game;
    }
    return steps;
  });
}

const seat = (accountId: number) => ({ accountId, name: `p${accountId}`, rating: DEFAULT_RATING });

function newMatch(id: number): StandardMatch {
  return StandardMatch.create(id, seat(1), seat(2), {
    clock: idleClock,
    control: { initialSeconds: 300, incrementSeconds: 3 },
    moveTimeoutMs: 0,
    onExpiry: () => {},
  });
}

/**
 * The version-2 referee's cost per move beside version 1's rules: the rules
 * alone (a path found and played, with the 40-move count and repetition; a
 * version-1 step with the server's jumps), the whole StandardMatch (clocks,
 * boards for both seats, the outbox), and the heap one game in progress holds.
 */
export function benchReferee(): Array<[string, string]> {
  const games = standardGames(50, 60);
  const plies = games.reduce((sum, paths) => sum + paths.length, 0);
  const rules = measure(() => {
    for (const paths of games) {
      let game = newStandardGame();
      for (const path of paths) {
        const outcome = playStandardPath(game, path);
        if (outcome.ok) game = outcome.game;
      }
    }
  });
  const steps = v1Games(50, 60);
  const v1Plies = steps.reduce((sum, list) => sum + list.length, 0);
  const v1Rules = measure(() => {
    for (const list of steps) {
      let game = newV1Game();
      for (const step of list) {
        const outcome = playV1Step(game, step.from, step.direction, firstJump);
        if (outcome.ok) game = outcome.game;
      }
    }
  });
  let id = 0;
  const referee = measure(() => {
    for (const paths of games) {
      const match = newMatch(id++);
      match.start();
      for (const path of paths) match.applyPath(match.turn, path);
    }
  });

  const live = 2000;
  const collect = (globalThis as { gc?: () => void }).gc;
  collect?.();
  const before = process.memoryUsage().heapUsed;
  const held: StandardMatch[] = [];
  for (let i = 0; i < live; i++) {
    const match = newMatch(i);
    match.start();
    for (const path of (games[i % games.length] ?? []).slice(0, 20)) match.applyPath(match.turn, path);
    held.push(match);
  }
  collect?.();
  const perGame = (process.memoryUsage().heapUsed - before) / held.length;

  return [
    [
      'standard rules per move',
      `${formatRate(rules.perSecond * plies)} moves/s (path found and played, repetition kept)`,
    ],
    ['version-1 rules per step', `${formatRate(v1Rules.perSecond * v1Plies)} steps/s (step and the server's jumps)`],
    ['StandardMatch per move', `${formatRate(referee.perSecond * plies)} moves/s (clocks, both boards, the outbox)`],
    [
      'StandardMatch in progress',
      `${(perGame / 1024).toFixed(1)} KiB heap per game after 20 moves${collect ? '' : ' (run node --expose-gc for a settled figure)'}`,
    ],
  ];
}
