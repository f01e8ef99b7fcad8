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
  | 'server-shutdown';

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

/**
 * Accounts, ratings and finished games. Synchronous: the embedded SQLite
 * store answers in microseconds, and one shape keeps callers simple.
 */
export interface Store {
  findAccount(name: string): Account | undefined;
  createAccount(name: string, passwordHash: string, rating?: Rating): Account;
  /** Creates all accounts in one transaction; throws (creating none) if any name exists. */
  createAccounts(accounts: ReadonlyArray<{ name: string; passwordHash: string }>): void;
  setPassword(name: string, passwordHash: string): boolean;
  removeAccount(name: string): boolean;
  listAccounts(): Account[];
  /** Stores the game and both players' new ratings and counts in one transaction. */
  recordGame(game: FinishedGame): number;
  listGames(filter?: { user?: string }): StoredGame[];
  close(): void;
}
