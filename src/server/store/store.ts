import type { FinishedGame, LiveGame, Rules, StoredGame } from '../domain/games.js';
import type { Account, RatingPoint, Standing, StandingsList } from '../domain/players.js';
import type { Rating } from '../domain/rating.js';

/*
 * The store's seam, cut by who uses it: the games (the turn batch and the
 * game service), the accounts (logins, sign-up, password changes), the
 * community's reads (the web API) and the operator's tasks (the CLI). Each
 * caller takes the narrowest role it needs; the SQLite and PostgreSQL stores
 * implement all of them (`Store`) and share one contract test suite.
 *
 * Asynchronous, so that a store across the network (PostgreSQL) fits the
 * same seam as the embedded SQLite one, whose methods answer at once. Any
 * method may reject when storage fails (disk full, locked, read-only,
 * unreachable...): callers that write on behalf of players go through
 * TurnBatch, which holds the replies and retries; run-time reads fall back
 * on what the server holds in memory.
 */

/** A failure the operator can fix; its message says how. */
export class StoreError extends Error {}

/**
 * What a commit promises. `full`: every commit is made durable (SQLite:
 * fsynced) before the replies it holds go out, so an answered move survives a
 * power loss. `normal`: fewer flushes; a commit survives a crash of the server
 * (kill -9) but the last commits may be lost if the machine loses power.
 */
export type Durability = 'full' | 'normal';
export const DEFAULT_DURABILITY: Durability = 'full';

/** A game in progress by its id and its players' account ids. */
export interface LiveGameRef {
  readonly id: number;
  readonly blackId: number;
  readonly whiteId: number;
}

/** A finished game to write, and the game in progress it replaces. */
export interface GameRecord {
  readonly game: FinishedGame;
  readonly liveId?: number;
  /** Cluster only: the referee's fencing token for game `liveId` (see `GameStore.commit`). */
  readonly fence?: number;
}

/** What a commit did not write: the games another node has taken over (see `GameStore.commit`). */
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

/** The games: what the turn batch commits and the game service reads back (at start, and on a cluster takeover). */
export interface GameStore {
  /**
   * The shortest time between two commits worth waiting for (TurnBatch's
   * minCommitIntervalMs): absent for an embedded store, whose commits cost no
   * round trip.
   */
  readonly commitIntervalMs?: number;
  /**
   * Records the finished games (ratings, counts, removing their live rows) and
   * saves the games in progress, all in one transaction: all or nothing. A
   * finished game's `rules` says which rating it changes: a `standard` game
   * the players' standard ratings and counts (Account.standard), any other the
   * version-1 ones; its time control is stored with it. It
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
   * Stores the game and both players' new ratings and counts in one
   * transaction, removing the live game `liveId` in the same transaction:
   * one game outside a turn's commit (tools and tests; the server commits).
   */
  recordGame(game: FinishedGame, liveId?: number): Promise<number>;
  /** Inserts or updates these games in progress, all in one transaction (as `commit` with no finished game). */
  saveLiveGames(games: readonly LiveGame[]): Promise<void>;
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
}

/** A resume token as stored: only the SHA-256 hash of the token is kept, with its account and expiry. */
export interface StoredResumeToken {
  readonly accountId: number;
  readonly expiresAt: Date;
}

/**
 * The resume tokens one account may hold at once: a password login adds one,
 * and adding one more drops the account's token that expires first (the one
 * unused the longest), so that logging in again and again cannot grow the table.
 */
export const MAX_RESUME_TOKENS_PER_ACCOUNT = 20;

/** The accounts as logins, sign-up and password changes use them. */
export interface AccountStore {
  /** The account named `name` in any case (the exact spelling first, should an old database hold both). */
  findAccount(name: string): Promise<Account | undefined>;
  /** `guest`: the account of a guest (Account.guest). Rejects (StoreError) if the name is taken in any case. */
  createAccount(
    name: string,
    passwordHash: string,
    rating?: Rating,
    options?: { readonly guest?: boolean },
  ): Promise<Account>;
  /**
   * Changes the password and revokes every resume token of the account, in
   * one transaction. `keepResumeTokens`: a rehash of the same password (at a
   * new cost), which must leave the sessions' tokens alone.
   */
  setPassword(name: string, passwordHash: string, options?: { readonly keepResumeTokens?: boolean }): Promise<boolean>;
  /** Which of these account ids no longer exist (removed by another process). */
  removedAccounts(ids: readonly number[]): Promise<number[]>;
  /**
   * Stores a resume token's hash (hex SHA-256, see accounts/resume-token.ts)
   * for account `accountId`, valid until `expiresAt`; drops the account's
   * tokens expired at `now`, and the oldest beyond MAX_RESUME_TOKENS_PER_ACCOUNT.
   * False (nothing stored) if the account no longer exists.
   */
  addResumeToken(accountId: number, tokenHash: string, expiresAt: Date, now: Date): Promise<boolean>;
  /** The token with this hash if it is stored and still valid at `now`: an expired or revoked one is undefined. */
  findResumeToken(tokenHash: string, now: Date): Promise<StoredResumeToken | undefined>;
  /** Moves a token's expiry to `expiresAt`, if it is still valid at `now`; false if it is not (expired or revoked). */
  renewResumeToken(tokenHash: string, now: Date, expiresAt: Date): Promise<boolean>;
  /** Revokes one token (a LogOut); false if it was not stored. */
  revokeResumeToken(tokenHash: string): Promise<boolean>;
  /** Revokes every token of the account; how many there were. (`removeAccount` and `setPassword` do it themselves.) */
  revokeResumeTokens(accountId: number): Promise<number>;
}

/** What the community pages read (the web API): standings, profiles, finished games, games in progress. */
export interface CommunityStore {
  /** A player by name, in any case (as AccountStore.findAccount): whose profile or games are asked for. */
  findAccount(name: string): Promise<Account | undefined>;
  /**
   * One page of the standings list `list` (see STANDINGS_RULE) of the rating
   * of `rules` (default `v1`), best rating first, and how long the list is.
   */
  standings(
    list: StandingsList,
    limit: number,
    offset: number,
    rules?: Rules,
  ): Promise<{ total: number; players: Standing[] }>;
  /** The account's place in the ranked standings of `rules` (default `v1`), undefined when it is provisional there. */
  rankOf(accountId: number, rules?: Rules): Promise<number | undefined>;
  /** The account's last `limit` rated games of `rules` (default `v1`) as rating points, oldest first. */
  ratingHistory(accountId: number, limit: number, rules?: Rules): Promise<RatingPoint[]>;
  /**
   * Finished games newest first (highest id first): those of `accountId` if
   * given, with an id below `before` if given, at most `limit`.
   */
  gamesPage(page: { accountId?: number; before?: number; limit: number }): Promise<StoredGame[]>;
  findGame(id: number): Promise<StoredGame | undefined>;
  /** Games in progress as last committed, oldest first, and how many there are. */
  liveGamesPage(limit: number, offset: number): Promise<{ total: number; games: LiveGame[] }>;
}

/** The operator's tasks (the CLI's user, games and backup commands, and the server's start checks). */
export interface OperatorStore extends AccountStore {
  /**
   * Groups of account names that differ only in case, left by an older
   * server: the server refuses to start while there are any (always none in
   * PostgreSQL, whose first schema has the unique index).
   */
  readonly nameClashes: readonly (readonly string[])[];
  /** Creates all accounts in one transaction; rejects (creating none) if any name exists. A missing rating is the default. */
  createAccounts(accounts: ReadonlyArray<{ name: string; passwordHash: string; rating?: Rating }>): Promise<void>;
  /** Deletes the account and its resume tokens (its finished games stay, under its name). */
  removeAccount(name: string): Promise<boolean>;
  /**
   * Gives account `id` the name `name`, in its finished games and games in
   * progress too, in one transaction. False if another account has that name
   * in any case.
   */
  renameAccount(id: number, name: string): Promise<boolean>;
  /** Every account, best rating first. */
  listAccounts(): Promise<Account[]>;
  /** Finished games oldest first, of one player (any case) if `user` is given. */
  listGames(filter?: { user?: string }): Promise<StoredGame[]>;
  /**
   * A consistent copy of the whole database into a new file (private, 0600),
   * safe while the server runs. Only a store that is a file can (SQLite);
   * PostgreSQL has pg_dump.
   */
  backup?(destination: string): Promise<void>;
}

/** A whole store as a server or an operator command opens it: every role, and its closing. */
export interface Store extends GameStore, AccountStore, CommunityStore, OperatorStore {
  close(): void;
}
