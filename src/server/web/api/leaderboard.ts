import { STANDINGS_RULE, type Store } from '../../store/store.js';
import type { ApiRoute } from '../http-types.js';
import { answering, BadParameter, integerParameter, limitParameter, ok, rounded } from './answers.js';

/** Standings past this offset are not served: nobody pages that far, and OFFSET costs as much as it skips. */
const MAX_OFFSET = 100_000;

/** `GET /api/leaderboard?list=ranked|provisional&limit=&offset=` (docs/API.md). */
export function leaderboardRoute(store: Store): ApiRoute {
  return {
    method: 'GET',
    pattern: '/api/leaderboard',
    handle: ({ query }) =>
      answering(async () => {
        const list = query.get('list') ?? 'ranked';
        if (list !== 'ranked' && list !== 'provisional') throw new BadParameter('list must be ranked or provisional');
        const limit = limitParameter(query, 50);
        const offset = integerParameter(query, 'offset', 0, 0, MAX_OFFSET);
        const page = await store.standings(list, limit, offset);
        return ok({
          list,
          rule: STANDINGS_RULE,
          total: page.total,
          limit,
          offset,
          players: page.players.map((player) => ({
            ...player,
            rating: rounded(player.rating),
            deviation: rounded(player.deviation),
          })),
        });
      }),
  };
}
