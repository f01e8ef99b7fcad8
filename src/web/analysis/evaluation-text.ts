import { isDatabaseResult, isDecided, pliesToEnd } from '../../game/engine/analysis.js';
import { BLACK, type Color } from '../../game/position.js';

/*
 * How the pages show the engine's scores, pure. Every evaluation a player
 * sees is from Black's side (Black moves first): + favours Black, - White,
 * in men (1.00 is a man). A proven result is "Black wins in N" (N plies);
 * a win the endgame databases know but the search has not proven, "Black
 * wins (endgame database)".
 */

/** The graph's and the mistake rules' scale: a proven win counts as this, estimates are clipped to it. */
export const DECIDED_VALUE = 1000;

export interface ShownEvaluation {
  /** For `data-eval`: hundredths of a man from Black's side (`+37`, `-120`, `0`), or `#13` / `#-13` for a win in 13 plies. */
  readonly attribute: string;
  /** For people: `+0.37`, `Black wins in 13`. */
  readonly text: string;
  /** From Black's side, clipped to ±DECIDED_VALUE: what the graph draws and the mistake rules compare. */
  readonly value: number;
}

/** A score from the side to move's view, as shown. */
export function showEvaluation(score: number, turn: Color): ShownEvaluation {
  const black = (turn === BLACK ? score : -score) + 0;
  const plies = pliesToEnd(black);
  if (isDecided(black) && plies !== undefined) {
    const winner = black > 0 ? 'Black' : 'White';
    return {
      attribute: `#${black > 0 ? '' : '-'}${plies}`,
      text: plies === 0 ? `${winner} has won` : `${winner} wins in ${plies}`,
      value: black > 0 ? DECIDED_VALUE : -DECIDED_VALUE,
    };
  }
  const rounded = Math.round(black);
  if (isDatabaseResult(black)) {
    return {
      attribute: rounded > 0 ? `+${rounded}` : String(rounded),
      text: `${black > 0 ? 'Black' : 'White'} wins (endgame database)`,
      value: black > 0 ? DECIDED_VALUE : -DECIDED_VALUE,
    };
  }
  return {
    attribute: rounded > 0 ? `+${rounded}` : String(rounded),
    text: `${rounded > 0 ? '+' : rounded < 0 ? '−' : ''}${(Math.abs(rounded) / 100).toFixed(2)}`,
    value: Math.max(-DECIDED_VALUE, Math.min(DECIDED_VALUE, rounded)),
  };
}

export type MoveQuality = 'good' | 'mistake' | 'blunder';

/** A loss (for the side that moved) of this much or more is a mistake: nearly half a man. */
export const MISTAKE_LOSS = 40;
/** A loss of this much or more is a blunder: most of a man, or a won game let go (a proven win counts as DECIDED_VALUE). */
export const BLUNDER_LOSS = 90;

/**
 * How a move is marked: by how much it lowered the mover's evaluation,
 * `before` and `after` being values from Black's side (ShownEvaluation.value).
 */
export function moveQuality(before: number, after: number, mover: Color): { loss: number; quality: MoveQuality } {
  const loss = mover === BLACK ? before - after : after - before;
  return { loss, quality: loss >= BLUNDER_LOSS ? 'blunder' : loss >= MISTAKE_LOSS ? 'mistake' : 'good' };
}
