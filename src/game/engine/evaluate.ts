import type { Position } from '../position.js';
import { evaluateBoard, KING_VALUE, MAN_VALUE } from './board.js';

/** Centipawn-like units: a man is worth 100. */
export const MAN = MAN_VALUE;
export const KING = KING_VALUE;

/**
 * A static score of a quiet position for the side to move: material (a king
 * 145), men's advancement (2 a row, 7 more from the sixth row on), back-rank
 * guard (10 a man) and the bridge (31) while the opponent has men to crown,
 * mobility (7 a square a man can step to), central kings (1), men in the
 * centre (-6) and on the side squares (-2), men backed by their own pieces
 * (5 a diagonal), a capture the opponent threatens (-10), and the endgame
 * rule that the side ahead should trade down (an advantage counts for more
 * as the board empties). The weights are board.ts DEFAULT_WEIGHTS, tuned by
 * bench/tune.ts.
 */
export function evaluate(position: Position): number {
  return evaluateBoard(position.black | 0, position.white | 0, position.kings | 0, position.turn);
}
