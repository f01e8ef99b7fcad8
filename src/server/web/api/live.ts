import type { LiveList } from '../../../common/api-types.js';
import type { CommunityStore } from '../../store/store.js';
import type { ApiRoute } from '../http-types.js';
import { answering, offsetPage, ok, PUBLIC_ANSWER_MS } from './answers.js';
import { timeControlJson } from './game-json.js';
import { livePlayer, sideToMove } from './live-json.js';

/**
 * `GET /api/live?limit=&offset=`: games in progress as last committed (what
 * the players have been told, no more), oldest first.
 */
export function liveRoute(store: CommunityStore): ApiRoute {
  return {
    method: 'GET',
    pattern: '/api/live',
    cacheMs: PUBLIC_ANSWER_MS,
    handle: ({ query }) =>
      answering(async () => {
        const { limit, offset } = offsetPage(query, 50);
        const page = await store.liveGamesPage(limit, offset);
        return ok<LiveList>({
          total: page.total,
          limit,
          offset,
          games: page.games.map((game) => ({
            id: game.id,
            black: livePlayer(game.black),
            white: livePlayer(game.white),
            plies: game.moves.length,
            moveNumber: Math.floor(game.moves.length / 2) + 1,
            turn: sideToMove(game.position),
            rules: game.rules ?? 'v1',
            timeControl: timeControlJson(game.timeControl),
            startedAt: game.startedAt.toISOString(),
            watch: `/watch/${game.id}`,
          })),
        });
      }),
  };
}
