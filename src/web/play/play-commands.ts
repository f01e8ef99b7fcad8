import type { Move } from '../../game/standard.js';
import type { ClockReading } from './clock.js';
import type { FriendsView } from './friends.js';
import type { GameOptions } from './game-choices.js';
import type { PlaySnapshot, ShownPly } from './play-session.js';
import type { DrawState, RematchState } from './standard-game.js';
import type { TimeControl } from './time-controls.js';

/**
 * What the play page needs from a session, whichever protocol version it
 * speaks: version 2 (StandardSession: clocks, draws, rematch, capture paths)
 * or version 1 (PlaySession, for a server that offers only version 1).
 */
export interface StandardInfo {
  readonly clocks: ClockReading | undefined;
  readonly timeControl: TimeControl;
  readonly rated: boolean;
  readonly draw: DrawState;
  readonly mayOfferDraw: boolean;
  readonly rematch: RematchState;
  /** Whether the opponent's connection is down (they may still come back). */
  readonly opponentAway: boolean;
  /** A game this page asked the computer for: it offers no rematch (the house bot never agrees to one). */
  readonly againstComputer: boolean;
  readonly hints: HintInfo;
}

/** Hints, in casual games against the computer only. */
export interface HintInfo {
  readonly allowed: boolean;
  /** A Hint is sent and not yet answered. */
  readonly asking: boolean;
  /** The move the last hint suggests, until this player moves. */
  readonly move: Move | undefined;
  /** Hints given in this game. */
  readonly used: number;
}

export interface PlayView extends PlaySnapshot {
  readonly version: 1 | 2;
  /** One line about the connection, e.g. that the server speaks only version 1. */
  readonly notice: string | undefined;
  /** Version 2 only: clocks, draw and rematch state of the game shown. */
  readonly standard: StandardInfo | undefined;
  /** The time control chosen for the queue (version 2). */
  readonly timeControl: TimeControl | undefined;
  /** The time controls the player may choose from (version 2; none in version 1). */
  readonly timeControls: readonly TimeControl[];
  /** A PlayComputer waits for its answer (version 2). */
  readonly askingComputer: boolean;
  /** Logged in as a guest (version 2): casual games against the computer and friends only. */
  readonly guest: boolean;
  /** Colour, opening and rated for games against the computer and friends (version 2). */
  readonly options: GameOptions;
  /** Challenges and invite links (version 2; undefined in version 1). */
  readonly friends: FriendsView | undefined;
}

export type PlayListener = (view: PlayView, plies: readonly ShownPly[]) => void;

export interface PlayCommands {
  subscribe(listener: PlayListener): () => void;
  /** On page load: logs in again with what this browser kept, if anything. Returns whether it tries. */
  resume(): boolean;
  login(username: string, password: string): void;
  logOut(): void;
  /** Whether logging out now forfeits a game (the page asks first). */
  logoutForfeits(): boolean;
  chooseTimeControl(control: TimeControl): void;
  /** From the lobby or after a game: into the queue (with the chosen time control in version 2). */
  joinQueue(): void;
  leaveQueue(): void;
  /** Plays a legal move picked on the board; returns why not when it cannot be sent. */
  play(move: Move): string | undefined;
  /** Plays a typed move ("11-15", "13x22x31"); returns why not when it cannot be played. */
  moveText(text: string): string | undefined;
  resign(): void;
  offerDraw(): void;
  answerDraw(accept: boolean): void;
  rematch(): void;
  /**
   * From the lobby or after a game (version 2): a game against the computer at `level` 1-10, with the
   * chosen time control and options; logged out, as a guest.
   */
  playComputer(level: number): void;
  /** Version 2: colour, opening, rated for the computer and friends. */
  chooseOptions(options: Partial<GameOptions>): void;
  /** Version 2: log in as a guest (a name the server makes; casual games only). */
  playAsGuest(): void;
  /** Version 2: an invite link with the chosen time control and options; logged out, as a guest. */
  createInvite(): void;
  /** Version 2: accept the invite of the link `/invite/<code>` (once logged in, when logged out). */
  joinInvite(code: string): void;
  challenge(opponent: string): void;
  answerChallenge(id: number, accept: boolean): void;
  /** Withdraws this player's open challenge or invite. */
  withdrawOffer(): void;
  /** Asks the computer for the best move (casual games against it only). */
  hint(): void;
}
