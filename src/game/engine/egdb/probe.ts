/** What every endgame table set offers the search. */
export interface EndgameProbe {
  /** The most pieces of any position covered. */
  readonly maxPieces: number;
  /** True: wins and losses carry their distance to the end (solve.ts's coding); false: win, draw or loss only. */
  readonly exact: boolean;
  /** solve.ts's value code for the side to move, or -1 when nothing covers the position. */
  probe(black: number, white: number, kings: number, turn: number): number;
}
