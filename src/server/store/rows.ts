import type { FinishedGame, LiveGame, StoredGame, Termination } from '../domain/games.js';
import type { Account, Standing } from '../domain/players.js';
import type { Rating } from '../domain/rating.js';

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
}

export interface LiveGameRow {
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
}

export interface GameRow {
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
  };
}

export function toStanding(row: AccountRow, rank: number): Standing {
  return {
    rank,
    name: row.name,
    rating: row.rating,
    deviation: row.deviation,
    games: row.games,
    wins: row.wins,
    losses: row.losses,
    draws: row.draws,
  };
}
