import type { Position } from '../position.js';
import { evaluateBoard, KING_VALUE, MAN_VALUE } from './board.js';

/** Centipawn-like units: a man is worth 100. */
export const MAN = MAN_VALUE;
export const KING = KING_VALUE;

/**
 * A static score of a quiet position for the side to move: material (a king
 * 136), men's advancement (4 a row, 3 more from the sixth row on), back-rank
 * guard (21 a man while the opponent has men to crown), mobility (1 a square
 * reachable in one step), central kings (3), and the endgame rule that the
 * side ahead should trade down (an advantage counts for more as the board
 * empties). The weights are board.ts DEFAULT_WEIGHTS, tuned by bench/tune.ts.
 */
export function evaluate(position: Position): number {
  return evaluateBoard(position.black | 0, position.white | 0, position.kings | 0, position.turn);
}
