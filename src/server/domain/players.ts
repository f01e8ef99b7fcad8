import type { Rules } from './games.js';
import type { Rating } from './rating.js';

/* Players as the server's rooms speak of them: accounts, their standings and rating histories. */

/** A rating with the games it counts: one per rule set (see Rules). */
export interface RatedRecord {
  readonly rating: Rating;
  readonly games: number;
  readonly wins: number;
  readonly losses: number;
  readonly draws: number;
}

/** The version-1 rating and counts are the account's own fields (as before version 2); `standard` holds the others. */
export interface Account extends RatedRecord {
  readonly id: number;
  readonly name: string;
  readonly passwordHash: string;
  /** The standard-rules (protocol version 2) rating and counts, starting at DEFAULT_RATING. */
  readonly standard: RatedRecord;
  /**
   * A guest (play/guests.ts): a generated name, no password (it logs in again
   * with its resume token only), casual games only, no rating shown, and no
   * place in the standings. Absent: an account.
   */
  readonly guest?: boolean;
}

/** The account's rating and counts under `rules`: what a game of those rules is rated from. */
export function recordFor(account: Account, rules: Rules): RatedRecord {
  if (rules === 'standard') return account.standard;
  const { rating, games, wins, losses, draws } = account;
  return { rating, games, wins, losses, draws };
}

export type StandingsList = 'ranked' | 'provisional';

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

/** One line of a standings list; `rank` counts from 1 within its list. */
export interface Standing {
  readonly rank: number;
  readonly name: string;
  readonly rating: number;
  readonly deviation: number;
  readonly games: number;
  readonly wins: number;
  readonly losses: number;
  readonly draws: number;
}

/** A player's rating after one rated game (abandoned games change no rating and have no point). */
export interface RatingPoint {
  readonly gameId: number;
  readonly endedAt: Date;
  readonly before: number;
  readonly after: number;
}
