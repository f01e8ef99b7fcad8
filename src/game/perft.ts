import { countMoves, generateMoves, generateSteps, MoveStack } from './engine/board.js';
import { GOES_ON, OutcomeStack, stepOutcomes } from './engine/v1-board.js';
import { formatMove } from './notation.js';
import { BLACK, CROWNING_ROW, type Position } from './position.js';
import { squareNumber } from './squares.js';
import { applyMove, legalMoves } from './standard.js';
import { allStepOutcomes, legalSteps, type V1Game } from './v1.js';

/**
 * Leaf positions `depth` moves deep under standard rules, on the engine's
 * bitboard move generator (bulk-counted at the last ply: the moves there are
 * counted, not played).
 */
export function perft(position: Position, depth: number): number {
  if (depth <= 0) return 1;
  const stack = new MoveStack(64 * (depth + 1));
  return perftBits(stack, 0, position.black | 0, position.white | 0, position.kings | 0, position.turn, depth);
}

function perftBits(
  stack: MoveStack,
  start: number,
  black: number,
  white: number,
  kings: number,
  turn: number,
  depth: number,
): number {
  const own = turn === BLACK ? black : white;
  const opp = turn === BLACK ? white : black;
  if (depth === 1) return countMoves(stack, start, own, opp, kings, turn);
  const end = generateMoves(stack, start, own, opp, kings, turn);
  const crown = CROWNING_ROW[turn === BLACK ? 0 : 1] | 0;
  let nodes = 0;
  for (let i = start; i < end; i++) {
    const fromBit = 1 << (stack.from[i] as number);
    const toBit = 1 << (stack.to[i] as number);
    const captured = stack.captured[i] as number;
    const movedOwn = own ^ fromBit ^ toBit;
    const leftOpp = opp & ~captured;
    const crowned = (kings & fromBit) !== 0 || (crown & toBit) !== 0;
    const nextKings = (kings & ~captured & ~fromBit) | (crowned ? toBit : 0);
    nodes +=
      turn === BLACK
        ? perftBits(stack, end, movedOwn, leftOpp, nextKings, 1, depth - 1)
        : perftBits(stack, end, leftOpp, movedOwn, nextKings, 0, depth - 1);
  }
  return nodes;
}

export function perftDivide(position: Position, depth: number): Array<{ move: string; nodes: number }> {
  return legalMoves(position).map((move) => ({
    move: formatMove(move),
    nodes: perft(applyMove(position, move), depth - 1),
  }));
}

/**
 * Version-1 perft: one ply is a player's step followed by the referee's forced
 * jumps; every different sequence of referee choices is a separate node (an
 * outcome that ends the game counts at the last ply and has no children). On
 * the engine's bitboards, the same step and outcome generators as its search.
 */
export function perftV1(game: V1Game, depth: number): number {
  if (depth <= 0) return 1;
  if (game.result) return 0;
  const { black, white, kings, turn } = game.position;
  const moves = new MoveStack(64 * (depth + 1));
  const outcomes = new OutcomeStack(256 * (depth + 1));
  return perftV1Bits(moves, 0, outcomes, 0, black | 0, white | 0, kings | 0, turn, game.quietPlies, depth);
}

function perftV1Bits(
  moves: MoveStack,
  sp: number,
  outcomes: OutcomeStack,
  op: number,
  black: number,
  white: number,
  kings: number,
  turn: number,
  quiet: number,
  depth: number,
): number {
  const own = turn === BLACK ? black : white;
  const end = generateSteps(moves, sp, own, kings, turn, ~(black | white));
  let nodes = 0;
  for (let i = sp; i < end; i++) {
    const last = stepOutcomes(
      outcomes,
      op,
      black,
      white,
      kings,
      turn,
      quiet,
      0,
      moves.from[i] as number,
      moves.to[i] as number,
    );
    if (depth === 1) {
      nodes += last - op;
      continue;
    }
    for (let o = op; o < last; o++) {
      if (outcomes.result[o] !== GOES_ON) continue;
      nodes += perftV1Bits(
        moves,
        end,
        outcomes,
        last,
        outcomes.black[o] as number,
        outcomes.white[o] as number,
        outcomes.kings[o] as number,
        outcomes.turn[o] as number,
        outcomes.quiet[o] as number,
        depth - 1,
      );
    }
  }
  return nodes;
}

/** The object-based version-1 perft over v1.ts (slow), the reference the bitboard one is tested against. */
export function perftV1Reference(game: V1Game, depth: number): number {
  if (depth <= 0) return 1;
  let nodes = 0;
  for (const step of legalSteps(game)) {
    const outcomes = allStepOutcomes(game, step.from, step.direction);
    if (depth === 1) nodes += outcomes.length;
    else for (const outcome of outcomes) nodes += perftV1Reference(outcome, depth - 1);
  }
  return nodes;
}

export function perftV1Divide(game: V1Game, depth: number): Array<{ move: string; nodes: number }> {
  return legalSteps(game).map((step) => {
    const outcomes = allStepOutcomes(game, step.from, step.direction);
    return {
      move: `${squareNumber(step.from)}-${squareNumber(step.to)}`,
      nodes: outcomes.reduce((sum, outcome) => sum + perftV1(outcome, depth - 1), 0),
    };
  });
}
