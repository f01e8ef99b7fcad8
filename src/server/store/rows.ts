import {
  type FinishedGame,
  type LiveGame,
  NO_CLOCK,
  type Rules,
  type StoredGame,
  type Termination,
} from '../domain/games.js';
import type { Account, RatedRecord, Standing } from '../domain/players.js';
import { DEFAULT_RATING, type Rating } from '../domain/rating.js';

/**
 * The rows both stores read, and how they become the Store's objects. The
 * drivers differ only in types: PostgreSQL's BIGINT bit boards arrive as
 * strings and its timestamps as Dates, SQLite's as numbers and ISO strings.
 */

export interface AccountRow {
  id: number;
  name: string;
  password: string;
  rating: number;
  deviation: number;
  volatility: number;
  games: number;
  wins: number;
  losses: number;
  draws: number;
  standard_rating?: number;
  standard_deviation?: number;
  standard_volatility?: number;
  standard_games?: number;
  standard_wins?: number;
  standard_losses?: number;
  standard_draws?: number;
  /** SQLite 0/1, PostgreSQL a boolean; absent before the guests' migration. */
  guest?: number | boolean;
}

/** The time control columns of games and live_games. */
interface RulesColumns {
  rules?: Rules;
  clock_initial?: number;
  clock_increment?: number;
}

export interface LiveGameRow extends RulesColumns {
  id: number;
  black_id: number;
  white_id: number;
  black_name: string;
  white_name: string;
  black_rating: string;
  white_rating: string;
  black_bits: number | string;
  white_bits: number | string;
  king_bits: number | string;
  turn: number;
  quiet_plies: number;
  last_move: number;
  moves: string;
  started_at: string | Date;
  black_clock_ms?: number | string | null;
  white_clock_ms?: number | string | null;
  clocks_at?: string | Date | null;
  /** SQLite 0/1, PostgreSQL a boolean; absent before the guests' migration (rated). */
  rated?: number | boolean;
  bot_level?: number | null;
}

export interface GameRow extends RulesColumns {
  id: number;
  black_name: string;
  white_name: string;
  result: FinishedGame['winner'];
  termination: Termination;
  moves: string;
  black_rating_before: number;
  black_rating_after: number;
  white_rating_before: number;
  white_rating_after: number;
  started_at: string | Date;
  ended_at: string | Date;
  /** Absent in rows read before schema version 8. */
  move_clocks?: string | null;
}

function movesOf(text: string): string[] {
  return text === '' ? [] : text.split(' ');
}

export function toAccount(row: AccountRow): Account {
  return {
    id: row.id,
    name: row.name,
    passwordHash: row.password,
    rating: { rating: row.rating, deviation: row.deviation, volatility: row.volatility },
    games: row.games,
    wins: row.wins,
    losses: row.losses,
    draws: row.draws,
    standard: standardRecord(row),
    ...(row.guest ? { guest: true } : {}),
  };
}

/** The account's standard-rules rating and counts. */
export function standardRecord(row: AccountRow): RatedRecord {
  return {
    rating: {
      rating: row.standard_rating ?? DEFAULT_RATING.rating,
      deviation: row.standard_deviation ?? DEFAULT_RATING.deviation,
      volatility: row.standard_volatility ?? DEFAULT_RATING.volatility,
    },
    games: row.standard_games ?? 0,
    wins: row.standard_wins ?? 0,
    losses: row.standard_losses ?? 0,
    draws: row.standard_draws ?? 0,
  };
}

/** The record of `rules` in an account row: the version-1 columns or the standard ones. */
export function recordOf(row: AccountRow, rules: Rules): RatedRecord {
  if (rules === 'standard') return standardRecord(row);
  const { rating, deviation, volatility, games, wins, losses, draws } = row;
  return { rating: { rating, deviation, volatility }, games, wins, losses, draws };
}

function rulesOf(row: RulesColumns): { rules: Rules; timeControl: StoredGame['timeControl'] } {
  return {
    rules: row.rules ?? 'v1',
    timeControl:
      row.clock_initial || row.clock_increment
        ? { initialSeconds: row.clock_initial ?? 0, incrementSeconds: row.clock_increment ?? 0 }
        : NO_CLOCK,
  };
}

/** The time control columns of a game, as both stores write them. */
export function rulesColumns(game: Pick<FinishedGame, 'rules' | 'timeControl'>): Required<RulesColumns> {
  const clock = game.timeControl ?? NO_CLOCK;
  return {
    rules: game.rules ?? 'v1',
    clock_initial: clock.initialSeconds,
    clock_increment: clock.incrementSeconds,
  };
}

export function toLiveGame(row: LiveGameRow): LiveGame {
  return {
    id: row.id,
    black: { accountId: row.black_id, name: row.black_name, rating: JSON.parse(row.black_rating) as Rating },
    white: { accountId: row.white_id, name: row.white_name, rating: JSON.parse(row.white_rating) as Rating },
    position: {
      black: Number(row.black_bits) >>> 0,
      white: Number(row.white_bits) >>> 0,
      kings: Number(row.king_bits) >>> 0,
      turn: row.turn === 0 ? 0 : 1,
    },
    quietPlies: row.quiet_plies,
    lastMove: row.last_move,
    moves: movesOf(row.moves),
    startedAt: new Date(row.started_at),
    ...liveRulesOf(row),
  };
}

/** The rules, time control and clocks of a game in progress, as both stores write them (null: no clock). */
export function liveRulesValues(game: LiveGame): {
  rules: Rules;
  clockInitial: number;
  clockIncrement: number;
  blackClockMs: number | null;
  whiteClockMs: number | null;
  clocksAt: Date | null;
  rated: boolean;
  botLevel: number | null;
} {
  const columns = rulesColumns(game);
  return {
    rules: columns.rules,
    clockInitial: columns.clock_initial,
    clockIncrement: columns.clock_increment,
    blackClockMs: game.clocks ? Math.round(game.clocks.blackMs) : null,
    whiteClockMs: game.clocks ? Math.round(game.clocks.whiteMs) : null,
    clocksAt: game.clocks?.at ?? null,
    rated: game.rated ?? true,
    botLevel: game.botLevel ?? null,
  };
}

/** A live game's rules, time control and clocks; nothing for a version-1 game (as it was written before them). */
function liveRulesOf(row: LiveGameRow): Pick<LiveGame, 'rules' | 'timeControl' | 'clocks' | 'rated' | 'botLevel'> {
  const { rules, timeControl } = rulesOf(row);
  const clocks =
    row.black_clock_ms === null ||
    row.black_clock_ms === undefined ||
    row.white_clock_ms === null ||
    row.white_clock_ms === undefined ||
    !row.clocks_at
      ? undefined
      : { blackMs: Number(row.black_clock_ms), whiteMs: Number(row.white_clock_ms), at: new Date(row.clocks_at) };
  return {
    ...(rules === 'v1' ? {} : { rules }),
    ...(timeControl === NO_CLOCK ? {} : { timeControl }),
    ...(clocks ? { clocks } : {}),
    ...(row.rated === 0 || row.rated === false ? { rated: false } : {}),
    ...(typeof row.bot_level === 'number' ? { botLevel: row.bot_level } : {}),
  };
}

export function toStoredGame(row: GameRow): StoredGame {
  return {
    id: row.id,
    black: { name: row.black_name, ratingBefore: row.black_rating_before, ratingAfter: row.black_rating_after },
    white: { name: row.white_name, ratingBefore: row.white_rating_before, ratingAfter: row.white_rating_after },
    winner: row.result,
    termination: row.termination,
    moves: movesOf(row.moves),
    startedAt: new Date(row.started_at),
    endedAt: new Date(row.ended_at),
    ...rulesOf(row),
    ...(row.move_clocks ? { moveClocks: row.move_clocks.split(' ').map(Number) } : {}),
  };
}

/** The move_clocks column of a finished game: its clock times, space-separated; null without any. */
export function moveClocksColumn(game: { readonly moveClocks?: readonly number[] }): string | null {
  return game.moveClocks && game.moveClocks.length > 0 ? game.moveClocks.map((ms) => Math.round(ms)).join(' ') : null;
}

export function toStanding(row: AccountRow, rank: number, rules: Rules = 'v1'): Standing {
  const record = recordOf(row, rules);
  return {
    rank,
    name: row.name,
    rating: record.rating.rating,
    deviation: record.rating.deviation,
    games: record.games,
    wins: record.wins,
    losses: record.losses,
    draws: record.draws,
  };
}
