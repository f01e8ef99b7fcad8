import { type Position, piecesOf } from '../position.js';
import type { GameResult } from '../result.js';
import type { Direction } from '../squares.js';
import { applyMove, hasJump, legalMoves, type Move, standardResult } from '../standard.js';
import { allStepOutcomes, legalSteps, type V1Game } from '../v1.js';

/**
 * What the search needs to know of a rule set. A move may have several
 * outcomes: in version 1 the referee plays the forced jumps and picks at
 * random among several, so the engine cannot choose them; it treats them as
 * chance and scores a step by the average of its outcomes (expectimax).
 */
export interface SearchRules<S, M> {
  /** Which of the engine's bitboard searches plays this rule set. */
  readonly kind: 'standard' | 'v1';
  position(state: S): Position;
  /**
   * Plies since the last capture or man move (version 1's 40-move rule); 0 where the state does not count
   * them (a standard Position: the search takes the count from the game's history, Searcher.search's third argument).
   */
  quietPlies(state: S): number;
  /** The move as from bit, to bit and the bits it captures. */
  squares(move: M): readonly [from: number, to: number, captured: number];
  /** The result if the game is over, seen from `position(state).turn` being the side that cannot move on. */
  result(state: S): GameResult | undefined;
  moves(state: S): M[];
  /** Every state that can follow the move, each equally likely. */
  play(state: S, move: M): S[];
  /** Captures pending for the side to move: the position is not quiet, so the search looks further. */
  noisy(state: S): boolean;
  /** How many pieces the move takes, for move ordering. */
  captures(move: M): number;
  /** A number naming the move by its squares (from * 32 + to), for the history heuristic. */
  key(move: M): number;
}

export const STANDARD_RULES: SearchRules<Position, Move> = {
  kind: 'standard',
  position: (state) => state,
  quietPlies: () => 0,
  squares: (move) => [move.from, move.path[move.path.length - 1] ?? move.from, move.captured],
  result: standardResult,
  moves: legalMoves,
  play: (state, move) => [applyMove(state, move)],
  noisy: (state) => hasJump(state, state.turn),
  captures: (move) => bitCountOf(move.captured),
  key: (move) => move.from * 32 + (move.path[move.path.length - 1] ?? move.from),
};

export interface V1Step {
  readonly from: number;
  readonly to: number;
  readonly direction: Direction;
}

/** Version 1: the player only steps; every jump after it is the referee's, already played out in each outcome. */
export const V1_RULES: SearchRules<V1Game, V1Step> = {
  kind: 'v1',
  position: (state) => state.position,
  quietPlies: (state) => state.quietPlies,
  squares: (move) => [move.from, move.to, 0],
  result: (state) => state.result,
  moves: legalSteps,
  play: (state, move) => allStepOutcomes(state, move.from, move.direction),
  noisy: () => false,
  captures: () => 0,
  key: (move) => move.from * 32 + move.to,
};

function bitCountOf(bits: number): number {
  let count = 0;
  for (let rest = bits >>> 0; rest !== 0; rest &= rest - 1) count++;
  return count;
}

/** Material left on the board, for the evaluation's endgame terms. */
export function totalPieces(position: Position): number {
  return bitCountOf(piecesOf(position, 0)) + bitCountOf(piecesOf(position, 1));
}
