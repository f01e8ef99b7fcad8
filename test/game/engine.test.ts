import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DEFAULT_WEIGHTS, evaluateBoard, evaluationFeatures, WEIGHT_NAMES } from '../../src/game/engine/board.js';
import { playMatch, playV1Game, randomPlayer, scoreMatch, type V1Player } from '../../src/game/engine/engine-match.js';
import { evaluate } from '../../src/game/engine/evaluate.js';
import { EnginePlayer, levelSettings } from '../../src/game/engine/levels.js';
import { STANDARD_RULES, V1_RULES } from '../../src/game/engine/rules.js';
import { Searcher, WIN } from '../../src/game/engine/search.js';
import { positionFromFen } from '../../src/game/fen.js';
import { BLACK, INITIAL_POSITION, type Position, positionProblem, WHITE } from '../../src/game/position.js';
import { applyMove, legalMoves, standardResult } from '../../src/game/standard.js';
import { legalSteps, newV1Game, playV1Step, type V1Game } from '../../src/game/v1.js';
import { seededRandom } from '../support/random.js';

const random01 = (seed: number) => {
  const pick = seededRandom(seed);
  return () => pick(1_000_000) / 1_000_000;
};

/** A position reached by `plies` random standard moves. */
function playedOut(plies: number, seed: number): Position {
  const pick = seededRandom(seed);
  let position = INITIAL_POSITION;
  for (let ply = 0; ply < plies && !standardResult(position); ply++) {
    const moves = legalMoves(position);
    position = applyMove(position, moves[pick(moves.length)] ?? (moves[0] as never));
  }
  return position;
}

/** A version-1 game reached by `plies` random steps. */
function playedOutV1(plies: number, seed: number): V1Game {
  const pick = seededRandom(seed);
  let game = newV1Game();
  for (let ply = 0; ply < plies && !game.result; ply++) {
    const steps = legalSteps(game);
    const step = steps[pick(steps.length)];
    if (!step) break;
    const outcome = playV1Step(game, step.from, step.direction, (options) => pick(options.length));
    if (outcome.ok) game = outcome.game;
  }
  return game;
}

// Exhaustive search, independent of the engine: can the side to move force a win within `plies`?
function forcedWin(position: Position, plies: number): boolean {
  if (plies <= 0) return false;
  return legalMoves(position).some((move) => loses(applyMove(position, move), plies - 1));
}

/** Does the side to move lose within `plies`, whatever it does? */
function loses(position: Position, plies: number): boolean {
  const result = standardResult(position);
  if (result) return result.winner !== position.turn;
  if (plies <= 1) return false;
  return legalMoves(position).every((move) => forcedWin(applyMove(position, move), plies - 1));
}

/** Random sparse endgames with a win in 3 or 5 plies where some moves do not win: real tests of the search. */
function constructedShots(count: number): Position[] {
  const pick = seededRandom(4242);
  const shots: Position[] = [];
  for (let attempt = 0; attempt < 200_000 && shots.length < count; attempt++) {
    const squares = new Set<number>();
    const total = 3 + pick(4);
    while (squares.size < total) squares.add(pick(32));
    const bits = [...squares];
    const blackCount = 1 + pick(total - 1);
    const mask = (list: number[]) => list.reduce((sum, bit) => (sum | (1 << bit)) >>> 0, 0);
    const black = mask(bits.slice(0, blackCount));
    const white = mask(bits.slice(blackCount));
    const kings = mask(bits.filter(() => pick(3) === 0));
    const position: Position = { black, white, kings, turn: BLACK };
    if (positionProblem(position) || standardResult(position)) continue;
    const moves = legalMoves(position);
    if (moves.length < 2 || forcedWin(position, 1) || !forcedWin(position, 5)) continue;
    if (moves.every((move) => loses(applyMove(position, move), 4))) continue;
    shots.push(position);
  }
  return shots;
}

describe('engine', () => {
  it('returns only legal moves, standard rules, in random positions', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 1_000_000 }), (plies, seed) => {
        const position = playedOut(plies, seed);
        const result = new Searcher(STANDARD_RULES).search(position, { maxDepth: 4, maxNodes: 5000 });
        const legal = legalMoves(position);
        if (legal.length === 0) return result.move === undefined;
        return legal.some((move) => JSON.stringify(move) === JSON.stringify(result.move));
      }),
      { numRuns: 60 },
    );
  });

  it('returns only legal steps, version 1, in random positions', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 1_000_000 }), (plies, seed) => {
        const game = playedOutV1(plies, seed);
        const result = new Searcher(V1_RULES).search(game, { maxDepth: 3, maxNodes: 5000 });
        const legal = legalSteps(game);
        if (legal.length === 0) return result.move === undefined;
        return legal.some((step) => JSON.stringify(step) === JSON.stringify(result.move));
      }),
      { numRuns: 60 },
    );
  });

  it('finds the forced win in constructed shots, each verified by exhaustive search', () => {
    const shots = constructedShots(12);
    assert.equal(shots.length, 12, 'enough shots were constructed');
    for (const position of shots) {
      const result = new Searcher(STANDARD_RULES).search(position, { maxDepth: 7 });
      assert.ok(result.move, 'a move');
      assert.ok(result.score >= WIN - 10, `sees the win (score ${result.score})`);
      assert.ok(loses(applyMove(position, result.move), 6), `its move keeps a forced win: ${JSON.stringify(position)}`);
    }
  });

  it('evaluates from the side to move: a position and its colour-swapped twin score the same', () => {
    const position = playedOut(20, 99);
    const flip = (bits: number) => {
      let out = 0;
      for (let bit = 0; bit < 32; bit++) if ((bits >>> bit) & 1) out |= 1 << (31 - bit);
      return out >>> 0;
    };
    const twin: Position = {
      black: flip(position.white),
      white: flip(position.black),
      kings: flip(position.kings),
      turn: position.turn === BLACK ? WHITE : BLACK,
    };
    assert.equal(evaluate(twin), evaluate(position));
    const up = { ...INITIAL_POSITION, white: INITIAL_POSITION.white & ~(1 << 31) };
    assert.ok(evaluate(up) > evaluate(INITIAL_POSITION), 'a man up is better');
  });

  it('the positional terms count what they name, for the side to move', () => {
    const term = (fen: string, name: (typeof WEIGHT_NAMES)[number]) => {
      const { black, white, kings, turn } = positionFromFen(fen);
      const pieces = [black, white].reduce((sum, bits) => sum + bits.toString(2).replaceAll('0', '').length, 0);
      const factor = 1 + (24 - pieces) / 20;
      return (evaluationFeatures(black | 0, white | 0, kings | 0, turn)[WEIGHT_NAMES.indexOf(name)] as number) / factor;
    };
    const bridge = 'bridge (both squares) while the opponent has men';
    assert.equal(term('B:W21,25:B1,3,14', bridge), 1);
    assert.equal(term('W:W21,25:B1,3,14', bridge), -1, 'the same bridge counts against White to move');
    assert.equal(term('B:W21,25:B1,14', bridge), 0, 'one square is no bridge');
    assert.equal(term('B:WK21:B1,3,14', bridge), 0, 'no bridge needed against kings only');
    assert.equal(term('B:W30,32:B1,3', bridge), 0, 'both hold one');
    assert.equal(term('B:W21,25:B1,3,14', 'man on a side square'), -1, "White's 21 is on the side");
    assert.equal(term('B:W21:B1,5', 'man backed by its own piece, per diagonal'), 1, '5 is backed by 1');
    assert.equal(term('B:W21:B1,6', 'man backed by its own piece, per diagonal'), 1, '6 is backed by 1');
    assert.equal(term('B:W21:B1,2,6', 'man backed by its own piece, per diagonal'), 2, '6 is backed by 1 and 2');
    assert.equal(term('B:W21:B6', 'man backed by its own piece, per diagonal'), 0);
    const threat = 'the opponent threatens a capture (side to move only)';
    assert.equal(term('B:W18,29,30,31,32:B1,2,3,14', threat), 1, 'White 18 could take 14');
    assert.equal(term('W:W18,29,30,31,32:B1,2,3,14', threat), 1, 'Black 14 could take 18');
    assert.equal(term('B:W22,29,30,31,32:B1,2,3,14', threat), 0);
    assert.equal(term('B:W18:B14', threat), 0, 'not in an ending');
    assert.equal(term('B:W30:B14,15', 'man in the centre'), 2);
  });

  it("the tuner's features times the weights give the evaluation, for the default weights and others", () => {
    const others = Int32Array.of(100, 130, 1, 9, 20, 3, 0, 2, 5, -4, 7, 3, -11);
    for (let seed = 1; seed <= 40; seed++) {
      const { black, white, kings, turn } = playedOut(10 + seed * 2, seed);
      const features = evaluationFeatures(black | 0, white | 0, kings | 0, turn);
      for (const weights of [DEFAULT_WEIGHTS, others]) {
        const dot = features.reduce((sum, feature, i) => sum + feature * (weights[i] as number), 0);
        const score = evaluateBoard(black | 0, white | 0, kings | 0, turn, weights);
        assert.ok(Math.abs(dot - score) < 1, `seed ${seed}: features give ${dot}, the evaluation ${score}`);
      }
    }
  });

  it('levels: level 1 plays random moves on purpose, level 10 never does', () => {
    assert.equal(levelSettings(10).blunder, 0);
    assert.ok(levelSettings(1).blunder >= 0.5);
    const player = new EnginePlayer(STANDARD_RULES, levelSettings(1), () => 0, 5);
    assert.equal(player.choose(INITIAL_POSITION).depth, 0, 'a deliberate random move');
  });

  it('full strength beats a random mover (version 1, a short match)', () => {
    const random = random01(7);
    for (let game = 0; game < 4; game++) {
      // A node budget, not a time budget: the same moves however busy the machine is.
      const search = new EnginePlayer(V1_RULES, levelSettings(10), random);
      const engine = {
        name: 'level 10',
        choose: (state: V1Game) => search.choose(state, { maxDepth: 64, maxNodes: 20_000 }).move,
      };
      const mover = randomPlayer(random);
      const { winner } = game % 2 === 0 ? playV1Game(engine, mover, random) : playV1Game(mover, engine, random);
      assert.equal(winner, game % 2 === 0 ? BLACK : WHITE);
    }
  });

  it('scores a match as Elo with an error bar', () => {
    const even = scoreMatch(10, 0, 10);
    assert.equal(even.elo, 0);
    assert.ok(even.eloLow < 0 && even.eloHigh > 0);
    const strong = scoreMatch(75, 0, 25);
    assert.ok(Math.abs(strong.elo - 190.8) < 0.5, `${strong.elo}`);
    assert.equal(scoreMatch(5, 0, 0).elo, Number.POSITIVE_INFINITY);
  });
});

describe('engine matches', () => {
  it('start each pair of games from the next opening of a list, round again, and hand players the history', () => {
    const openings = [1, 2].map((bit) =>
      newV1Game({ black: INITIAL_POSITION.black ^ (1 << bit), white: INITIAL_POSITION.white, kings: 0, turn: BLACK }),
    );
    const starts: Position[] = [];
    const histories: number[] = [];
    const random = () => 0.5;
    const recording = (): V1Player => {
      const inner = randomPlayer(random);
      let first = true;
      return {
        name: 'recording',
        choose(game, history) {
          if (first) starts.push(game.position);
          first = false;
          histories.push(history?.length ?? -1);
          return inner.choose(game);
        },
      };
    };
    playMatch(recording, () => randomPlayer(random), 6, random, undefined, openings);
    // Black moves first: A's first position in the even games, B's (not recorded) in the odd ones.
    const blackStarts = starts.filter((_, game) => game % 2 === 0);
    assert.deepEqual(blackStarts, [openings[0]?.position, openings[1]?.position, openings[0]?.position]);
    assert.ok(!histories.includes(-1), 'every choice gets the history');
  });
});
