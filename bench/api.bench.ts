import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../src/server/store/sqlite-store.js';
import { AnswerCache } from '../src/server/web/answer-cache.js';
import { gamesRoute } from '../src/server/web/api/games.js';
import { playerRoutes } from '../src/server/web/api/players.js';
import type { ApiRoute } from '../src/server/web/http-types.js';
import { seedAccounts, seedFinishedGames } from './load/accounts.js';
import { HTTP_ATTACK_GAMES } from './load/attacks.js';

/** Calls of each handler measured (after a few to warm up). */
const CALLS = 300;

async function microseconds(work: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 20; i++) await work();
  const started = performance.now();
  for (let i = 0; i < CALLS; i++) await work();
  return ((performance.now() - started) / CALLS) * 1000;
}

/**
 * What the community API's costliest answers cost the event loop (issue 29,
 * D2), on a database of 1,000 finished games of 60 plies (as bench:load's
 * HTTP attacks see): a page of 100 games and a profile, each computed and
 * serialized; what part of the games page is the store's, and of that what
 * preparing its statement costs; and the same answer from the answer cache.
 */
export async function benchApi(directory: string): Promise<Array<[string, string]>> {
  const dbPath = join(directory, 'api-bench.db');
  rmSync(dbPath, { force: true });
  const names = Array.from({ length: 20 }, (_, i) => `api${i}`);
  await seedAccounts(dbPath, [{ prefix: 'api', count: names.length }], true);
  await seedFinishedGames(dbPath, names, HTTP_ATTACK_GAMES);
  const store = await openSqliteStore(dbPath);
  const raw = new Database(dbPath, { readonly: true });
  try {
    const call = (route: ApiRoute, params: Record<string, string>, query: string) => async () =>
      JSON.stringify(
        (
          await route.handle({
            method: 'GET',
            path: route.pattern,
            params,
            query: new URLSearchParams(query),
            body: undefined,
            remoteAddress: '127.0.0.1',
            encrypted: false,
          })
        ).body,
      );
    const gamesPage = call(gamesRoute(store), {}, 'limit=100');
    const [profileRoute] = playerRoutes(store);
    if (!profileRoute) throw new Error('no profile route');
    const profile = call(profileRoute, { name: 'api3' }, '');
    const cache = new AnswerCache();
    const sql = 'SELECT * FROM games WHERE id < ? ORDER BY id DESC LIMIT ?';
    return [
      ['API GET /api/games?limit=100, computed', `${(await microseconds(gamesPage)).toFixed(0)} us`],
      [
        '  of which the store (gamesPage of 101)',
        `${(await microseconds(() => store.gamesPage({ limit: 101 }))).toFixed(0)} us`,
      ],
      ['  of which preparing its statement', `${(await microseconds(async () => raw.prepare(sql))).toFixed(1)} us`],
      ['API GET /api/players/NAME, computed', `${(await microseconds(profile)).toFixed(0)} us`],
      [
        'API GET /api/games?limit=100, from the answer cache',
        `${(await microseconds(() => cache.answer('/api/games?limit=100', 0, 60_000, async () => ({ status: 200, body: await gamesPage() })))).toFixed(2)} us`,
      ],
    ];
  } finally {
    raw.close();
    store.close();
    rmSync(dbPath, { force: true });
  }
}
