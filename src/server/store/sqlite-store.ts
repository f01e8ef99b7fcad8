import { chmodSync, closeSync, existsSync, openSync, renameSync, rmSync, type Stats, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { type Clock, systemClock } from '../clock.js';
import { countsAdded, type FinishedGame, type LiveGame, type Rules, type StoredGame } from '../domain/games.js';
import {
  type Account,
  isRanked,
  type RatingPoint,
  STANDINGS_RULE,
  type Standing,
  type StandingsList,
} from '../domain/players.js';
import { DEFAULT_RATING, type Rating } from '../domain/rating.js';
import { seedDemoAccounts } from './demo-accounts.js';
import { MIGRATIONS, UNIQUE_NAMES_MIGRATION } from './migrations.js';
import { prepared } from './prepared.js';
import { RATING_COLUMNS } from './rating-columns.js';
import {
  type AccountRow,
  type GameRow,
  type LiveGameRow,
  liveRulesValues,
  moveClocksColumn,
  recordOf,
  rulesColumns,
  toAccount,
  toLiveGame,
  toStanding,
  toStoredGame,
} from './rows.js';
import {
  applyConnectionSettings,
  checkIntegrity,
  createPrivately,
  nameClashesIn,
  openDatabase,
  reasonOf,
  storeErrorFor,
} from './sqlite-file.js';
import { StorageFault } from './storage-fault.js';
import {
  type CommitResult,
  type DatabaseContents,
  DEFAULT_DURABILITY,
  type Durability,
  fencesOf,
  type GameRecord,
  type LiveGameRef,
  MAX_RESUME_TOKENS_PER_ACCOUNT,
  NOTHING_FENCED,
  type Store,
  type StoredResumeToken,
  StoreError,
  type TurnWrites,
} from './store.js';

export interface SqliteOpenOptions {
  readonly durability?: Durability;
  /**
   * Run PRAGMA quick_check before serving (reads the whole file once), so a
   * corrupt database is refused at start instead of failing logins later.
   */
  readonly checkIntegrity?: boolean;
  /** Refuse a missing file instead of creating one (operator commands: a mistyped --db must not make a new database). */
  readonly mustExist?: boolean;
  /** Open read-only (implies mustExist): no schema upgrade, no write; works on a file the user cannot write. */
  readonly readOnly?: boolean;
  /** How long a statement waits for another process's write lock; OPERATOR_BUSY_TIMEOUT_MS unless given. */
  readonly busyTimeoutMs?: number;
  /** Where the times the store writes itself come from (an account's creation, a game's last update); the system's unless given. */
  readonly clock?: Clock;
}

/**
 * The server's wait for another process's write lock before SQLITE_BUSY. The
 * wait blocks the event loop, so it is short: a failed commit is retried by
 * TurnBatch, which holds only the replies it concerns.
 */
export const SERVER_BUSY_TIMEOUT_MS = 20;
/** An operator command is its own process: it may wait for the server's commit. */
const OPERATOR_BUSY_TIMEOUT_MS = 5000;

/** The ranked standings' condition (STANDINGS_RULE) for `rules`, with named parameters @minGames and @maxDeviation. */
function ranked(rules: Rules): string {
  const { games, deviation } = RATING_COLUMNS[rules];
  return `${games} >= @minGames AND ${deviation} <= @maxDeviation`;
}

/** The rules, time control and clocks of a game in progress as SQLite's named parameters (times as ISO text). */
function liveRulesOf(
  game: LiveGame,
): Omit<ReturnType<typeof liveRulesValues>, 'clocksAt' | 'rated'> & { clocksAt: string | null; rated: 0 | 1 } {
  const values = liveRulesValues(game);
  return { ...values, clocksAt: values.clocksAt?.toISOString() ?? null, rated: values.rated ? 1 : 0 };
}

/**
 * Opens (creating if needed, unless `mustExist`) the database at `path`,
 * brings its schema up to date, and gives a fresh database the demo accounts.
 */
export async function openSqliteStore(path: string, options: SqliteOpenOptions = {}): Promise<SqliteStore> {
  const store = SqliteStore.open(path, options);
  try {
    if (store.createdNow) await seedDemoAccounts(store);
    return store;
  } catch (error) {
    store.close();
    throw error;
  }
}

/**
 * The embedded default store. better-sqlite3 is synchronous and answers in
 * microseconds, so each method does its work at once and returns a settled
 * promise: the Store seam is asynchronous for stores across the network,
 * and costs SQLite only a resolved promise per call.
 */
export class SqliteStore implements Store {
  #db: Database.Database;
  readonly #path: string;
  /** The file's identity when opened, to notice it being deleted or replaced while we run. */
  #file: Stats | undefined;
  #durability: Durability = DEFAULT_DURABILITY;
  #busyTimeoutMs = OPERATOR_BUSY_TIMEOUT_MS;
  #clock: Clock = systemClock;
  /** True when this open created the schema (a fresh database). */
  readonly createdNow: boolean;
  /**
   * Groups of account names that differ only in case, left by an older server.
   * While there are any, the schema stays below the case-insensitive unique
   * index and the server refuses to start; operator commands still work.
   */
  readonly nameClashes: readonly (readonly string[])[];
  #dataVersion = -1;
  #prepared = (sql: string): Database.Statement => prepared(this.#db, sql);

  private constructor(
    db: Database.Database,
    path: string,
    createdNow: boolean,
    nameClashes: readonly (readonly string[])[],
  ) {
    this.#db = db;
    this.#path = path;
    this.#file = path === ':memory:' ? undefined : statSync(path);
    this.createdNow = createdNow;
    this.nameClashes = nameClashes;
  }

  static open(path: string, options: SqliteOpenOptions = {}): SqliteStore {
    const mustExist = options.mustExist === true || options.readOnly === true;
    if (mustExist && path !== ':memory:' && !existsSync(path)) {
      throw new StoreError(
        `there is no database at ${path}; check --db (the server creates its database when it first starts)`,
      );
    }
    let db: Database.Database;
    try {
      if (!mustExist && path !== ':memory:') createPrivately(path);
      db = openDatabase(path, options.readOnly === true);
    } catch (error) {
      throw storeErrorFor(path, 'open', error);
    }
    try {
      if (options.checkIntegrity) checkIntegrity(db, path);
      if (!options.readOnly) db.pragma('journal_mode = WAL');
      applyConnectionSettings(
        db,
        options.durability ?? DEFAULT_DURABILITY,
        options.busyTimeoutMs ?? OPERATOR_BUSY_TIMEOUT_MS,
      );
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version > MIGRATIONS.length) {
        throw new StoreError(
          `the database ${path} has schema version ${version}, newer than this server knows (${MIGRATIONS.length}); upgrade the server`,
        );
      }
      if (mustExist && version === 0) {
        throw new StoreError(`${path} is not a checkers database (it has no tables); check --db`);
      }
      const clashes = version > 0 && version <= UNIQUE_NAMES_MIGRATION ? nameClashesIn(db) : [];
      // Reading needs no upgrade: the read queries work on every schema version so far.
      if (!options.readOnly) {
        const target = Math.max(version, clashes.length > 0 ? UNIQUE_NAMES_MIGRATION : MIGRATIONS.length);
        db.transaction(() => {
          MIGRATIONS.slice(version, target).forEach((migration, index) => {
            db.exec(migration);
            db.pragma(`user_version = ${version + index + 1}`);
          });
          // A write even when there is nothing to migrate: a read-only file or folder is refused now, not at the first move.
          db.pragma(`user_version = ${target}`);
        })();
      }
      const store = new SqliteStore(db, path, version === 0, clashes);
      store.#durability = options.durability ?? DEFAULT_DURABILITY;
      store.#busyTimeoutMs = options.busyTimeoutMs ?? OPERATOR_BUSY_TIMEOUT_MS;
      store.#clock = options.clock ?? systemClock;
      return store;
    } catch (error) {
      db.close();
      if (error instanceof StoreError) throw error;
      throw storeErrorFor(path, 'use', error);
    }
  }

  /** The account named `name` in any case (the exact spelling first, should an old database hold both). */
  async findAccount(name: string): Promise<Account | undefined> {
    return this.#findAccount(name);
  }

  #findAccount(name: string): Account | undefined {
    const row = this.#prepared(
      'SELECT * FROM accounts WHERE name = ? COLLATE NOCASE ORDER BY name = ? DESC LIMIT 1',
    ).get(name, name) as AccountRow | undefined;
    return row && toAccount(row);
  }

  async createAccount(
    name: string,
    passwordHash: string,
    rating: Rating = DEFAULT_RATING,
    options: { readonly guest?: boolean } = {},
  ): Promise<Account> {
    return this.#createAccount(name, passwordHash, rating, options.guest === true);
  }

  #createAccount(name: string, passwordHash: string, rating: Rating = DEFAULT_RATING, guest = false): Account {
    if (this.#findAccount(name)) throw new StoreError(`an account named "${name}" already exists`);
    const info = this.#db
      .prepare(
        'INSERT INTO accounts (name, password, rating, deviation, volatility, created_at, guest) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        name,
        passwordHash,
        rating.rating,
        rating.deviation,
        rating.volatility,
        new Date(this.#clock.now()).toISOString(),
        guest ? 1 : 0,
      );
    const account = this.#db.prepare('SELECT * FROM accounts WHERE id = ?').get(info.lastInsertRowid) as AccountRow;
    return toAccount(account);
  }

  async createAccounts(
    accounts: ReadonlyArray<{ name: string; passwordHash: string; rating?: Rating }>,
  ): Promise<void> {
    this.#db.transaction(() => {
      for (const { name, passwordHash, rating } of accounts) this.#createAccount(name, passwordHash, rating);
    })();
  }

  async setPassword(
    name: string,
    passwordHash: string,
    options: { readonly keepResumeTokens?: boolean } = {},
  ): Promise<boolean> {
    return this.#db.transaction(() => {
      const account = this.#findAccount(name);
      if (!account) return false;
      const changed = this.#db.prepare('UPDATE accounts SET password = ? WHERE id = ?').run(passwordHash, account.id);
      if (!options.keepResumeTokens) this.#revokeResumeTokens(account.id);
      return changed.changes === 1;
    })();
  }

  async addResumeToken(accountId: number, tokenHash: string, expiresAt: Date, now: Date): Promise<boolean> {
    return this.#db.transaction(() => {
      if (!this.#prepared('SELECT 1 FROM accounts WHERE id = ?').get(accountId)) return false;
      this.#prepared('DELETE FROM resume_tokens WHERE account_id = ? AND expires_at <= ?').run(
        accountId,
        now.toISOString(),
      );
      this.#prepared(
        'INSERT INTO resume_tokens (token_hash, account_id, expires_at, created_at) VALUES (?, ?, ?, ?)',
      ).run(tokenHash, accountId, expiresAt.toISOString(), now.toISOString());
      this.#prepared(
        `DELETE FROM resume_tokens WHERE account_id = @accountId AND token_hash NOT IN (
           SELECT token_hash FROM resume_tokens WHERE account_id = @accountId
           ORDER BY expires_at DESC, created_at DESC LIMIT @keep)`,
      ).run({ accountId, keep: MAX_RESUME_TOKENS_PER_ACCOUNT });
      return true;
    })();
  }

  async findResumeToken(tokenHash: string, now: Date): Promise<StoredResumeToken | undefined> {
    const row = this.#prepared(
      'SELECT account_id, expires_at FROM resume_tokens WHERE token_hash = ? AND expires_at > ?',
    ).get(tokenHash, now.toISOString()) as { account_id: number; expires_at: string } | undefined;
    return row && { accountId: row.account_id, expiresAt: new Date(row.expires_at) };
  }

  async renewResumeToken(tokenHash: string, now: Date, expiresAt: Date): Promise<boolean> {
    const renewed = this.#prepared(
      'UPDATE resume_tokens SET expires_at = ? WHERE token_hash = ? AND expires_at > ?',
    ).run(expiresAt.toISOString(), tokenHash, now.toISOString());
    return renewed.changes === 1;
  }

  async revokeResumeToken(tokenHash: string): Promise<boolean> {
    return this.#prepared('DELETE FROM resume_tokens WHERE token_hash = ?').run(tokenHash).changes === 1;
  }

  async revokeResumeTokens(accountId: number): Promise<number> {
    return this.#revokeResumeTokens(accountId);
  }

  #revokeResumeTokens(accountId: number): number {
    return this.#prepared('DELETE FROM resume_tokens WHERE account_id = ?').run(accountId).changes;
  }

  /**
   * Gives account `id` the name `name`, in its finished games and games in
   * progress too, in one transaction. False if another account has that name
   * in any case.
   */
  async renameAccount(id: number, name: string): Promise<boolean> {
    return this.#db.transaction(() => {
      const holder = this.#db
        .prepare('SELECT id FROM accounts WHERE name = ? COLLATE NOCASE AND id != ?')
        .get(name, id);
      if (holder) return false;
      if (this.#db.prepare('UPDATE accounts SET name = ? WHERE id = ?').run(name, id).changes !== 1) return false;
      for (const table of ['games', 'live_games']) {
        this.#db.prepare(`UPDATE ${table} SET black_name = ? WHERE black_id = ?`).run(name, id);
        this.#db.prepare(`UPDATE ${table} SET white_name = ? WHERE white_id = ?`).run(name, id);
      }
      return true;
    })();
  }

  async removeAccount(name: string): Promise<boolean> {
    return this.#db.transaction(() => {
      const account = this.#findAccount(name);
      if (!account) return false;
      // The foreign key cascades too; said here so that no connection setting can leave a token behind.
      this.#revokeResumeTokens(account.id);
      return this.#db.prepare('DELETE FROM accounts WHERE id = ?').run(account.id).changes === 1;
    })();
  }

  /**
   * Which of these accounts no longer exist (removed by `user remove` in
   * another process). One cheap query, and none at all while no other
   * connection has committed since the last call (PRAGMA data_version).
   */
  async removedAccounts(ids: readonly number[]): Promise<number[]> {
    const version = this.#db.pragma('data_version', { simple: true }) as number;
    if (version === this.#dataVersion || ids.length === 0) {
      this.#dataVersion = version;
      return [];
    }
    this.#dataVersion = version;
    const rows = this.#db
      .prepare('SELECT value FROM json_each(?) WHERE value NOT IN (SELECT id FROM accounts)')
      .all(JSON.stringify(ids)) as { value: number }[];
    return rows.map((row) => row.value);
  }

  async listAccounts(): Promise<Account[]> {
    const rows = this.#db.prepare('SELECT * FROM accounts ORDER BY rating DESC, name').all() as AccountRow[];
    return rows.map(toAccount);
  }

  /** SQLite's `synchronous` setting in force: 2 = FULL (fsync per commit), 1 = NORMAL. */
  get synchronous(): number {
    return this.#db.pragma('synchronous', { simple: true }) as number;
  }

  async recordGame(game: FinishedGame, liveId?: number): Promise<number> {
    this.#checkFile();
    return this.#db.transaction(() => this.#record(game, liveId))();
  }

  async commit(writes: TurnWrites): Promise<CommitResult> {
    if (writes.live.length === 0 && writes.finished.length === 0) return NOTHING_FENCED;
    this.#checkFile();
    return this.#db.transaction(() => {
      const fenced = this.#claimFences(fencesOf(writes));
      for (const { game, liveId } of writes.finished) {
        if (liveId === undefined || !fenced.has(liveId)) this.#record(game, liveId);
      }
      this.#saveLive(fenced.size === 0 ? writes.live : writes.live.filter((game) => !fenced.has(game.id)));
      return fenced.size === 0 ? NOTHING_FENCED : { fenced: [...fenced] };
    })();
  }

  async fenceGames(games: readonly { readonly id: number; readonly fence: number }[]): Promise<number[]> {
    this.#checkFile();
    return this.#db.transaction(() => [...this.#claimFences(games)])();
  }

  async maxFence(): Promise<number> {
    const row = this.#db.prepare('SELECT max(fence) AS fence FROM game_fences').get() as { fence: number | null };
    return row.fence ?? 0;
  }

  /** Stores each game's token unless a larger one is stored; returns the ids fenced off. Call inside a transaction. */
  #claimFences(games: readonly { readonly id: number; readonly fence: number }[]): Set<number> {
    const fenced = new Set<number>();
    if (games.length === 0) return fenced;
    const claim = this.#prepared(`
      INSERT INTO game_fences (id, fence) VALUES (?, ?)
      ON CONFLICT(id) DO UPDATE SET fence = excluded.fence WHERE game_fences.fence <= excluded.fence
      RETURNING id`);
    for (const { id, fence } of games) if (claim.get(id, fence) === undefined) fenced.add(id);
    return fenced;
  }

  /** Stores one finished game with both players' ratings and counts; call inside a transaction. */
  #record(game: FinishedGame, liveId?: GameRecord['liveId']): number {
    const insert = this.#prepared(`
      INSERT INTO games (black_id, white_id, black_name, white_name, result, termination, moves,
        black_rating_before, black_rating_after, white_rating_before, white_rating_after, started_at, ended_at,
        rules, clock_initial, clock_increment, move_clocks)
      VALUES ((SELECT id FROM accounts WHERE id = @blackId), (SELECT id FROM accounts WHERE id = @whiteId), @blackName, @whiteName, @result, @termination, @moves,
        @blackBefore, @blackAfter, @whiteBefore, @whiteAfter, @startedAt, @endedAt,
        @rules, @clockInitial, @clockIncrement, @moveClocks)`);
    const columns = rulesColumns(game);
    const c = RATING_COLUMNS[columns.rules];
    const update = this.#prepared(`
      UPDATE accounts SET ${c.rating} = @rating, ${c.deviation} = @deviation, ${c.volatility} = @volatility,
        ${c.games} = ${c.games} + @games, ${c.wins} = ${c.wins} + @wins, ${c.losses} = ${c.losses} + @losses,
        ${c.draws} = ${c.draws} + @draws
      WHERE id = @id`);
    const info = insert.run({
      blackId: game.black.accountId,
      whiteId: game.white.accountId,
      blackName: game.black.name,
      whiteName: game.white.name,
      result: game.winner,
      termination: game.termination,
      moves: game.moves.join(' '),
      blackBefore: game.black.before.rating,
      blackAfter: game.black.after.rating,
      whiteBefore: game.white.before.rating,
      whiteAfter: game.white.after.rating,
      startedAt: game.startedAt.toISOString(),
      endedAt: game.endedAt.toISOString(),
      rules: columns.rules,
      clockInitial: columns.clock_initial,
      clockIncrement: columns.clock_increment,
      moveClocks: moveClocksColumn(game),
    });
    if (liveId !== undefined) this.#prepared('DELETE FROM live_games WHERE id = ?').run(liveId);
    for (const side of ['black', 'white'] as const) {
      const player = game[side];
      update.run({ id: player.accountId, ...player.after, ...countsAdded(game.winner, side) });
    }
    return Number(info.lastInsertRowid);
  }

  async saveLiveGames(games: readonly LiveGame[]): Promise<void> {
    await this.commit({ live: games, finished: [] });
  }

  /** Inserts or updates games in progress; call inside a transaction. */
  #saveLive(games: readonly LiveGame[]): void {
    if (games.length === 0) return;
    const upsert = this.#prepared(`
      INSERT INTO live_games (id, black_id, white_id, black_name, white_name, black_rating, white_rating,
        black_bits, white_bits, king_bits, turn, quiet_plies, last_move, moves, started_at, updated_at,
        rules, clock_initial, clock_increment, black_clock_ms, white_clock_ms, clocks_at, rated, bot_level)
      VALUES (@id, @blackId, @whiteId, @blackName, @whiteName, @blackRating, @whiteRating,
        @blackBits, @whiteBits, @kingBits, @turn, @quietPlies, @lastMove, @moves, @startedAt, @updatedAt,
        @rules, @clockInitial, @clockIncrement, @blackClockMs, @whiteClockMs, @clocksAt, @rated, @botLevel)
      ON CONFLICT(id) DO UPDATE SET black_bits = excluded.black_bits, white_bits = excluded.white_bits,
        king_bits = excluded.king_bits, turn = excluded.turn, quiet_plies = excluded.quiet_plies,
        last_move = excluded.last_move, moves = excluded.moves, updated_at = excluded.updated_at,
        black_clock_ms = excluded.black_clock_ms, white_clock_ms = excluded.white_clock_ms,
        clocks_at = excluded.clocks_at`);
    const now = new Date(this.#clock.now()).toISOString();
    for (const game of games) {
      upsert.run({
        id: game.id,
        blackId: game.black.accountId,
        whiteId: game.white.accountId,
        blackName: game.black.name,
        whiteName: game.white.name,
        blackRating: JSON.stringify(game.black.rating),
        whiteRating: JSON.stringify(game.white.rating),
        blackBits: game.position.black,
        whiteBits: game.position.white,
        kingBits: game.position.kings,
        turn: game.position.turn,
        quietPlies: game.quietPlies,
        lastMove: game.lastMove,
        moves: game.moves.join(' '),
        startedAt: game.startedAt.toISOString(),
        updatedAt: now,
        ...liveRulesOf(game),
      });
    }
  }

  /**
   * The database file was deleted while open: this connection still reads the
   * whole database, so a consistent copy is written back at the path (SQLite's
   * online backup into a new file, renamed into place) and the connection
   * moves to it. Returns false if the file is not missing (nothing to do).
   */
  async restoreDeletedFile(): Promise<boolean> {
    if (!this.#file || existsSync(this.#path)) return false;
    const copy = `${this.#path}.restoring`;
    rmSync(copy, { force: true });
    await this.#db.backup(copy);
    chmodSync(copy, 0o600);
    // Closing removes this connection's -wal and -shm files, which belong to the deleted file.
    this.#db.close();
    renameSync(copy, this.#path);
    const db = new Database(this.#path);
    applyConnectionSettings(db, this.#durability, this.#busyTimeoutMs);
    this.#db = db;
    this.#file = statSync(this.#path);
    return true;
  }

  /**
   * Writing through a handle whose file was deleted or replaced would store
   * nothing anyone will read again: refuse, so that no reply claims it.
   */
  #checkFile(): void {
    if (!this.#file) return;
    let now: Stats;
    try {
      now = statSync(this.#path);
    } catch {
      throw new StorageFault('DB_DELETED', `the database file ${this.#path} was deleted while the server ran`);
    }
    if (now.ino !== this.#file.ino || now.dev !== this.#file.dev) {
      throw new StorageFault('DB_REPLACED', `the database file ${this.#path} was replaced while the server ran`);
    }
  }

  async loadLiveGames(ids?: readonly number[]): Promise<LiveGame[]> {
    const rows = (
      ids === undefined
        ? this.#db.prepare('SELECT * FROM live_games ORDER BY id').all()
        : this.#db
            .prepare('SELECT * FROM live_games WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id')
            .all(JSON.stringify(ids))
    ) as LiveGameRow[];
    return rows.map(toLiveGame);
  }

  async liveGameRefs(page?: { readonly after: number; readonly limit: number }): Promise<LiveGameRef[]> {
    return this.#db
      .prepare('SELECT id, black_id AS blackId, white_id AS whiteId FROM live_games WHERE id > ? ORDER BY id LIMIT ?')
      .all(page?.after ?? 0, page?.limit ?? -1) as LiveGameRef[];
  }

  async maxLiveGameId(): Promise<number> {
    const row = this.#db.prepare('SELECT max(id) AS id FROM live_games').get() as { id: number | null };
    return row.id ?? 0;
  }

  async listGames(filter: { user?: string } = {}): Promise<StoredGame[]> {
    const rows = (
      filter.user === undefined
        ? this.#db.prepare('SELECT * FROM games ORDER BY id').all()
        : this.#db
            .prepare(
              'SELECT * FROM games WHERE black_name = ? COLLATE NOCASE OR white_name = ? COLLATE NOCASE ORDER BY id',
            )
            .all(filter.user, filter.user)
    ) as GameRow[];
    return rows.map(toStoredGame);
  }

  /**
   * Everything the database holds, read in one transaction (a consistent
   * snapshot), with the ids and creation times a copy into another store keeps.
   */
  async exportAll(): Promise<DatabaseContents> {
    return this.#db.transaction(() => {
      const accounts = (
        this.#db.prepare('SELECT * FROM accounts ORDER BY id').all() as Array<AccountRow & { created_at: string }>
      ).map((row) => ({ ...toAccount(row), createdAt: new Date(row.created_at) }));
      const games = (
        this.#db.prepare('SELECT * FROM games ORDER BY id').all() as Array<
          GameRow & { black_id: number | null; white_id: number | null }
        >
      ).map((row) => ({ ...toStoredGame(row), blackId: row.black_id, whiteId: row.white_id }));
      const live = (this.#db.prepare('SELECT * FROM live_games ORDER BY id').all() as LiveGameRow[]).map(toLiveGame);
      return { accounts, games, live };
    })();
  }

  async standings(
    list: StandingsList,
    limit: number,
    offset: number,
    rules: Rules = 'v1',
  ): Promise<{ total: number; players: Standing[] }> {
    // Guests have no rating to show: they are in neither list.
    const where = `${list === 'ranked' ? ranked(rules) : `NOT (${ranked(rules)})`} AND guest = 0`;
    const { total } = this.#db.prepare(`SELECT count(*) AS total FROM accounts WHERE ${where}`).get(STANDINGS_RULE) as {
      total: number;
    };
    const rows = this.#db
      .prepare(
        `SELECT * FROM accounts WHERE ${where} ORDER BY ${RATING_COLUMNS[rules].rating} DESC, id LIMIT @limit OFFSET @offset`,
      )
      .all({ ...STANDINGS_RULE, limit, offset }) as AccountRow[];
    return {
      total,
      players: rows.map((row, index) => toStanding(row, offset + index + 1, rules)),
    };
  }

  async rankOf(accountId: number, rules: Rules = 'v1'): Promise<number | undefined> {
    const row = this.#db.prepare('SELECT * FROM accounts WHERE id = ?').get(accountId) as AccountRow | undefined;
    if (!row) return undefined;
    const me = recordOf(row, rules);
    if (!isRanked(me.games, me.rating.deviation)) return undefined;
    const rating = RATING_COLUMNS[rules].rating;
    const { better } = this.#db
      .prepare(
        `SELECT count(*) AS better FROM accounts WHERE ${ranked(rules)}
           AND (${rating} > @rating OR (${rating} = @rating AND id < @id))`,
      )
      .get({ ...STANDINGS_RULE, rating: me.rating.rating, id: row.id }) as { better: number };
    return better + 1;
  }

  async ratingHistory(accountId: number, limit: number, rules: Rules = 'v1'): Promise<RatingPoint[]> {
    const rows = this.#db
      .prepare(
        `SELECT id, ended_at, rating_before, rating_after FROM (
           SELECT id, ended_at, black_rating_before AS rating_before, black_rating_after AS rating_after FROM games
             WHERE black_id = @id AND result != 'abandoned' AND rules = @rules
           UNION ALL
           SELECT id, ended_at, white_rating_before AS rating_before, white_rating_after AS rating_after FROM games
             WHERE white_id = @id AND result != 'abandoned' AND rules = @rules
           ORDER BY id DESC LIMIT @limit
         ) AS recent ORDER BY id`,
      )
      .all({ id: accountId, limit, rules }) as Array<{
      id: number;
      ended_at: string;
      rating_before: number;
      rating_after: number;
    }>;
    return rows.map((row) => ({
      gameId: row.id,
      endedAt: new Date(row.ended_at),
      before: row.rating_before,
      after: row.rating_after,
    }));
  }

  async gamesPage(page: { accountId?: number; before?: number; limit: number }): Promise<StoredGame[]> {
    const before = page.before ?? Number.MAX_SAFE_INTEGER;
    const rows = (
      page.accountId === undefined
        ? this.#db.prepare('SELECT * FROM games WHERE id < ? ORDER BY id DESC LIMIT ?').all(before, page.limit)
        : // Each side's index gives its newest games; the union of both pages holds the page wanted.
          this.#db
            .prepare(
              `SELECT * FROM games WHERE id IN (
                 SELECT id FROM (SELECT id FROM games WHERE black_id = @id AND id < @before ORDER BY id DESC LIMIT @limit) AS b
                 UNION
                 SELECT id FROM (SELECT id FROM games WHERE white_id = @id AND id < @before ORDER BY id DESC LIMIT @limit) AS w
               ) ORDER BY id DESC LIMIT @limit`,
            )
            .all({ id: page.accountId, before, limit: page.limit })
    ) as GameRow[];
    return rows.map(toStoredGame);
  }

  async findGame(id: number): Promise<StoredGame | undefined> {
    const row = this.#db.prepare('SELECT * FROM games WHERE id = ?').get(id) as GameRow | undefined;
    return row && toStoredGame(row);
  }

  async liveGamesPage(limit: number, offset: number): Promise<{ total: number; games: LiveGame[] }> {
    const { total } = this.#db.prepare('SELECT count(*) AS total FROM live_games').get() as { total: number };
    const rows = this.#db
      .prepare('SELECT * FROM live_games ORDER BY id LIMIT ? OFFSET ?')
      .all(limit, offset) as LiveGameRow[];
    return { total, games: rows.map(toLiveGame) };
  }

  /** A consistent copy of the whole database, safe while the server runs, in a new file private like the database (0600). */
  async backup(destination: string): Promise<void> {
    try {
      closeSync(openSync(destination, 'wx', 0o600));
      await this.#db.backup(destination);
    } catch (error) {
      throw new StoreError(`cannot write the backup ${destination}: ${reasonOf(error)}`);
    }
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }
}
