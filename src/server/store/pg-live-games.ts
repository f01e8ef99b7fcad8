import type pg from 'pg';
import type { LiveGame } from '../domain/games.js';
import { liveRulesValues } from './rows.js';

/* Writing games in progress to PostgreSQL: one statement for any number of games, fenced (cluster) or not. */

/**
 * saveLive for games that carry fencing tokens (cluster), in one statement:
 * each token is claimed as claimFences does and only the games whose token
 * holds are written. Returns the ids fenced off.
 */
export async function saveLiveFenced(db: pg.Pool, unsorted: readonly LiveGame[], now: Date): Promise<number[]> {
  const games = [...unsorted].sort((a, b) => a.id - b.id);
  const column = <T>(pick: (game: LiveGame) => T): T[] => games.map(pick);
  const written = await db.query<{ id: number }>({
    name: 'checkers-save-live-fenced',
    text: `WITH given AS (
       SELECT * FROM unnest($1::integer[], $2::integer[], $3::integer[], $4::text[], $5::text[], $6::text[],
         $7::text[], $8::bigint[], $9::bigint[], $10::bigint[], $11::integer[], $12::integer[], $13::integer[],
         $14::text[], $16::timestamptz[], $17::bigint[], $18::text[], $19::integer[], $20::integer[], $21::bigint[],
         $22::bigint[], $23::timestamptz[], $24::boolean[], $25::integer[])
         AS g(id, black_id, white_id, black_name, white_name, black_rating, white_rating, black_bits, white_bits,
           king_bits, turn, quiet_plies, last_move, moves, started_at, fence, rules, clock_initial, clock_increment,
           black_clock_ms, white_clock_ms, clocks_at, rated, bot_level)
     ), claimed AS (
       INSERT INTO game_fences (id, fence) SELECT id, fence FROM given WHERE fence IS NOT NULL ORDER BY id
       ON CONFLICT (id) DO UPDATE SET fence = excluded.fence WHERE game_fences.fence <= excluded.fence
       RETURNING id
     )
     INSERT INTO live_games (id, black_id, white_id, black_name, white_name, black_rating, white_rating,
       black_bits, white_bits, king_bits, turn, quiet_plies, last_move, moves, started_at, updated_at,
       rules, clock_initial, clock_increment, black_clock_ms, white_clock_ms, clocks_at, rated, bot_level)
     SELECT id, black_id, white_id, black_name, white_name, black_rating, white_rating, black_bits, white_bits,
       king_bits, turn, quiet_plies, last_move, moves, started_at, $15::timestamptz,
       rules, clock_initial, clock_increment, black_clock_ms, white_clock_ms, clocks_at, rated, bot_level
     FROM given WHERE fence IS NULL OR id IN (SELECT id FROM claimed) ORDER BY id
     ON CONFLICT (id) DO UPDATE SET ${UPDATED_ON_CONFLICT}
     RETURNING id`,
    values: [
      ...liveColumns(column),
      now,
      column((game) => game.startedAt),
      column((game) => game.fence ?? null),
      ...rulesColumns(games),
    ],
  });
  const stored = new Set(written.rows.map((row) => row.id));
  return games.filter((game) => !stored.has(game.id)).map((game) => game.id);
}

/** Inserts or updates games in progress in one statement (`now`: their update time); call in a transaction. */
export async function saveLive(client: pg.PoolClient | pg.Pool, games: readonly LiveGame[], now: Date): Promise<void> {
  if (games.length === 0) return;
  const column = <T>(pick: (game: LiveGame) => T): T[] => games.map(pick);
  // Named: each connection parses and plans the statement once, later commits send only its values.
  await client.query({
    name: 'checkers-save-live',
    text: `INSERT INTO live_games (id, black_id, white_id, black_name, white_name, black_rating, white_rating,
       black_bits, white_bits, king_bits, turn, quiet_plies, last_move, moves, started_at,
       rules, clock_initial, clock_increment, black_clock_ms, white_clock_ms, clocks_at, rated, bot_level, updated_at)
     SELECT *, $15::timestamptz FROM unnest($1::integer[], $2::integer[], $3::integer[], $4::text[], $5::text[],
       $6::text[], $7::text[], $8::bigint[], $9::bigint[], $10::bigint[], $11::integer[], $12::integer[],
       $13::integer[], $14::text[], $16::timestamptz[], $17::text[], $18::integer[], $19::integer[],
       $20::bigint[], $21::bigint[], $22::timestamptz[], $23::boolean[], $24::integer[])
     ON CONFLICT (id) DO UPDATE SET ${UPDATED_ON_CONFLICT}`,
    values: [...liveColumns(column), now, column((game) => game.startedAt), ...rulesColumns(games)],
  });
}

/** What a stored game in progress takes from a newer write of it (its players, start and rules stay). */
const UPDATED_ON_CONFLICT = `black_bits = excluded.black_bits, white_bits = excluded.white_bits,
       king_bits = excluded.king_bits, turn = excluded.turn, quiet_plies = excluded.quiet_plies,
       last_move = excluded.last_move, moves = excluded.moves, updated_at = excluded.updated_at,
       black_clock_ms = excluded.black_clock_ms, white_clock_ms = excluded.white_clock_ms,
       clocks_at = excluded.clocks_at`;

/** The rules, time control, clocks, rated flag and computer's level of each game, one array per column (rules to bot_level). */
function rulesColumns(games: readonly LiveGame[]): unknown[][] {
  const values = games.map(liveRulesValues);
  return [
    values.map((value) => value.rules),
    values.map((value) => value.clockInitial),
    values.map((value) => value.clockIncrement),
    values.map((value) => value.blackClockMs),
    values.map((value) => value.whiteClockMs),
    values.map((value) => value.clocksAt),
    values.map((value) => value.rated),
    values.map((value) => value.botLevel),
  ];
}

/** The columns $1 to $14 of a live games' upsert, one array each. */
function liveColumns(column: <T>(pick: (game: LiveGame) => T) => T[]): unknown[][] {
  return [
    column((game) => game.id),
    column((game) => game.black.accountId),
    column((game) => game.white.accountId),
    column((game) => game.black.name),
    column((game) => game.white.name),
    column((game) => JSON.stringify(game.black.rating)),
    column((game) => JSON.stringify(game.white.rating)),
    column((game) => game.position.black >>> 0),
    column((game) => game.position.white >>> 0),
    column((game) => game.position.kings >>> 0),
    column((game) => game.position.turn),
    column((game) => game.quietPlies),
    column((game) => game.lastMove),
    column((game) => game.moves.join(' ')),
  ];
}
