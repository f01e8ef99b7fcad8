import type { Profile } from '../../../common/api-types.js';
import { isValidUsername } from '../../accounts.js';
import { type Account, isRanked } from '../../domain/players.js';
import type { CommunityStore } from '../../store/store.js';
import type { ApiResponse, ApiRoute } from '../http-types.js';
import { ok, PUBLIC_ANSWER_MS, refusal, rounded } from './answers.js';
import { gameSummary } from './game-json.js';

/** Rating points in a profile: the chart shows the last ones. */
export const HISTORY_POINTS = 200;
export const RECENT_GAMES = 10;

/** The account a name names (in any case), or the 404 that says there is none. */
export async function findPlayer(
  store: CommunityStore,
  name: string,
): Promise<{ ok: true; account: Account } | { ok: false; response: ApiResponse }> {
  const account = isValidUsername(name) ? await store.findAccount(name) : undefined;
  return account
    ? { ok: true, account }
    : { ok: false, response: refusal(404, `no player named ${JSON.stringify(name)}`) };
}

/**
 * `GET /api/players/:name`, and `GET /api/players?name=NAME` for the names no
 * path can carry (`.` and `..`, which URL parsers remove, even percent-encoded):
 * profile, rating history, recent games (docs/API.md).
 */
export function playerRoutes(store: CommunityStore): ApiRoute[] {
  return [
    {
      method: 'GET',
      pattern: '/api/players/:name',
      cacheMs: PUBLIC_ANSWER_MS,
      handle: ({ params }) => profile(store, params.name ?? ''),
    },
    {
      method: 'GET',
      pattern: '/api/players',
      cacheMs: PUBLIC_ANSWER_MS,
      handle: ({ query }) => {
        const name = query.get('name');
        return name === null
          ? refusal(400, 'name the player: /api/players/NAME or /api/players?name=NAME')
          : profile(store, name);
      },
    },
  ];
}

async function profile(store: CommunityStore, name: string): Promise<ApiResponse> {
  const found = await findPlayer(store, name);
  if (!found.ok) return found.response;
  const { account } = found;
  const [rank, history, recent] = await Promise.all([
    store.rankOf(account.id),
    store.ratingHistory(account.id, HISTORY_POINTS),
    store.gamesPage({ accountId: account.id, limit: RECENT_GAMES }),
  ]);
  const provisional = !isRanked(account.games, account.rating.deviation);
  return ok<Profile>({
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
}
