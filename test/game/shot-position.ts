/** White to move: 27-23 gives a man (19x26, forced) and takes three back (31x22x13x6); every other move is worse. */
export const SHOT_FEN = 'W:W18,25,27,28,31:B9,12,16,17,19';
