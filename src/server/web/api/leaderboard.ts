import type { Standing as ApiStanding, StandingsPage } from '../../../common/api-types.js';
import { STANDINGS_RULE, type Standing } from '../../domain/players.js';
import type { CommunityStore } from '../../store/store.js';
import type { ApiRoute } from '../http-types.js';
import { answering, BadParameter, offsetPage, ok, PUBLIC_ANSWER_MS, rounded } from './answers.js';

/** `GET /api/leaderboard?list=ranked|provisional&rules=v1|standard&limit=&offset=` (docs/API.md). */
export function leaderboardRoute(store: CommunityStore): ApiRoute {
  return {
    method: 'GET',
    pattern: '/api/leaderboard',
    cacheMs: PUBLIC_ANSWER_MS,
    handle: ({ query }) =>
      answering(async () => {
        const list = query.get('list') ?? 'ranked';
        if (list !== 'ranked' && list !== 'provisional') throw new BadParameter('list must be ranked or provisional');
        const rules = query.get('rules') ?? 'v1';
        if (rules !== 'v1' && rules !== 'standard') throw new BadParameter('rules must be v1 or standard');
        const { limit, offset } = offsetPage(query, 50);
        const page = await store.standings(list, limit, offset, rules);
        return ok<StandingsPage>({
          list,
          rules,
          rule: STANDINGS_RULE,
          total: page.total,
          limit,
          offset,
          players: page.players.map(standingJson),
        });
      }),
  };
}

/** A line of the standings as the API shows it, ratings rounded. */
function standingJson(standing: Standing): ApiStanding {
  return {
    rank: standing.rank,
    name: standing.name,
    rating: rounded(standing.rating),
    deviation: rounded(standing.deviation),
    games: standing.games,
    wins: standing.wins,
    losses: standing.losses,
    draws: standing.draws,
  };
}
