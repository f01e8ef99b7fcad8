import { GameOverReason } from '../../protocol/index.js';
import type { GamePlayer, GameWinner } from '../domain/games.js';
import type { Seat } from './seat.js';
import type { TimeControl } from './time-control.js';

/** How a version-2 game ended. */
export type StandardTermination =
  | 'no-pieces'
  | 'no-moves'
  | 'resignation'
  | 'draw-agreed'
  | 'forty-move-rule'
  | 'threefold-repetition'
  | 'out-of-time'
  | 'disconnect'
  | 'logout'
  | 'protocol-error'
  | 'account-removed'
  | 'move-clock'
  /** Ends without a winner, a rating change or a message (as in version 1): */
  | 'server-shutdown'
  | 'storage-outage'
  | 'both-away';

/** A player leaves a game they are losing by leaving: the opponent wins. */
export type ForfeitReason = 'disconnect' | 'logout' | 'protocol-error' | 'account-removed';
/** The game stops for everybody: nobody wins, no rating changes, nobody is told by the match. */
export type AbandonReason = 'server-shutdown' | 'storage-outage' | 'both-away';

/**
 * The GameOver2 reason of each termination (docs/PROTOCOL.md, version 2). A
 * protocol error closes the offender's connection like a drop does, so the
 * opponent hears 6 ("did not come back"). Abandoned games send no GameOver2.
 */
export const GAME_OVER_REASON: { readonly [T in StandardTermination]: number | undefined } = {
  'no-pieces': GameOverReason.NoMoves,
  'no-moves': GameOverReason.NoMoves,
  resignation: GameOverReason.Resignation,
  'draw-agreed': GameOverReason.DrawAgreed,
  'forty-move-rule': GameOverReason.FortyMoveRule,
  'threefold-repetition': GameOverReason.ThreefoldRepetition,
  'out-of-time': GameOverReason.OutOfTime,
  disconnect: GameOverReason.OpponentGone,
  'protocol-error': GameOverReason.OpponentGone,
  logout: GameOverReason.OpponentLoggedOut,
  'account-removed': GameOverReason.AccountRemoved,
  'move-clock': GameOverReason.MoveClock,
  'server-shutdown': undefined,
  'storage-outage': undefined,
  'both-away': undefined,
};

/** A path as it was played, to store with the game in progress. */
export interface PlayedPath {
  readonly seat: Seat;
  /** Standard notation: "11-15", "22x15", "13x22x31". */
  readonly text: string;
  /** Both clocks just after the move (the increment added), Black's first; 0 in a game without a clock. */
  readonly clocksMs: readonly [number, number];
}

/** A finished version-2 game, to store (and to rate its players by) in the same transaction. */
export interface StandardFinishedGame {
  readonly rules: 'standard';
  readonly gameId: number;
  readonly control: TimeControl;
  readonly rated: boolean;
  /** `before`/`after` are the standard ratings (equal when unrated or abandoned). */
  readonly black: GamePlayer;
  readonly white: GamePlayer;
  readonly winner: GameWinner;
  readonly termination: StandardTermination;
  /** One entry per move in standard notation, Black's first. */
  readonly moves: readonly string[];
  /** Both clocks when the game ended, Black's first. */
  readonly clocksMs: readonly [number, number];
  /** With a clock: the mover's time left after each of the last moves (FinishedGame.moveClocks). */
  readonly moveClocks?: readonly number[];
  readonly startedAt: Date;
  readonly endedAt: Date;
}
