import type { Position } from '../../game/position.js';
import type { Rating } from '../rating.js';

/** Black moved first (the version-1 first player). */
export type Side = 'black' | 'white';
export type GameWinner = Side | 'draw' | 'abandoned';

/** How a game ended. */
export type Termination =
  | 'no-pieces'
  | 'no-moves'
  | 'forty-move-rule'
  | 'logout'
  | 'disconnect'
  | 'protocol-error'
  | 'move-clock'
  | 'both-away'
  | 'server-shutdown'
  /** The player's account was removed (`user remove`) while they played: a forfeit. */
  | 'account-removed';

export interface Account {
  readonly id: number;
  readonly name: string;
  readonly passwordHash: string;
  readonly rating: Rating;
  readonly games: number;
  readonly wins: number;
  readonly losses: number;
  readonly draws: number;
}

export interface GamePlayer {
  readonly accountId: number;
  readonly name: string;
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
}

export interface StoredGame extends Omit<FinishedGame, 'black' | 'white'> {
  readonly id: number;
  readonly black: { readonly name: string; readonly ratingBefore: number; readonly ratingAfter: number };
  readonly white: { readonly name: string; readonly ratingBefore: number; readonly ratingAfter: number };
}

export interface LiveSeat {
  readonly accountId: number;
  readonly name: string;
  /** The rating before the game. */
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
}

/**
 * Accounts, ratings and finished games. Synchronous: the embedded SQLite
 * store answers in microseconds, and one shape keeps callers simple.
 */
export interface Store {
  findAccount(name: string): Account | undefined;
  createAccount(name: string, passwordHash: string, rating?: Rating): Account;
  /** Creates all accounts in one transaction; throws (creating none) if any name exists. A missing rating is the default. */
  createAccounts(accounts: ReadonlyArray<{ name: string; passwordHash: string; rating?: Rating }>): void;
  setPassword(name: string, passwordHash: string): boolean;
  removeAccount(name: string): boolean;
  listAccounts(): Account[];
  /**
   * Stores the game and both players' new ratings and counts in one
   * transaction, removing the live game `liveId` in the same transaction.
   */
  recordGame(game: FinishedGame, liveId?: number): number;
  /** Inserts or updates these games in progress, all in one transaction. */
  saveLiveGames(games: readonly LiveGame[]): void;
  loadLiveGames(): LiveGame[];
  /** The largest live game id in use, 0 if none. */
  maxLiveGameId(): number;
  listGames(filter?: { user?: string }): StoredGame[];
  /** Which of these account ids no longer exist (removed by another process). */
  removedAccounts(ids: readonly number[]): number[];
  close(): void;
}
