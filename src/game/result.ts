import type { Color } from './position.js';

export type EndReason = 'no-pieces' | 'no-moves' | 'forty-move-rule';

/** How a game ended on the board. A null winner is a draw. */
export interface GameResult {
  readonly winner: Color | null;
  readonly reason: EndReason;
}

/** 40 moves by each side with no capture and no man moved (PROTOCOL.md section 5). */
export const QUIET_PLIES_FOR_DRAW = 80;
