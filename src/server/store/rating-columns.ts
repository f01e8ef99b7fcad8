import type { Rules } from '../domain/games.js';

/** The accounts' columns that hold each rule set's rating and counts, in both stores' schemas. */
export interface RatingColumnNames {
  readonly rating: string;
  readonly deviation: string;
  readonly volatility: string;
  readonly games: string;
  readonly wins: string;
  readonly losses: string;
  readonly draws: string;
}

/** Constant names only (never from input), so the stores may put them in SQL text. */
export const RATING_COLUMNS: { readonly [R in Rules]: RatingColumnNames } = {
  v1: {
    rating: 'rating',
    deviation: 'deviation',
    volatility: 'volatility',
    games: 'games',
    wins: 'wins',
    losses: 'losses',
    draws: 'draws',
  },
  standard: {
    rating: 'standard_rating',
    deviation: 'standard_deviation',
    volatility: 'standard_volatility',
    games: 'standard_games',
    wins: 'standard_wins',
    losses: 'standard_losses',
    draws: 'standard_draws',
  },
};
