/**
 * Glicko-2 (Glickman, "Example of the Glicko-2 system", 2012), pure.
 *
 * Each game is its own rating period for both players, computed from the
 * ratings both had before the game, so a result is applied the moment a game
 * ends. The wire carries the rating rounded to a whole number.
 */
export interface Rating {
  readonly rating: number;
  readonly deviation: number;
  readonly volatility: number;
}

/** Score of one game for the player being rated: 1 win, 0.5 draw, 0 loss. */
export type Score = 0 | 0.5 | 1;

export interface Opponent {
  readonly rating: number;
  readonly deviation: number;
  readonly score: Score;
}

export const DEFAULT_RATING: Rating = { rating: 1200, deviation: 350, volatility: 0.06 };

/** System constant: how much volatility may change; Glickman suggests 0.3 to 1.2. */
export const TAU = 0.5;
const SCALE = 173.7178;
const CENTRE = 1500;
const CONVERGENCE = 0.000001;
/** Deviation never falls below this, so ratings keep moving for regular players. */
export const MIN_DEVIATION = 30;
export const MAX_DEVIATION = 350;

export function updateRating(player: Rating, results: readonly Opponent[], tau = TAU): Rating {
  const mu = (player.rating - CENTRE) / SCALE;
  const phi = player.deviation / SCALE;
  if (results.length === 0) {
    const grown = Math.sqrt(phi * phi + player.volatility * player.volatility);
    return { ...player, deviation: Math.min(MAX_DEVIATION, grown * SCALE) };
  }
  let inverseVariance = 0;
  let improvement = 0;
  for (const opponent of results) {
    const muJ = (opponent.rating - CENTRE) / SCALE;
    const phiJ = opponent.deviation / SCALE;
    const gJ = g(phiJ);
    const expected = 1 / (1 + Math.exp(-gJ * (mu - muJ)));
    inverseVariance += gJ * gJ * expected * (1 - expected);
    improvement += gJ * (opponent.score - expected);
  }
  const variance = 1 / inverseVariance;
  const delta = variance * improvement;
  const volatility = newVolatility(phi, player.volatility, variance, delta, tau);
  const phiStar = Math.sqrt(phi * phi + volatility * volatility);
  const newPhi = 1 / Math.sqrt(1 / (phiStar * phiStar) + 1 / variance);
  const newMu = mu + newPhi * newPhi * improvement;
  return {
    rating: newMu * SCALE + CENTRE,
    deviation: Math.min(MAX_DEVIATION, Math.max(MIN_DEVIATION, newPhi * SCALE)),
    volatility,
  };
}

/** Both players' ratings after one game between them, from Black's score (White's is the rest). */
export function rateGame(black: Rating, white: Rating, blackScore: Score): { black: Rating; white: Rating } {
  const whiteScore = (1 - blackScore) as Score;
  return {
    black: updateRating(black, [{ rating: white.rating, deviation: white.deviation, score: blackScore }]),
    white: updateRating(white, [{ rating: black.rating, deviation: black.deviation, score: whiteScore }]),
  };
}

/** The whole-number rating the wire carries. */
export function wireRating(rating: number): number {
  return Math.min(0xffffffff, Math.max(0, Math.round(rating)));
}

function g(phi: number): number {
  return 1 / Math.sqrt(1 + (3 * phi * phi) / (Math.PI * Math.PI));
}

/** Step 5 of the paper: the Illinois algorithm for the new volatility. */
function newVolatility(phi: number, sigma: number, variance: number, delta: number, tau: number): number {
  const a = Math.log(sigma * sigma);
  const f = (x: number) => {
    const ex = Math.exp(x);
    const denominator = phi * phi + variance + ex;
    return (ex * (delta * delta - phi * phi - variance - ex)) / (2 * denominator * denominator) - (x - a) / (tau * tau);
  };
  let low = a;
  let high: number;
  if (delta * delta > phi * phi + variance) {
    high = Math.log(delta * delta - phi * phi - variance);
  } else {
    let k = 1;
    while (f(a - k * tau) < 0) k++;
    high = a - k * tau;
  }
  let fLow = f(low);
  let fHigh = f(high);
  for (let iterations = 0; Math.abs(high - low) > CONVERGENCE && iterations < 100; iterations++) {
    const c = low + ((low - high) * fLow) / (fHigh - fLow);
    const fC = f(c);
    if (fC * fHigh <= 0) {
      low = high;
      fLow = fHigh;
    } else {
      fLow /= 2;
    }
    high = c;
    fHigh = fC;
  }
  return Math.exp(low / 2);
}
