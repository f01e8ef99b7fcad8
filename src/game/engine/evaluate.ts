import type { Position } from '../position.js';
import { evaluateBoard, KING_VALUE, MAN_VALUE } from './board.js';

/** Centipawn-like units: a man is worth 100. */
export const MAN = MAN_VALUE;
export const KING = KING_VALUE;

/**
 * A static score of a quiet position for the side to move: material, men's
 * advancement (3 a row, 6 more from the sixth row on), back-rank guard (8 a
 * man while the opponent has men to crown), mobility (2 a square reachable in
 * one step), central kings (5), and the endgame rule that the side ahead
 * should trade down (an advantage counts for more as the board empties).
 */
export function evaluate(position: Position): number {
  return evaluateBoard(position.black | 0, position.white | 0, position.kings | 0, position.turn);
}
