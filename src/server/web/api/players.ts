import { isValidUsername } from '../../accounts.js';
import { STANDINGS_RULE, type Store } from '../../store/store.js';
import type { ApiRoute } from '../http-types.js';
import { ok, refusal, rounded } from './answers.js';
import { gameSummary } from './game-json.js';

/** Rating points in a profile: the chart shows the last ones. */
export const HISTORY_POINTS = 200;
export const RECENT_GAMES = 10;

/** `GET /api/players/:name`: profile, rating history, recent games (docs/API.md). */
export function playerRoute(store: Store): ApiRoute {
  return {
    method: 'GET',
    pattern: '/api/players/:name',
    async handle({ params }) {
      const name = params.name ?? '';
      const account = isValidUsername(name) ? await store.findAccount(name) : undefined;
      if (!account) return refusal(404, `no player named ${JSON.stringify(name)}`);
      const [rank, history, recent] = await Promise.all([
        store.rankOf(account.id),
        store.ratingHistory(account.id, HISTORY_POINTS),
        store.gamesPage({ accountId: account.id, limit: RECENT_GAMES }),
      ]);
      const provisional =
        account.games < STANDINGS_RULE.minGames || account.rating.deviation > STANDINGS_RULE.maxDeviation;
      return ok({
        name: account.name,
        rating: rounded(account.rating.rating),
        deviation: rounded(account.rating.deviation),
        games: account.games,
        wins: account.wins,
        losses: account.losses,
        draws: account.draws,
        provisional,
        rank: rank ?? null,
        history: history.map((point) => ({
          gameId: point.gameId,
          endedAt: point.endedAt.toISOString(),
          before: rounded(point.before),
          after: rounded(point.after),
        })),
        recentGames: recent.map(gameSummary),
      });
    },
  };
}
