/** What every endgame table set offers the search. */
export interface EndgameProbe {
  /** The most pieces of any position covered. */
  readonly maxPieces: number;
  /**
   * Positions of at most this many pieces have exact values: their wins and
   * losses carry the distance to the end (solve.ts's coding). Bigger ones
   * are win, draw or loss only (0: none is exact).
   */
  readonly exactPieces: number;
  /** solve.ts's value code for the side to move, or -1 when nothing covers the position. */
  probe(black: number, white: number, kings: number, turn: number): number;
}
