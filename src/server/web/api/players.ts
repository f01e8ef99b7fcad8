import type { Profile, RatingHistoryPoint, RulesRecord } from '../../../common/api-types.js';
import { isValidUsername } from '../../accounts.js';
import { type Account, isRanked, type RatedRecord, type RatingPoint } from '../../domain/players.js';
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
  const [rank, history, standardRank, standardHistory, recent] = await Promise.all([
    store.rankOf(account.id),
    store.ratingHistory(account.id, HISTORY_POINTS),
    store.rankOf(account.id, 'standard'),
    store.ratingHistory(account.id, HISTORY_POINTS, 'standard'),
    store.gamesPage({ accountId: account.id, limit: RECENT_GAMES }),
  ]);
  return ok<Profile>({
    name: account.name,
    ...(account.guest ? { guest: true as const } : {}),
    ...rulesRecord(account, rank),
    history: history.map(historyPoint),
    standard: { ...rulesRecord(account.standard, standardRank), history: standardHistory.map(historyPoint) },
    recentGames: recent.map(gameSummary),
  });
}

function rulesRecord(record: RatedRecord, rank: number | undefined): RulesRecord {
  return {
    rating: rounded(record.rating.rating),
    deviation: rounded(record.rating.deviation),
    games: record.games,
    wins: record.wins,
    losses: record.losses,
    draws: record.draws,
    provisional: !isRanked(record.games, record.rating.deviation),
    rank: rank ?? null,
  };
}

function historyPoint(point: RatingPoint): RatingHistoryPoint {
  return {
    gameId: point.gameId,
    endedAt: point.endedAt.toISOString(),
    before: rounded(point.before),
    after: rounded(point.after),
  };
}
