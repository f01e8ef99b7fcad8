import { BLACK } from '../../../game/position.js';
import type { Store } from '../../store/store.js';
import type { ApiRoute } from '../http-types.js';
import { answering, integerParameter, limitParameter, ok, rounded } from './answers.js';

/**
 * `GET /api/live?limit=&offset=`: games in progress as last committed (what
 * the players have been told, no more), oldest first.
 */
export function liveRoute(store: Store): ApiRoute {
  return {
    method: 'GET',
    pattern: '/api/live',
    handle: ({ query }) =>
      answering(async () => {
        const limit = limitParameter(query, 50);
        const offset = integerParameter(query, 'offset', 0, 0, 100_000);
        const page = await store.liveGamesPage(limit, offset);
        return ok({
          total: page.total,
          limit,
          offset,
          games: page.games.map((game) => ({
            id: game.id,
            black: { name: game.black.name, rating: rounded(game.black.rating.rating) },
            white: { name: game.white.name, rating: rounded(game.white.rating.rating) },
            plies: game.moves.length,
            moveNumber: Math.floor(game.moves.length / 2) + 1,
            turn: game.position.turn === BLACK ? 'black' : 'white',
            startedAt: game.startedAt.toISOString(),
            watch: `/watch/${game.id}`,
          })),
        });
      }),
  };
}
