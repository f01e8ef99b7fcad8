import type { GameDetail, GamesPage } from '../../../common/api-types.js';
import type { CommunityStore } from '../../store/store.js';
import type { ApiRoute } from '../http-types.js';
import { answering, cursorPage, gameIdOf, ok, PUBLIC_ANSWER_MS, refusal } from './answers.js';
import { gameSummary, gameToPdn } from './game-json.js';
import { findPlayer } from './players.js';

/**
 * `GET /api/games?player=&limit=&before=`: finished games newest first. The
 * cursor `before` is the `next` of the previous page (a game id: every game
 * listed has a lower one), so pages stay stable while new games finish.
 */
export function gamesRoute(store: CommunityStore): ApiRoute {
  return {
    method: 'GET',
    pattern: '/api/games',
    cacheMs: PUBLIC_ANSWER_MS,
    handle: ({ query }) =>
      answering(async () => {
        const { limit, before } = cursorPage(query, 20);
        const player = query.get('player');
        let accountId: number | undefined;
        if (player !== null) {
          const found = await findPlayer(store, player);
          if (!found.ok) return found.response;
          accountId = found.account.id;
        }
        // One more than asked tells whether there is a next page.
        const games = await store.gamesPage({
          limit: limit + 1,
          ...(before === undefined ? {} : { before }),
          ...(accountId === undefined ? {} : { accountId }),
        });
        const page = games.slice(0, limit);
        const next = games.length > limit ? String(page.at(-1)?.id) : null;
        return ok<GamesPage>({ games: page.map(gameSummary), next });
      }),
  };
}

/** `GET /api/games/:id` as JSON with its moves, `GET /api/games/:id.pdn` as PDN (the router matches both). */
export function gameRoute(store: CommunityStore): ApiRoute {
  return {
    method: 'GET',
    pattern: '/api/games/:id',
    cacheMs: PUBLIC_ANSWER_MS,
    async handle({ params }) {
      const text = params.id ?? '';
      const pdn = text.endsWith('.pdn');
      const id = gameIdOf(pdn ? text.slice(0, -'.pdn'.length) : text);
      if (id === undefined) return refusal(400, `${JSON.stringify(text)} is not a game id (a positive whole number)`);
      const game = await store.findGame(id);
      if (!game) return refusal(404, `no finished game ${id}`);
      if (pdn) {
        return {
          status: 200,
          body: gameToPdn(game),
          headers: {
            'Content-Type': 'application/x-chess-pdn; charset=utf-8',
            'Content-Disposition': `attachment; filename="checkers-game-${id}.pdn"`,
          },
        };
      }
      return ok<GameDetail>({ ...gameSummary(game), moves: game.moves, pdn: `/api/games/${id}.pdn` });
    },
  };
}
