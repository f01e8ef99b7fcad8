/**
 * How a game ended, the one list every layer names it by: the endings on the
 * board (result.ts), the clocks', and the server's (a player gone, storage
 * down). The server's domain (src/server/domain/games.ts) and the community
 * API's JSON (src/common/api-types.ts) both take their type from here; it
 * lives in the pure game layer because both may import it and neither may
 * import the other.
 */
export const TERMINATIONS = [
  'no-pieces',
  'no-moves',
  'forty-move-rule',
  'logout',
  'disconnect',
  'protocol-error',
  'move-clock',
  'both-away',
  'server-shutdown',
  'storage-outage',
  /** The player's account was removed (`user remove`) while they played: a forfeit. */
  'account-removed',
  /* Standard-rules (version-2) games only: */
  'resignation',
  'draw-agreed',
  'threefold-repetition',
  /** A Fischer clock reached zero: the player whose clock it was lost. */
  'out-of-time',
] as const;

/** How a game ended. */
export type Termination = (typeof TERMINATIONS)[number];
