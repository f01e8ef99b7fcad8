import type { GameWinner, Standing, StandingsList, Termination } from '../../common/api-types.js';
import type { Position } from '../../game/position.js';
import type { Rating } from '../rating.js';

export type { GameWinner, Side, Standing, StandingsList, Termination } from '../../common/api-types.js';

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
  /**
   * Cluster only: the fencing token of the node that referees the game (see
   * `Store.commit`); undefined on one node, whose writes are never fenced.
   */
  readonly fence?: number;
}

/**
 * Who is ranked in the standings: a rating means something after a few games
 * and once its deviation has come down. Everyone else is listed apart, as
 * provisional (a new account starts at deviation 350; about eight games
 * against established players bring it under 150).
 */
export const STANDINGS_RULE = { minGames: 5, maxDeviation: 150 } as const;

/** Whether a player with these counts is ranked by STANDINGS_RULE (the stores' SQL says the same). */
export function isRanked(games: number, deviation: number): boolean {
  return games >= STANDINGS_RULE.minGames && deviation <= STANDINGS_RULE.maxDeviation;
}

/** A player's rating after one rated game (abandoned games change no rating and have no point). */
export interface RatingPoint {
  readonly gameId: number;
  readonly endedAt: Date;
  readonly before: number;
  readonly after: number;
}

/** A game in progress by its id and its players' account ids. */
export interface LiveGameRef {
  readonly id: number;
  readonly blackId: number;
  readonly whiteId: number;
}

/** A finished game to record, and the game in progress it replaces. */
export interface GameRecord {
  readonly game: FinishedGame;
  readonly liveId?: number;
  /** Cluster only: the referee's fencing token for game `liveId` (see `Store.commit`). */
  readonly fence?: number;
}

/** What a commit did not write: the games another node has taken over (see `Store.commit`). */
export interface CommitResult {
  readonly fenced: readonly number[];
}

/** Everything one turn of the event loop changed, written in one transaction. */
export interface TurnWrites {
  readonly live: readonly LiveGame[];
  readonly finished: readonly GameRecord[];
}

/** A commit that fenced nothing off. */
export const NOTHING_FENCED: CommitResult = { fenced: [] };

/** The fencing tokens a commit carries, one per game (the largest), by id: the order in which rows are locked. */
export function fencesOf(writes: TurnWrites): { id: number; fence: number }[] {
  const byId = new Map<number, number>();
  const add = (id: number, fence: number) => byId.set(id, Math.max(fence, byId.get(id) ?? fence));
  for (const game of writes.live) if (game.fence !== undefined) add(game.id, game.fence);
  for (const { liveId, fence } of writes.finished) if (liveId !== undefined && fence !== undefined) add(liveId, fence);
  return [...byId].sort(([a], [b]) => a - b).map(([id, fence]) => ({ id, fence }));
}

/** A whole database, with the ids and creation times a copy keeps: what a migration between stores moves. */
export interface DatabaseContents {
  readonly accounts: ReadonlyArray<Account & { readonly createdAt: Date }>;
  /** Finished games with their players' account ids (null for a removed account). */
  readonly games: ReadonlyArray<StoredGame & { readonly blackId: number | null; readonly whiteId: number | null }>;
  readonly live: readonly LiveGame[];
}

/**
 * Accounts, ratings and finished games. Asynchronous, so that a store across
 * the network (PostgreSQL) fits the same seam as the embedded SQLite one,
 * whose methods answer at once. Any method may reject when storage fails
 * (disk full, locked, read-only, unreachable...): callers that write on
 * behalf of players go through TurnBatch, which holds the replies and
 * retries; run-time reads fall back on what the server holds in memory.
 */
export interface Store {
  /**
   * The shortest time between two commits worth waiting for (TurnBatch's
   * minCommitIntervalMs): absent for an embedded store, whose commits cost no
   * round trip.
   */
  readonly commitIntervalMs?: number;
  findAccount(name: string): Promise<Account | undefined>;
  createAccount(name: string, passwordHash: string, rating?: Rating): Promise<Account>;
  /** Creates all accounts in one transaction; rejects (creating none) if any name exists. A missing rating is the default. */
  createAccounts(accounts: ReadonlyArray<{ name: string; passwordHash: string; rating?: Rating }>): Promise<void>;
  setPassword(name: string, passwordHash: string): Promise<boolean>;
  removeAccount(name: string): Promise<boolean>;
  listAccounts(): Promise<Account[]>;
  /**
   * Stores the game and both players' new ratings and counts in one
   * transaction, removing the live game `liveId` in the same transaction.
   */
  recordGame(game: FinishedGame, liveId?: number): Promise<number>;
  /** Inserts or updates these games in progress, all in one transaction. */
  saveLiveGames(games: readonly LiveGame[]): Promise<void>;
  /**
   * Records the finished games (ratings, counts, removing their live rows) and
   * saves the games in progress, all in one transaction: all or nothing. It
   * resolves once the transaction is durable (as far as the store's
   * durability setting promises); TurnBatch never has two commits in flight.
   *
   * Fencing (cluster): a write carrying a fencing token (`LiveGame.fence`,
   * `GameRecord.fence` with its `liveId`) is made only if no larger token
   * was stored for that game; the token is then stored (table game_fences,
   * whose rows stay after the game ends, so that a stale referee can never
   * bring a finished game back). Writes of games fenced off are skipped in
   * the same transaction (no live row, no finished game, no rating change)
   * and their ids returned; the rest of the commit is written.
   */
  commit(writes: TurnWrites): Promise<CommitResult>;
  /**
   * Cluster: a node that took a game over stores its token before reading
   * the game, so that no write of the previous referee lands after that
   * read. Returns the ids already fenced by a larger token.
   */
  fenceGames(games: readonly { readonly id: number; readonly fence: number }[]): Promise<number[]>;
  /** The largest fencing token stored, 0 if none: a Redis that lost its data hands out larger ones. */
  maxFence(): Promise<number>;
  /** After a commit failed because the database file was deleted: rewrites it from the open database, if the store can. */
  restoreDeletedFile?(): Promise<boolean>;
  /** Games in progress as last committed, by id; only those with these ids when `ids` is given. */
  loadLiveGames(ids?: readonly number[]): Promise<LiveGame[]>;
  /**
   * Which games are in progress and who plays them, without positions or
   * moves, by id; with `page`, at most `limit` of them with an id above `after`.
   */
  liveGameRefs(page?: { readonly after: number; readonly limit: number }): Promise<LiveGameRef[]>;
  /** The largest live game id in use, 0 if none. */
  maxLiveGameId(): Promise<number>;
  listGames(filter?: { user?: string }): Promise<StoredGame[]>;
  /** One page of the standings list `list` (see STANDINGS_RULE), best rating first, and how long the list is. */
  standings(list: StandingsList, limit: number, offset: number): Promise<{ total: number; players: Standing[] }>;
  /** The account's place in the ranked standings, undefined when it is provisional. */
  rankOf(accountId: number): Promise<number | undefined>;
  /** The account's last `limit` rated games as rating points, oldest first. */
  ratingHistory(accountId: number, limit: number): Promise<RatingPoint[]>;
  /**
   * Finished games newest first (highest id first): those of `accountId` if
   * given, with an id below `before` if given, at most `limit`.
   */
  gamesPage(page: { accountId?: number; before?: number; limit: number }): Promise<StoredGame[]>;
  findGame(id: number): Promise<StoredGame | undefined>;
  /** Games in progress as last committed, oldest first, and how many there are. */
  liveGamesPage(limit: number, offset: number): Promise<{ total: number; games: LiveGame[] }>;
  /** Which of these account ids no longer exist (removed by another process). */
  removedAccounts(ids: readonly number[]): Promise<number[]>;
  close(): void;
}
