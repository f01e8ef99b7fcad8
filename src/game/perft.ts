import { formatMove } from './notation.js';
import type { Position } from './position.js';
import { squareNumber } from './squares.js';
import { applyMove, legalMoves } from './standard.js';
import { allStepOutcomes, legalSteps, type V1Game } from './v1.js';

/** Leaf positions `depth` moves deep under standard rules (bulk-counted at the last ply). */
export function perft(position: Position, depth: number): number {
  if (depth <= 0) return 1;
  const moves = legalMoves(position);
  if (depth === 1) return moves.length;
  let nodes = 0;
  for (const move of moves) nodes += perft(applyMove(position, move), depth - 1);
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
