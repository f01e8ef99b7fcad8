import type { Position } from '../../game/position.js';
import type { Termination } from '../../game/termination.js';
import type { TimeControl } from '../../protocol/v2-values.js';
import type { Rating } from './rating.js';

/*
 * A game as the server's rooms speak of it: the match that plays it, the
 * stores that keep it and the web gateway that shows it (mapping it to the
 * API's JSON in web/api/). Types and pure rules only; nothing here knows
 * SQL, HTTP or the wire.
 */

/** Black moves first (the version-1 first player). */
export type Side = 'black' | 'white';
export type GameWinner = Side | 'draw' | 'abandoned';

/**
 * The rule set a game was played under: `v1` (protocol version 1: the server
 * plays captures) or `standard` (protocol version 2: English draughts, the
 * player chooses the path). Each has its own rating.
 */
export type Rules = 'v1' | 'standard';

/** A Fischer time control in whole seconds (the wire's, protocol/v2-values.ts); 0 and 0 is no clock (the server's move timeout applies). */
export type { TimeControl };

/** Every version-1 game, and a version-2 game played without a clock. */
export const NO_CLOCK: TimeControl = { initialSeconds: 0, incrementSeconds: 0 };

/** How a game ended (the one list: src/game/termination.ts). */
export type { Termination };

export interface GamePlayer {
  readonly accountId: number;
  readonly name: string;
  /** The rating of the game's rules (recordFor) before and after the game. */
  readonly before: Rating;
  readonly after: Rating;
}

export interface FinishedGame {
  readonly black: GamePlayer;
  readonly white: GamePlayer;
  readonly winner: GameWinner;
  readonly termination: Termination;
  /** One entry per turn in standard notation, Black's first. */
  readonly moves: readonly string[];
  readonly startedAt: Date;
  readonly endedAt: Date;
  /**
   * Absent: `v1`. A `standard` game changes the players' standard ratings and
   * counts (Account.standard), a `v1` game the version-1 ones.
   */
  readonly rules?: Rules;
  /** Absent: NO_CLOCK. */
  readonly timeControl?: TimeControl;
  /**
   * Games with a clock: the mover's time left (ms, its increment added) after
   * each of the last `moveClocks.length` moves (a ballot's moves, and moves
   * before a restart, have none); absent or empty: none known.
   */
  readonly moveClocks?: readonly number[];
}

/** A player of a stored finished game: the name it had then and the ratings (no deviation) around the game. */
export interface StoredGameSide {
  readonly name: string;
  readonly ratingBefore: number;
  readonly ratingAfter: number;
}

/** A finished game as read back from the store. */
export interface StoredGame extends Omit<FinishedGame, 'black' | 'white' | 'rules' | 'timeControl'> {
  readonly id: number;
  readonly black: StoredGameSide;
  readonly white: StoredGameSide;
  readonly rules: Rules;
  readonly timeControl: TimeControl;
}

export interface LiveSeat {
  readonly accountId: number;
  readonly name: string;
  /** The rating of the game's rules before the game. */
  readonly rating: Rating;
}

/** A game in progress as stored after every accepted move, so it survives a restart. */
export interface LiveGame {
  readonly id: number;
  readonly black: LiveSeat;
  readonly white: LiveSeat;
  readonly position: Position;
  readonly quietPlies: number;
  readonly lastMove: number;
  readonly moves: readonly string[];
  readonly startedAt: Date;
  /** Absent: `v1`. */
  readonly rules?: Rules;
  /** Absent: NO_CLOCK. */
  readonly timeControl?: TimeControl;
  /**
   * Each player's time left on the Fischer clock, as read at `at`; absent
   * without a clock.
   */
  readonly clocks?: { readonly blackMs: number; readonly whiteMs: number; readonly at: Date };
  /**
   * Cluster only: the fencing token of the node that referees the game (see
   * `GameStore.commit`); undefined on one node, whose writes are never fenced.
   */
  readonly fence?: number;
  /** Absent: rated (every queue game is); false: a casual game, which changes no rating. */
  readonly rated?: boolean;
  /** A game against the computer: the level it plays at (1-10), so that it resumes at it after a restart. */
  readonly botLevel?: number;
}

/** What one finished game adds to a player's counts: 0 or 1 each. */
export interface CountsAdded {
  readonly games: 0 | 1;
  readonly wins: 0 | 1;
  readonly losses: 0 | 1;
  readonly draws: 0 | 1;
}

/**
 * How a game counts for the player on `side`: an abandoned game (storage
 * outage, shutdown) counts for nobody; every other one is a game and a win,
 * a loss or a draw.
 */
export function countsAdded(winner: GameWinner, side: Side): CountsAdded {
  if (winner === 'abandoned') return { games: 0, wins: 0, losses: 0, draws: 0 };
  if (winner === 'draw') return { games: 1, wins: 0, losses: 0, draws: 1 };
  return winner === side ? { games: 1, wins: 1, losses: 0, draws: 0 } : { games: 1, wins: 0, losses: 1, draws: 0 };
}
