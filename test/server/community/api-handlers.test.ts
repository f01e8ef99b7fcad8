import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import type { LoginOutcome } from '../../../src/server/game-events.js';
import { AccountGuesses } from '../../../src/server/limits/account-guesses.js';
import { AddressBook } from '../../../src/server/limits/address-book.js';
import { Limiter } from '../../../src/server/limits/limiter.js';
import { DEFAULT_LIMITS } from '../../../src/server/limits/limits.js';
import type { RateLimit } from '../../../src/server/limits/token-bucket.js';
import { hashPassword, verifyPassword } from '../../../src/server/passwords.js';
import { openSqliteStore, type SqliteStore } from '../../../src/server/store/sqlite-store.js';
import type { PasswordAttempts } from '../../../src/server/web/api/accounts.js';
import { type CommunityOptions, communityRoutes } from '../../../src/server/web/api/community.js';
import type { ApiRequest, ApiResponse, ApiRoute } from '../../../src/server/web/http-types.js';
import { matchPattern } from '../../../src/server/web/route-pattern.js';
import { addPlayers, TEST_HASH_COST, TEST_PASSWORD } from '../../support/accounts.js';
import { ManualClock } from '../../support/manual-clock.js';
import { temporaryDirectory } from '../../support/test-server.js';
import { recordGameBetween } from './records.js';

/** Calls the route of `routes` that matches, as the web server's router would (its matchPattern). */
export async function call(
  routes: readonly ApiRoute[],
  method: string,
  target: string,
  body?: unknown,
  remoteAddress = '127.0.0.1',
): Promise<ApiResponse> {
  const url = new URL(target, 'http://localhost');
  for (const route of routes) {
    if (route.method !== method) continue;
    const match = matchPattern(route.pattern, url.pathname);
    if (match.kind !== 'match') continue;
    const request: ApiRequest = {
      method,
      path: url.pathname,
      params: match.params,
      query: url.searchParams,
      body,
      remoteAddress,
      encrypted: false,
    };
    return route.handle(request);
  }
  throw new Error(`no route for ${method} ${target}`);
}

const json = (response: ApiResponse) => response.body as Record<string, unknown> & { error?: string };

/** The server's real guessing budgets (AddressBook, AccountGuesses), with the outcomes they count. */
function attemptsWith(
  loginRatePerAddress: RateLimit,
  accountGuessRate: RateLimit = { perSecond: 0.05, burst: 10 },
): PasswordAttempts & { outcomes: LoginOutcome[] } {
  const book = new AddressBook({ ...DEFAULT_LIMITS, loginRatePerAddress });
  const outcomes: LoginOutcome[] = [];
  return {
    admitAddress: (address, now) => book.admitLogin(address, now),
    accounts: new AccountGuesses(accountGuessRate),
    refused: (outcome) => outcomes.push(outcome),
    outcomes,
  };
}

describe('community API handlers (real SQLite store)', () => {
  let store: SqliteStore;
  let routes: ApiRoute[];
  const clock = new ManualClock();
  const serving = { started: true, stopping: false, storageFailing: false };
  const gameIds: number[] = [];

  function routesWith(overrides: Partial<CommunityOptions> = {}): ApiRoute[] {
    return communityRoutes({
      store,
      clock,
      log: pino({ level: 'silent' }),
      registration: 'open',
      signupRatePerAddress: { perSecond: 0.01, burst: 3 },
      signupRate: { perSecond: 0.5, burst: 20 },
      passwordAttempts: attemptsWith({ perSecond: 2, burst: 20 }),
      hashQueue: new Limiter(1),
      hashCost: TEST_HASH_COST,
      serving: () => serving,
      ...overrides,
    });
  }

  before(async () => {
    store = await openSqliteStore(join(temporaryDirectory(), 'checkers.db'));
    // h1 and h2 start established (a low deviation), h3 new.
    const hash = await hashPassword(TEST_PASSWORD, TEST_HASH_COST);
    await store.createAccount('h1', hash, { rating: 1500, deviation: 80, volatility: 0.06 });
    await store.createAccount('h2', hash, { rating: 1450, deviation: 80, volatility: 0.06 });
    await store.createAccount('h3', hash);
    for (let i = 0; i < 6; i++) gameIds.push(await recordGameBetween(store, 'h1', 'h2', 'black'));
    gameIds.push(await recordGameBetween(store, 'h3', 'h1', 'draw'));
    routes = routesWith();
  });
  after(() => store.close());

  it('GET /api/leaderboard: ranked and provisional lists, paged, limits checked', async () => {
    const ranked = json(await call(routes, 'GET', '/api/leaderboard'));
    assert.equal(ranked.list, 'ranked');
    assert.deepEqual(ranked.rule, { minGames: 5, maxDeviation: 150 });
    const players = ranked.players as Array<Record<string, number | string>>;
    assert.deepEqual(
      players.map((player) => player.name),
      ['h1', 'h2'],
    );
    assert.deepEqual(Object.keys(players[0] ?? {}).sort(), [
      'deviation',
      'draws',
      'games',
      'losses',
      'name',
      'rank',
      'rating',
      'wins',
    ]);
    assert.equal(players[0]?.wins, 6);
    assert.ok(Number.isInteger(players[0]?.rating));
    const provisional = json(await call(routes, 'GET', '/api/leaderboard?list=provisional&limit=2&offset=1'));
    assert.equal((provisional.players as unknown[]).length, 2);
    assert.equal((provisional.players as Array<{ rank: number }>)[0]?.rank, 2);
    for (const bad of ['limit=0', 'limit=101', 'limit=x', 'offset=-1', 'list=all', 'limit=1e3']) {
      const response = await call(routes, 'GET', `/api/leaderboard?${bad}`);
      assert.equal(response.status, 400, bad);
      assert.match(json(response).error ?? '', /must be/);
    }
  });

  it('GET /api/players/:name: profile, history, recent games; 404 for an unknown player', async () => {
    const response = await call(routes, 'GET', '/api/players/H1');
    assert.equal(response.status, 200);
    const profile = json(response);
    assert.equal(profile.name, 'h1');
    assert.equal(profile.rank, 1);
    assert.equal(profile.provisional, false);
    assert.equal(profile.games, 7);
    const history = profile.history as Array<{ gameId: number; before: number; after: number }>;
    assert.deepEqual(
      history.map((point) => point.gameId),
      gameIds,
    );
    assert.equal(history.at(-1)?.after, profile.rating);
    const recent = profile.recentGames as Array<{ id: number; result: string }>;
    assert.equal(recent[0]?.id, gameIds.at(-1));
    assert.equal(recent[0]?.result, '1/2-1/2');
    assert.equal((await call(routes, 'GET', '/api/players/nobody')).status, 404);
    assert.equal((await call(routes, 'GET', `/api/players/${'x'.repeat(40)}`)).status, 404);
    assert.equal(json(await call(routes, 'GET', '/api/players/h3')).rank, null);
  });

  it('GET /api/games: newest first, paged by the next cursor to the end; 400 for a bad cursor, 404 for an unknown player', async () => {
    const seen: number[] = [];
    let target = '/api/games?limit=3';
    for (let pages = 0; pages < 10; pages++) {
      const page = json(await call(routes, 'GET', target));
      seen.push(...(page.games as Array<{ id: number }>).map((game) => game.id));
      if (page.next === null) break;
      target = `/api/games?limit=3&before=${page.next}`;
    }
    assert.deepEqual(seen, [...gameIds].reverse());
    const h3 = json(await call(routes, 'GET', '/api/games?player=h3'));
    assert.deepEqual(
      (h3.games as Array<{ id: number }>).map((game) => game.id),
      [gameIds.at(-1)],
    );
    assert.equal(h3.next, null);
    assert.equal((await call(routes, 'GET', '/api/games?before=abc')).status, 400);
    assert.equal((await call(routes, 'GET', '/api/games?before=-4')).status, 400);
    assert.equal((await call(routes, 'GET', '/api/games?limit=500')).status, 400);
    assert.equal((await call(routes, 'GET', '/api/games?player=ghost')).status, 404);
  });

  it('GET /api/games/:id as JSON with its moves, and as PDN; 404 unknown, 400 not an id', async () => {
    const id = gameIds[0] ?? 0;
    const game = json(await call(routes, 'GET', `/api/games/${id}`));
    assert.deepEqual(game.moves, ['11-15', '23-19', '8-11', '22-17']);
    assert.equal(game.pdn, `/api/games/${id}.pdn`);
    assert.equal((game.black as { name: string }).name, 'h1');
    const pdn = await call(routes, 'GET', `/api/games/${id}.pdn`);
    assert.equal(pdn.status, 200);
    assert.match(pdn.headers?.['Content-Type'] ?? '', /pdn/);
    assert.match(pdn.headers?.['Content-Disposition'] ?? '', new RegExp(`filename="checkers-game-${id}.pdn"`));
    assert.match(String(pdn.body), /\[Black "h1"\][\s\S]*1\. 11-15 23-19 2\. 8-11 22-17 1-0/);
    assert.equal((await call(routes, 'GET', '/api/games/99999')).status, 404);
    assert.equal((await call(routes, 'GET', '/api/games/99999.pdn')).status, 404);
    assert.equal((await call(routes, 'GET', '/api/games/abc')).status, 400);
    assert.equal((await call(routes, 'GET', '/api/games/0')).status, 400);
  });

  it('GET /api/live: the games in progress with players, ratings, move number', async () => {
    const [a, b] = [await store.findAccount('h1'), await store.findAccount('h2')];
    if (!a || !b) throw new Error('accounts missing');
    await store.saveLiveGames([
      {
        id: 41,
        black: { accountId: a.id, name: a.name, rating: a.rating },
        white: { accountId: b.id, name: b.name, rating: b.rating },
        position: { black: 0xfff, white: 0xfff00000, kings: 0, turn: 1 },
        quietPlies: 0,
        lastMove: 0,
        moves: ['11-15', '23-19', '8-11'],
        startedAt: new Date(),
      },
    ]);
    const live = json(await call(routes, 'GET', '/api/live'));
    assert.equal(live.total, 1);
    const [game] = live.games as Array<Record<string, unknown>>;
    assert.equal(game?.id, 41);
    assert.equal(game?.moveNumber, 2);
    assert.equal(game?.turn, 'white');
    assert.equal(game?.watch, '/watch/41');
    assert.deepEqual(game?.black, { name: 'h1', rating: Math.round(a.rating.rating) });
    assert.equal((await call(routes, 'GET', '/api/live?limit=0')).status, 400);
  });

  it('POST /api/accounts: creates an account with a hash that verifies; names ignore case; rules as the operator', async () => {
    const created = await call(routes, 'POST', '/api/accounts', { name: 'Newbie', password: 'pw-123' }, '127.1.0.1');
    assert.equal(created.status, 201);
    assert.deepEqual(created.body, { name: 'Newbie', rating: 1200 });
    const account = await store.findAccount('newbie');
    assert.ok(account && (await verifyPassword('pw-123', account.passwordHash)));
    assert.match(account.passwordHash, /^\$argon2id\$v=19\$/, 'sign-ups make Argon2id hashes');
    const clash = await call(routes, 'POST', '/api/accounts', { name: 'NEWBIE', password: 'x' }, '127.1.0.2');
    assert.equal(clash.status, 409);
    assert.match(json(clash).error ?? '', /"Newbie" is taken \(names ignore case\)/);
    const cases: Array<[unknown, RegExp]> = [
      [{ name: 'x'.repeat(17), password: 'p' }, /not a valid name/],
      [{ name: ' lead', password: 'p' }, /not a valid name/],
      [{ name: 'ok', password: 'p'.repeat(17) }, /longer than 16/],
      [{ name: 'ok', password: '' }, /empty/],
      [{ name: 'ok', password: 'é' }, /printable ASCII/],
      [{ name: 'ok' }, /password is missing/],
      ['text', /JSON object/],
    ];
    for (const [body, error] of cases) {
      const response = await call(routes, 'POST', '/api/accounts', body, '127.1.0.3');
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.match(json(response).error ?? '', error);
    }
    const bot = await call(routes, 'POST', '/api/accounts', { name: 'Checkers-Bot', password: 'x' }, '127.1.0.4');
    assert.equal(bot.status, 409);
  });

  it('POST /api/accounts: 403 while registration is closed', async () => {
    const closed = routesWith({ registration: 'closed' });
    const response = await call(closed, 'POST', '/api/accounts', { name: 'shut', password: 'x' });
    assert.equal(response.status, 403);
    assert.match(json(response).error ?? '', /sign-up is closed/);
    assert.equal(await store.findAccount('shut'), undefined);
  });

  it('POST /api/accounts: a flood is held by the per-address and the overall limits, with Retry-After', async () => {
    const limited = routesWith({
      signupRatePerAddress: { perSecond: 0.01, burst: 3 },
      signupRate: { perSecond: 0.1, burst: 5 },
    });
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      statuses.push(
        (await call(limited, 'POST', '/api/accounts', { name: `fa${i}`, password: 'x' }, '127.2.0.1')).status,
      );
    }
    assert.deepEqual(statuses, [201, 201, 201, 429, 429, 429, 429, 429, 429, 429]);
    const refused = await call(limited, 'POST', '/api/accounts', { name: 'fa99', password: 'x' }, '127.2.0.1');
    assert.equal(refused.headers?.['Retry-After'], '100');
    assert.match(json(refused).error ?? '', /too many sign-ups from your address; try again in 100 s/);
    // Other addresses get the overall limit's last two, then wait for it.
    const others: number[] = [];
    for (let i = 0; i < 4; i++) {
      others.push(
        (await call(limited, 'POST', '/api/accounts', { name: `fb${i}`, password: 'x' }, `10.3.0.${i}`)).status,
      );
    }
    assert.deepEqual(others, [201, 201, 429, 429]);
    const overall = await call(limited, 'POST', '/api/accounts', { name: 'fc', password: 'x' }, '127.4.0.1');
    assert.match(json(overall).error ?? '', /too many sign-ups on this server/);
    assert.equal(overall.headers?.['Retry-After'], '10');
    clock.advance(10_000);
    assert.equal(
      (await call(limited, 'POST', '/api/accounts', { name: 'fc', password: 'x' }, '127.4.0.1')).status,
      201,
    );
    assert.equal((await store.listAccounts()).filter((account) => /^f[abc]/.test(account.name)).length, 6);
  });

  it('POST /api/password: changes the password with the old one; wrong password 403, unknown 404, limited', async () => {
    await addPlayers(store, 'pw', 1);
    const wrong = await call(routes, 'POST', '/api/password', { name: 'pw1', password: 'nope', newPassword: 'new1' });
    assert.equal(wrong.status, 403);
    const changed = await call(routes, 'POST', '/api/password', {
      name: 'PW1',
      password: TEST_PASSWORD,
      newPassword: 'new1',
    });
    assert.equal(changed.status, 200);
    assert.deepEqual(changed.body, { name: 'pw1', changed: true });
    assert.ok(await verifyPassword('new1', (await store.findAccount('pw1'))?.passwordHash ?? ''));
    assert.equal(
      (await call(routes, 'POST', '/api/password', { name: 'ghost', password: 'a', newPassword: 'b' })).status,
      404,
    );
    assert.equal(
      (await call(routes, 'POST', '/api/password', { name: 'pw1', password: 'new1', newPassword: 'x'.repeat(17) }))
        .status,
      400,
    );
    const attempts = attemptsWith({ perSecond: 0.5, burst: 2 });
    const limited = routesWith({ passwordAttempts: attempts });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const body = { name: 'pw1', password: 'guess', newPassword: 'b' };
      statuses.push((await call(limited, 'POST', '/api/password', body, '127.9.0.1')).status);
    }
    assert.deepEqual(statuses, [403, 403, 429, 429]);
    assert.deepEqual(attempts.outcomes, ['wrong-password', 'wrong-password'], 'counted as version-1 logins are');
  });

  it("POST /api/password: wrong passwords from many addresses spend one account's budget; its owner's address is not held", async () => {
    await addPlayers(store, 'acct', 1);
    const attempts = attemptsWith({ perSecond: 2, burst: 20 }, { perSecond: 0.01, burst: 3 });
    const guarded = routesWith({ passwordAttempts: attempts });
    const change = (password: string, address: string) =>
      call(guarded, 'POST', '/api/password', { name: 'acct1', password, newPassword: 'n' }, address);
    assert.equal((await change(TEST_PASSWORD, '127.9.1.9')).status, 200, "the owner's address, now known");
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await change('guess', `127.9.1.${i + 1}`)).status);
    assert.deepEqual(statuses, [403, 403, 403, 429]);
    const held = await change('n', '127.9.1.5');
    assert.equal(held.status, 429);
    assert.match(json(held).error ?? '', /too many wrong passwords for this account/);
    assert.equal((await change('n', '127.9.1.9')).status, 200, "the owner's address still gets in");
    assert.deepEqual(attempts.outcomes, [
      'wrong-password',
      'wrong-password',
      'wrong-password',
      'account-guess-limit',
      'account-guess-limit',
    ]);
  });

  it('GET /healthz and /readyz: 200 when serving, 503 with the reason otherwise', async () => {
    assert.deepEqual(await call(routes, 'GET', '/healthz'), {
      status: 200,
      body: { status: 'ok', storage: 'writing' },
    });
    assert.deepEqual(await call(routes, 'GET', '/readyz'), { status: 200, body: { ready: true } });
    serving.storageFailing = true;
    assert.equal((await call(routes, 'GET', '/healthz')).status, 503);
    assert.deepEqual((await call(routes, 'GET', '/readyz')).body, { ready: false, reason: 'storage failing' });
    serving.storageFailing = false;
    serving.stopping = true;
    assert.deepEqual(await call(routes, 'GET', '/readyz'), { status: 503, body: { ready: false, reason: 'stopping' } });
    assert.equal((await call(routes, 'GET', '/healthz')).status, 200);
    serving.stopping = false;
    serving.started = false;
    assert.deepEqual((await call(routes, 'GET', '/readyz')).body, { ready: false, reason: 'starting' });
    serving.started = true;
  });
});
