import pg from 'pg';
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
import { DEFAULT_RATING, type Rating, rateGame, type Score } from '../domain/rating.js';
import { seedDemoAccounts } from './demo-accounts.js';
import { saveLive, saveLiveFenced } from './pg-live-games.js';
import { CONNECT_TIMEOUT_MS, connectionProblem, inTransaction, migrate, redactedPgUrl } from './pg-open.js';
import * as tokens from './pg-resume-tokens.js';
import { RATING_COLUMNS } from './rating-columns.js';
import {
  type AccountRow,
  type GameRow,
  type LiveGameRow,
  moveClocksColumn,
  recordOf,
  rulesColumns,
  toAccount,
  toLiveGame,
  toStanding,
  toStoredGame,
} from './rows.js';
import {
  type CommitResult,
  type DatabaseContents,
  type Durability,
  fencesOf,
  type LiveGameRef,
  NOTHING_FENCED,
  type Store,
  type StoredResumeToken,
  StoreError,
  type TurnWrites,
} from './store.js';

export interface PgOpenOptions {
  /** Connections in the pool: the turn batch has one commit in flight, the rest serve logins and operator reads. */
  readonly poolSize?: number;
  /** `normal` commits with synchronous_commit off: a crash of PostgreSQL may lose the last commits, not corrupt. */
  readonly durability?: Durability;
  /** Give a new (empty) database the demo accounts, as the SQLite store does for a new file. */
  readonly demoAccounts?: boolean;
  /** Refuse a database without the checkers tables instead of creating them (operator commands). */
  readonly mustExist?: boolean;
  /** Where the times the store writes itself come from (an account's creation, a game's last update); the system's unless given. */
  readonly clock?: Clock;
}

const DEFAULT_POOL_SIZE = 4;
/** The ranked standings' condition (STANDINGS_RULE) for `rules`, with $1 = minGames and $2 = maxDeviation. */
function ranked(rules: Rules): string {
  const { games, deviation } = RATING_COLUMNS[rules];
  return `${games} >= $1 AND ${deviation} <= $2`;
}

/** Opens the PostgreSQL store at `url`, bringing the schema up to date (and seeding demo accounts if asked). */
export async function openPgStore(url: string, options: PgOpenOptions = {}): Promise<PgStore> {
  const store = await PgStore.open(url, options);
  try {
    if (store.createdNow && options.demoAccounts) await seedDemoAccounts(store);
    return store;
  } catch (error) {
    store.close();
    throw error;
  }
}

/**
 * The store for several nodes: PostgreSQL through a small pool of the `pg`
 * driver. Every write is one transaction; `commit` is the turn's.
 *
 * Ratings with several nodes: two nodes may finish games of the same player
 * at the same moment. Recording a game locks both accounts (SELECT ... FOR
 * UPDATE, lower id first, so two transactions never wait on each other in a
 * cycle), reads their current ratings, and rates the game from those: if
 * another node's game changed a rating since this game began, the update is
 * computed from the new value, never written over it. Row locks rather than
 * SERIALIZABLE: a turn's commit also holds every move of the turn, and a
 * serialization failure would throw all of them back for a retry; the locks
 * only make two commits that touch the same player wait for each other.
 */
export class PgStore implements Store {
  readonly #pool: pg.Pool;
  readonly #url: string;
  /** The accounts' count and largest id when removedAccounts last asked about ids. */
  #accountsSeen: string | undefined;
  /** Under load, a commit every 8 ms carries many turns' moves: fewer round trips and wake-ups of PostgreSQL. */
  readonly commitIntervalMs = 8;
  #closed = false;
  /** True when this open created the schema (a new database). */
  readonly createdNow: boolean;
  /** Names that differ only in case: never in PostgreSQL (its first schema has the unique index); for the CLI's checks. */
  readonly nameClashes: readonly (readonly string[])[] = [];

  readonly #clock: Clock;

  private constructor(pool: pg.Pool, url: string, createdNow: boolean, clock: Clock) {
    this.#pool = pool;
    this.#url = url;
    this.createdNow = createdNow;
    this.#clock = clock;
  }

  /** Now, by the store's clock. */
  #now(): Date {
    return new Date(this.#clock.now());
  }

  static async open(url: string, options: PgOpenOptions = {}): Promise<PgStore> {
    const pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? DEFAULT_POOL_SIZE,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      idleTimeoutMillis: 30_000,
      // Set per connection, so that a commit of one statement needs no transaction to carry it.
      ...(options.durability === 'normal' ? { options: '-c synchronous_commit=off' } : {}),
    });
    // An idle connection dropped by PostgreSQL (restart, network) is replaced at the next query; not a crash.
    pool.on('error', () => {});
    let createdNow: boolean;
    try {
      createdNow = await migrate(pool, url, options.mustExist === true);
    } catch (error) {
      await pool.end().catch(() => {});
      if (error instanceof StoreError) throw error;
      throw new StoreError(connectionProblem(url, error));
    }
    return new PgStore(pool, url, createdNow, options.clock ?? systemClock);
  }

  /** The database's URL without its password. */
  get location(): string {
    return redactedPgUrl(this.#url);
  }

  async findAccount(name: string): Promise<Account | undefined> {
    return findAccountWith(this.#pool, name);
  }

  async createAccount(
    name: string,
    passwordHash: string,
    rating: Rating = DEFAULT_RATING,
    options: { readonly guest?: boolean } = {},
  ): Promise<Account> {
    return this.#transaction((client) =>
      insertAccount(client, name, passwordHash, rating, this.#now(), options.guest === true),
    );
  }

  async createAccounts(
    accounts: ReadonlyArray<{ name: string; passwordHash: string; rating?: Rating }>,
  ): Promise<void> {
    await this.#transaction(async (client) => {
      for (const { name, passwordHash, rating } of accounts)
        await insertAccount(client, name, passwordHash, rating ?? DEFAULT_RATING, this.#now());
    });
  }

  async setPassword(
    name: string,
    passwordHash: string,
    options: { readonly keepResumeTokens?: boolean } = {},
  ): Promise<boolean> {
    return this.#transaction(async (client) => {
      const account = await findAccountWith(client, name);
      if (!account) return false;
      const result = await client.query('UPDATE accounts SET password = $1 WHERE id = $2', [passwordHash, account.id]);
      if (!options.keepResumeTokens) await tokens.revokeResumeTokens(client, account.id);
      return result.rowCount === 1;
    });
  }

  async addResumeToken(accountId: number, tokenHash: string, expiresAt: Date, now: Date): Promise<boolean> {
    return this.#transaction((client) => tokens.addResumeToken(client, accountId, tokenHash, expiresAt, now));
  }

  async findResumeToken(tokenHash: string, now: Date): Promise<StoredResumeToken | undefined> {
    return tokens.findResumeToken(this.#pool, tokenHash, now);
  }

  async renewResumeToken(tokenHash: string, now: Date, expiresAt: Date): Promise<boolean> {
    return tokens.renewResumeToken(this.#pool, tokenHash, now, expiresAt);
  }

  async revokeResumeToken(tokenHash: string): Promise<boolean> {
    return tokens.revokeResumeToken(this.#pool, tokenHash);
  }

  async revokeResumeTokens(accountId: number): Promise<number> {
    return tokens.revokeResumeTokens(this.#pool, accountId);
  }

  /** As SqliteStore.renameAccount: the account and its games, in one transaction; false if the name is taken. */
  async renameAccount(id: number, name: string): Promise<boolean> {
    return this.#transaction(async (client) => {
      const holder = await client.query('SELECT id FROM accounts WHERE lower(name) = lower($1) AND id != $2', [
        name,
        id,
      ]);
      if (holder.rowCount !== 0) return false;
      const renamed = await client.query('UPDATE accounts SET name = $1 WHERE id = $2', [name, id]);
      if (renamed.rowCount !== 1) return false;
      for (const table of ['games', 'live_games']) {
        await client.query(`UPDATE ${table} SET black_name = $1 WHERE black_id = $2`, [name, id]);
        await client.query(`UPDATE ${table} SET white_name = $1 WHERE white_id = $2`, [name, id]);
      }
      return true;
    });
  }

  /** Its resume tokens go with it (ON DELETE CASCADE). */
  async removeAccount(name: string): Promise<boolean> {
    const account = await this.findAccount(name);
    if (!account) return false;
    return (await this.#pool.query('DELETE FROM accounts WHERE id = $1', [account.id])).rowCount === 1;
  }

  async listAccounts(): Promise<Account[]> {
    // COLLATE "C": the byte order SQLite uses, whatever the database's locale.
    const rows = await this.#pool.query<AccountRow>('SELECT * FROM accounts ORDER BY rating DESC, name COLLATE "C"');
    return rows.rows.map(toAccount);
  }

  /**
   * Asked every second about every player online: first a count and the
   * largest id of all accounts, and only if those changed since the last
   * call (ids are never reused, so a removal always changes one of them)
   * the ids themselves.
   */
  async removedAccounts(ids: readonly number[]): Promise<number[]> {
    if (ids.length === 0) return [];
    const summary = await this.#pool.query<{ count: string; max: number | null }>(
      'SELECT count(*) AS count, max(id) AS max FROM accounts',
    );
    const accounts = `${summary.rows[0]?.count}/${summary.rows[0]?.max}`;
    if (accounts === this.#accountsSeen) return [];
    const rows = await this.#pool.query<{ id: number }>(
      'SELECT id FROM unnest($1::integer[]) AS given(id) WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = given.id)',
      [[...ids]],
    );
    this.#accountsSeen = accounts;
    return rows.rows.map((row) => row.id);
  }

  async recordGame(game: FinishedGame, liveId?: number): Promise<number> {
    return this.#transaction((client) => recordGame(client, game, liveId));
  }

  async saveLiveGames(games: readonly LiveGame[]): Promise<void> {
    await this.commit({ live: games, finished: [] });
  }

  async commit(writes: TurnWrites): Promise<CommitResult> {
    if (writes.live.length === 0 && writes.finished.length === 0) return NOTHING_FENCED;
    // Most turns only move games on: one upsert statement is atomic by itself, so no BEGIN/COMMIT round trips.
    if (writes.finished.length === 0) {
      if (!writes.live.some((game) => game.fence !== undefined)) {
        await saveLive(this.#pool, writes.live, this.#now());
        return NOTHING_FENCED;
      }
      const fenced = await saveLiveFenced(this.#pool, writes.live, this.#now());
      return fenced.length === 0 ? NOTHING_FENCED : { fenced };
    }
    return this.#transaction(async (client) => {
      // The tokens first, in id order: two commits never wait on each other's fence rows in a cycle.
      const fenced = await claimFences(client, fencesOf(writes));
      for (const { game, liveId } of writes.finished) {
        if (liveId === undefined || !fenced.has(liveId)) await recordGame(client, game, liveId);
      }
      await saveLive(
        client,
        fenced.size === 0 ? writes.live : writes.live.filter((game) => !fenced.has(game.id)),
        this.#now(),
      );
      return fenced.size === 0 ? NOTHING_FENCED : { fenced: [...fenced] };
    });
  }

  async fenceGames(games: readonly { readonly id: number; readonly fence: number }[]): Promise<number[]> {
    if (games.length === 0) return [];
    const sorted = [...games].sort((a, b) => a.id - b.id);
    return [...(await claimFences(this.#pool, sorted))];
  }

  async maxFence(): Promise<number> {
    const row = await this.#pool.query<{ fence: string | null }>('SELECT max(fence) AS fence FROM game_fences');
    return Number(row.rows[0]?.fence ?? 0);
  }

  async loadLiveGames(ids?: readonly number[]): Promise<LiveGame[]> {
    const rows =
      ids === undefined
        ? await this.#pool.query<LiveGameRow>('SELECT * FROM live_games ORDER BY id')
        : await this.#pool.query<LiveGameRow>('SELECT * FROM live_games WHERE id = ANY($1::integer[]) ORDER BY id', [
            ids,
          ]);
    return rows.rows.map(toLiveGame);
  }

  async liveGameRefs(page?: { readonly after: number; readonly limit: number }): Promise<LiveGameRef[]> {
    const rows = await this.#pool.query<LiveGameRef>(
      'SELECT id, black_id AS "blackId", white_id AS "whiteId" FROM live_games WHERE id > $1 ORDER BY id LIMIT $2',
      [page?.after ?? 0, page?.limit ?? null],
    );
    return rows.rows;
  }

  async maxLiveGameId(): Promise<number> {
    const row = await this.#pool.query<{ id: number | null }>('SELECT max(id) AS id FROM live_games');
    return row.rows[0]?.id ?? 0;
  }

  async listGames(filter: { user?: string } = {}): Promise<StoredGame[]> {
    const rows =
      filter.user === undefined
        ? await this.#pool.query<GameRow>('SELECT * FROM games ORDER BY id')
        : await this.#pool.query<GameRow>(
            'SELECT * FROM games WHERE lower(black_name) = lower($1) OR lower(white_name) = lower($1) ORDER BY id',
            [filter.user],
          );
    return rows.rows.map(toStoredGame);
  }

  async standings(
    list: StandingsList,
    limit: number,
    offset: number,
    rules: Rules = 'v1',
  ): Promise<{ total: number; players: Standing[] }> {
    // Guests have no rating to show: they are in neither list.
    const where = `${list === 'ranked' ? ranked(rules) : `NOT (${ranked(rules)})`} AND NOT guest`;
    const rule = [STANDINGS_RULE.minGames, STANDINGS_RULE.maxDeviation];
    const count = await this.#pool.query<{ total: string }>(
      `SELECT count(*) AS total FROM accounts WHERE ${where}`,
      rule,
    );
    const rows = await this.#pool.query<AccountRow>(
      `SELECT * FROM accounts WHERE ${where} ORDER BY ${RATING_COLUMNS[rules].rating} DESC, id LIMIT $3 OFFSET $4`,
      [...rule, limit, offset],
    );
    return {
      total: Number(count.rows[0]?.total ?? 0),
      players: rows.rows.map((row, index) => toStanding(row, offset + index + 1, rules)),
    };
  }

  async rankOf(accountId: number, rules: Rules = 'v1'): Promise<number | undefined> {
    const row = (await this.#pool.query<AccountRow>('SELECT * FROM accounts WHERE id = $1', [accountId])).rows[0];
    if (!row) return undefined;
    const me = recordOf(row, rules);
    if (!isRanked(me.games, me.rating.deviation)) return undefined;
    const rating = RATING_COLUMNS[rules].rating;
    const better = await this.#pool.query<{ better: string }>(
      `SELECT count(*) AS better FROM accounts WHERE ${ranked(rules)}
         AND (${rating} > $3 OR (${rating} = $3 AND id < $4))`,
      [STANDINGS_RULE.minGames, STANDINGS_RULE.maxDeviation, me.rating.rating, row.id],
    );
    return Number(better.rows[0]?.better ?? 0) + 1;
  }

  async ratingHistory(accountId: number, limit: number, rules: Rules = 'v1'): Promise<RatingPoint[]> {
    const rows = await this.#pool.query<{ id: number; ended_at: Date; rating_before: number; rating_after: number }>(
      `SELECT id, ended_at, rating_before, rating_after FROM (
         SELECT id, ended_at, black_rating_before AS rating_before, black_rating_after AS rating_after FROM games
           WHERE black_id = $1 AND result != 'abandoned' AND rules = $3
         UNION ALL
         SELECT id, ended_at, white_rating_before AS rating_before, white_rating_after AS rating_after FROM games
           WHERE white_id = $1 AND result != 'abandoned' AND rules = $3
         ORDER BY id DESC LIMIT $2
       ) AS recent ORDER BY id`,
      [accountId, limit, rules],
    );
    return rows.rows.map((row) => ({
      gameId: row.id,
      endedAt: row.ended_at,
      before: row.rating_before,
      after: row.rating_after,
    }));
  }

  async gamesPage(page: { accountId?: number; before?: number; limit: number }): Promise<StoredGame[]> {
    const before = page.before ?? Number.MAX_SAFE_INTEGER;
    const rows =
      page.accountId === undefined
        ? await this.#pool.query<GameRow>('SELECT * FROM games WHERE id < $1::bigint ORDER BY id DESC LIMIT $2', [
            before,
            page.limit,
          ])
        : await this.#pool.query<GameRow>(
            `SELECT * FROM games WHERE (black_id = $1 OR white_id = $1) AND id < $2::bigint ORDER BY id DESC LIMIT $3`,
            [page.accountId, before, page.limit],
          );
    return rows.rows.map(toStoredGame);
  }

  async findGame(id: number): Promise<StoredGame | undefined> {
    if (!Number.isSafeInteger(id) || id < 0 || id > 0x7fffffff) return undefined;
    const row = (await this.#pool.query<GameRow>('SELECT * FROM games WHERE id = $1', [id])).rows[0];
    return row && toStoredGame(row);
  }

  async liveGamesPage(limit: number, offset: number): Promise<{ total: number; games: LiveGame[] }> {
    const count = await this.#pool.query<{ total: string }>('SELECT count(*) AS total FROM live_games');
    const rows = await this.#pool.query<LiveGameRow>('SELECT * FROM live_games ORDER BY id LIMIT $1 OFFSET $2', [
      limit,
      offset,
    ]);
    return { total: Number(count.rows[0]?.total ?? 0), games: rows.rows.map(toLiveGame) };
  }

  /** True when the database holds no account, no game and no game in progress (a migration's target). */
  async isEmpty(): Promise<boolean> {
    const row = await this.#pool.query<{ rows: string }>(
      'SELECT (SELECT count(*) FROM accounts) + (SELECT count(*) FROM games) + (SELECT count(*) FROM live_games) AS rows',
    );
    return Number(row.rows[0]?.rows) === 0;
  }

  /**
   * Copies a whole database in one transaction, keeping every id (so finished
   * games keep pointing at their players): the migration from SQLite.
   */
  async importAll(data: DatabaseContents): Promise<void> {
    await this.#transaction(async (client) => {
      if (!(await isEmptyWith(client))) {
        throw new StoreError(
          `the PostgreSQL database ${this.location} is not empty (it holds accounts or games); migrate into a new, empty database (createdb NAME)`,
        );
      }
      for (const account of data.accounts) {
        await client.query(
          `INSERT INTO accounts (id, name, password, rating, deviation, volatility, games, wins, losses, draws, created_at,
             standard_rating, standard_deviation, standard_volatility, standard_games, standard_wins, standard_losses,
             standard_draws, guest)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`,
          [
            account.id,
            account.name,
            account.passwordHash,
            account.rating.rating,
            account.rating.deviation,
            account.rating.volatility,
            account.games,
            account.wins,
            account.losses,
            account.draws,
            account.createdAt,
            account.standard.rating.rating,
            account.standard.rating.deviation,
            account.standard.rating.volatility,
            account.standard.games,
            account.standard.wins,
            account.standard.losses,
            account.standard.draws,
            account.guest === true,
          ],
        );
      }
      for (const game of data.games) {
        await client.query(
          `INSERT INTO games (id, black_id, white_id, black_name, white_name, result, termination, moves,
             black_rating_before, black_rating_after, white_rating_before, white_rating_after, started_at, ended_at,
             rules, clock_initial, clock_increment, move_clocks)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
          [
            game.id,
            game.blackId,
            game.whiteId,
            game.black.name,
            game.white.name,
            game.winner,
            game.termination,
            game.moves.join(' '),
            game.black.ratingBefore,
            game.black.ratingAfter,
            game.white.ratingBefore,
            game.white.ratingAfter,
            game.startedAt,
            game.endedAt,
            game.rules,
            game.timeControl.initialSeconds,
            game.timeControl.incrementSeconds,
            moveClocksColumn(game),
          ],
        );
      }
      // Resume tokens are not copied: players log in with their password once after the move.
      await saveLive(client, data.live, this.#now());
      // The identities go on after the copied ids.
      for (const table of ['accounts', 'games']) {
        await client.query(
          `SELECT setval(pg_get_serial_sequence('${table}', 'id'), coalesce((SELECT max(id) FROM ${table}), 0) + 1, false)`,
        );
      }
    });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    void this.#pool.end().catch(() => {});
  }

  /** Closes the pool and waits until its connections are gone. */
  async end(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.end();
  }

  /** Runs `work` in one transaction on one connection of the pool (see inTransaction). */
  #transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.#pool, work);
  }
}

async function findAccountWith(db: pg.Pool | pg.PoolClient, name: string): Promise<Account | undefined> {
  const row = await db.query<AccountRow>(
    'SELECT * FROM accounts WHERE lower(name) = lower($1) ORDER BY name = $1 DESC LIMIT 1',
    [name],
  );
  const found = row.rows[0];
  return found && toAccount(found);
}

/** PostgreSQL's code for a unique constraint violated. */
const UNIQUE_VIOLATION = '23505';

async function insertAccount(
  client: pg.PoolClient,
  name: string,
  passwordHash: string,
  rating: Rating,
  now: Date,
  guest = false,
): Promise<Account> {
  const taken = () => new StoreError(`an account named "${name}" already exists`);
  if (await findAccountWith(client, name)) throw taken();
  try {
    const row = await client.query<AccountRow>(
      `INSERT INTO accounts (name, password, rating, deviation, volatility, created_at, guest)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      [name, passwordHash, rating.rating, rating.deviation, rating.volatility, now, guest],
    );
    return toAccount(row.rows[0] as AccountRow);
  } catch (error) {
    // Another transaction (another node of a cluster) created the name between the check and the insert.
    if ((error as { code?: string }).code === UNIQUE_VIOLATION) throw taken();
    throw error;
  }
}

async function isEmptyWith(client: pg.PoolClient): Promise<boolean> {
  const row = await client.query<{ rows: string }>(
    'SELECT (SELECT count(*) FROM accounts) + (SELECT count(*) FROM games) + (SELECT count(*) FROM live_games) AS rows',
  );
  return Number(row.rows[0]?.rows) === 0;
}

/**
 * Stores one finished game with both players' ratings and counts; call in a
 * transaction. The accounts are locked and their ratings read first: the game
 * is rated from what is stored now (see PgStore), which is what the node
 * computed unless another node changed a rating meanwhile.
 */
async function recordGame(client: pg.PoolClient, game: FinishedGame, liveId?: number): Promise<number> {
  const ids = [game.black.accountId, game.white.accountId];
  const columns = rulesColumns(game);
  const c = RATING_COLUMNS[columns.rules];
  const locked = await client.query<{ id: number; rating: number; deviation: number; volatility: number }>(
    `SELECT id, ${c.rating} AS rating, ${c.deviation} AS deviation, ${c.volatility} AS volatility
     FROM accounts WHERE id = ANY($1::integer[]) ORDER BY id FOR UPDATE`,
    [ids],
  );
  const current = new Map(locked.rows.map((row) => [row.id, row as Rating]));
  const before = {
    black: current.get(game.black.accountId) ?? game.black.before,
    white: current.get(game.white.accountId) ?? game.white.before,
  };
  const after = ratingsAfter(game, before);
  const inserted = await client.query<{ id: number }>(
    `INSERT INTO games (black_id, white_id, black_name, white_name, result, termination, moves,
       black_rating_before, black_rating_after, white_rating_before, white_rating_after, started_at, ended_at,
       rules, clock_initial, clock_increment, move_clocks)
     VALUES ((SELECT id FROM accounts WHERE id = $1), (SELECT id FROM accounts WHERE id = $2), $3, $4, $5, $6, $7,
       $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
     RETURNING id`,
    [
      game.black.accountId,
      game.white.accountId,
      game.black.name,
      game.white.name,
      game.winner,
      game.termination,
      game.moves.join(' '),
      before.black.rating,
      after.black.rating,
      before.white.rating,
      after.white.rating,
      game.startedAt,
      game.endedAt,
      columns.rules,
      columns.clock_initial,
      columns.clock_increment,
      moveClocksColumn(game),
    ],
  );
  if (liveId !== undefined) await client.query('DELETE FROM live_games WHERE id = $1', [liveId]);
  for (const side of ['black', 'white'] as const) {
    const counts = countsAdded(game.winner, side);
    await client.query(
      `UPDATE accounts SET ${c.rating} = $2, ${c.deviation} = $3, ${c.volatility} = $4,
         ${c.games} = ${c.games} + $5, ${c.wins} = ${c.wins} + $6, ${c.losses} = ${c.losses} + $7,
         ${c.draws} = ${c.draws} + $8
       WHERE id = $1`,
      [
        game[side].accountId,
        after[side].rating,
        after[side].deviation,
        after[side].volatility,
        counts.games,
        counts.wins,
        counts.losses,
        counts.draws,
      ],
    );
  }
  return (inserted.rows[0] as { id: number }).id;
}

/** The new ratings: the node's own when the stored ones are those it started from, else rated afresh. */
function ratingsAfter(game: FinishedGame, before: { black: Rating; white: Rating }): { black: Rating; white: Rating } {
  if (game.winner === 'abandoned') return before;
  if (sameRating(before.black, game.black.before) && sameRating(before.white, game.white.before)) {
    return { black: game.black.after, white: game.white.after };
  }
  const blackScore: Score = game.winner === 'draw' ? 0.5 : game.winner === 'black' ? 1 : 0;
  return rateGame(before.black, before.white, blackScore);
}

function sameRating(a: Rating, b: Rating): boolean {
  return a.rating === b.rating && a.deviation === b.deviation && a.volatility === b.volatility;
}

/**
 * Stores each game's fencing token unless a larger one is stored, in the
 * order given (sorted by id); returns the ids fenced off. One statement.
 */
async function claimFences(
  db: pg.PoolClient | pg.Pool,
  games: readonly { readonly id: number; readonly fence: number }[],
): Promise<Set<number>> {
  if (games.length === 0) return new Set();
  const claimed = await db.query<{ id: number }>(
    `INSERT INTO game_fences (id, fence)
     SELECT * FROM unnest($1::integer[], $2::bigint[]) AS given(id, fence) ORDER BY id
     ON CONFLICT (id) DO UPDATE SET fence = excluded.fence WHERE game_fences.fence <= excluded.fence
     RETURNING id`,
    [games.map((game) => game.id), games.map((game) => game.fence)],
  );
  const written = new Set(claimed.rows.map((row) => row.id));
  return new Set(games.filter((game) => !written.has(game.id)).map((game) => game.id));
}
