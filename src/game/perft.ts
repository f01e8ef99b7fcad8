import { countMoves, generateMoves, MoveStack } from './engine/board.js';
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
 * jumps; every different sequence of referee choices is a separate node.
 */
export function perftV1(game: V1Game, depth: number): number {
  if (depth <= 0) return 1;
  let nodes = 0;
  for (const step of legalSteps(game)) {
    const outcomes = allStepOutcomes(game, step.from, step.direction);
    if (depth === 1) nodes += outcomes.length;
    else for (const outcome of outcomes) nodes += perftV1(outcome, depth - 1);
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
