import type { FinishedGame, GameWinner } from '../../../src/server/domain/games.js';
import { rateGame, type Score } from '../../../src/server/domain/rating.js';
import type { Store } from '../../../src/server/store/store.js';

/** A short finished game between two accounts. */
export const SAMPLE_MOVES = ['11-15', '23-19', '8-11', '22-17'] as const;

/**
 * Records a game between `black` and `white` (existing accounts) with their
 * stored ratings before and Glicko-2 after, as the server would; returns its id.
 */
export async function recordGameBetween(
  store: Store,
  black: string,
  white: string,
  winner: GameWinner,
  moves: readonly string[] = SAMPLE_MOVES,
  endedAt = new Date(),
): Promise<number> {
  const [b, w] = await Promise.all([store.findAccount(black), store.findAccount(white)]);
  if (!b || !w) throw new Error(`no account ${black} or ${white}`);
  const score: Score = winner === 'black' ? 1 : winner === 'white' ? 0 : 0.5;
  const rated = winner === 'abandoned' ? { black: b.rating, white: w.rating } : rateGame(b.rating, w.rating, score);
  const game: FinishedGame = {
    black: { accountId: b.id, name: b.name, before: b.rating, after: rated.black },
    white: { accountId: w.id, name: w.name, before: w.rating, after: rated.white },
    winner,
    termination: winner === 'abandoned' ? 'storage-outage' : winner === 'draw' ? 'forty-move-rule' : 'no-pieces',
    moves,
    startedAt: new Date(endedAt.getTime() - 60_000),
    endedAt,
  };
  return store.recordGame(game);
}
