import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { GameSummary, LiveList, Profile, StandingsPage } from '../../../src/common/api-types.js';
import { INITIAL_POSITION } from '../../../src/game/position.js';
import type { FinishedGame, LiveGame } from '../../../src/server/domain/games.js';
import { rateGame } from '../../../src/server/domain/rating.js';
import { SqliteStore } from '../../../src/server/store/sqlite-store.js';
import { gameRoute, gamesRoute } from '../../../src/server/web/api/games.js';
import { leaderboardRoute } from '../../../src/server/web/api/leaderboard.js';
import { liveRoute } from '../../../src/server/web/api/live.js';
import { playerRoutes } from '../../../src/server/web/api/players.js';
import type { ApiResponse, ApiRoute } from '../../../src/server/web/http-types.js';
import { matchPattern } from '../../../src/server/web/route-pattern.js';
import { temporaryDirectory } from '../../support/test-server.js';
import { recordGameBetween } from './records.js';

/* The standard-rules rating in the community API: standings per rule set, a profile with both, games (finished and in progress) with their rules. */

async function get(routes: readonly ApiRoute[], target: string): Promise<ApiResponse> {
  const url = new URL(target, 'http://localhost');
  for (const route of routes) {
    const match = matchPattern(route.pattern, url.pathname);
    if (route.method !== 'GET' || match.kind !== 'match') continue;
    return route.handle({
      method: 'GET',
      path: url.pathname,
      params: match.params,
      query: url.searchParams,
      body: undefined,
      remoteAddress: '127.0.0.1',
      encrypted: false,
    });
  }
  throw new Error(`no route for ${target}`);
}

/** A standard game won by `winner` between two existing accounts, rated on their standard ratings. */
async function standardGame(store: SqliteStore, black: string, white: string, winner: 'black' | 'white') {
  const [b, w] = await Promise.all([store.findAccount(black), store.findAccount(white)]);
  assert.ok(b && w);
  const rated = rateGame(b.standard.rating, w.standard.rating, winner === 'black' ? 1 : 0);
  const game: FinishedGame = {
    black: { accountId: b.id, name: b.name, before: b.standard.rating, after: rated.black },
    white: { accountId: w.id, name: w.name, before: w.standard.rating, after: rated.white },
    winner,
    termination: 'out-of-time',
    moves: ['11-15', '23-19'],
    startedAt: new Date('2026-04-01T10:00:00.000Z'),
    endedAt: new Date('2026-04-01T10:05:00.000Z'),
    rules: 'standard',
    timeControl: { initialSeconds: 300, incrementSeconds: 3 },
    moveClocks: [301_500, 299_000],
  };
  return store.recordGame(game);
}

describe('the standard rating in the community API', () => {
  it('lists standings per rule set, shows both ratings on a profile, and says each game’s rules', async (t) => {
    const store = SqliteStore.open(join(temporaryDirectory(), 'checkers.db'));
    t.after(() => store.close());
    await store.createAccounts(['sam', 'val'].map((name) => ({ name, passwordHash: 'h' })));
    const standardId = await standardGame(store, 'sam', 'val', 'black');
    await recordGameBetween(store, 'sam', 'val', 'white');
    const routes = [leaderboardRoute(store), ...playerRoutes(store), gamesRoute(store), gameRoute(store)];

    const standard = (await get(routes, '/api/leaderboard?list=provisional&rules=standard')).body as StandingsPage;
    assert.equal(standard.rules, 'standard');
    assert.deepEqual(
      standard.players.map((player) => [player.name, player.wins, player.losses]),
      [
        ['sam', 1, 0],
        ['val', 0, 1],
      ],
    );
    const v1 = (await get(routes, '/api/leaderboard?list=provisional')).body as StandingsPage;
    assert.equal(v1.rules, 'v1');
    assert.deepEqual(
      v1.players.map((player) => [player.name, player.wins, player.losses]),
      [
        ['val', 1, 0],
        ['sam', 0, 1],
      ],
    );
    const bad = await get(routes, '/api/leaderboard?rules=chess');
    assert.equal(bad.status, 400);
    assert.match((bad.body as { error: string }).error, /rules must be v1 or standard/);

    const profile = (await get(routes, '/api/players/SAM')).body as Profile;
    const sam = await store.findAccount('sam');
    assert.ok(sam);
    assert.equal(profile.rating, Math.round(sam.rating.rating));
    assert.equal(profile.losses, 1);
    assert.deepEqual(
      { ...profile.standard, history: profile.standard.history.length },
      {
        rating: Math.round(sam.standard.rating.rating),
        deviation: Math.round(sam.standard.rating.deviation),
        games: 1,
        wins: 1,
        losses: 0,
        draws: 0,
        provisional: true,
        rank: null,
        history: 1,
      },
    );
    assert.equal(profile.standard.history[0]?.gameId, standardId);
    assert.equal(profile.history.length, 1, 'the version-1 history holds the version-1 game only');
    assert.notEqual(profile.history[0]?.gameId, standardId);
    assert.deepEqual(
      profile.recentGames.map((game) => [game.rules, game.timeControl, game.termination]),
      [
        ['v1', null, 'no-pieces'],
        ['standard', { initialSeconds: 300, incrementSeconds: 3 }, 'out-of-time'],
      ],
    );
    const detail = (await get(routes, `/api/games/${standardId}`)).body as GameSummary;
    assert.deepEqual([detail.rules, detail.timeControl?.initialSeconds], ['standard', 300]);
    const pdn = await get(routes, `/api/games/${standardId}.pdn`);
    assert.match(String(pdn.body), /^\[TimeControl "300\+3"\]$/m);
    assert.match(String(pdn.body), /^\[Termination "out-of-time"\]$/m);
    assert.match(String(pdn.body), /^1\. 11-15 \{\[%clk 0:05:01\]\} 1\.\.\. 23-19 \{\[%clk 0:04:59\]\} 1-0$/m);
    const v1Pdn = await get(routes, `/api/games/${profile.recentGames[0]?.id}.pdn`);
    assert.doesNotMatch(String(v1Pdn.body), /TimeControl/);
  });

  it('says the rules and time control of each game in progress', async (t) => {
    const store = SqliteStore.open(join(temporaryDirectory(), 'checkers.db'));
    t.after(() => store.close());
    await store.createAccounts(['sam', 'val'].map((name) => ({ name, passwordHash: 'h' })));
    const [sam, val] = await Promise.all([store.findAccount('sam'), store.findAccount('val')]);
    assert.ok(sam && val);
    const game = (id: number): LiveGame => ({
      id,
      black: { accountId: sam.id, name: sam.name, rating: sam.rating },
      white: { accountId: val.id, name: val.name, rating: val.rating },
      position: INITIAL_POSITION,
      quietPlies: 0,
      lastMove: 0,
      moves: [],
      startedAt: new Date(),
    });
    await store.saveLiveGames([
      game(1),
      { ...game(2), rules: 'standard', timeControl: { initialSeconds: 600, incrementSeconds: 5 } },
      { ...game(3), rules: 'standard' },
    ]);
    const live = (await get([liveRoute(store)], '/api/live')).body as LiveList;
    assert.deepEqual(
      live.games.map((entry) => [entry.id, entry.rules, entry.timeControl]),
      [
        [1, 'v1', null],
        [2, 'standard', { initialSeconds: 600, incrementSeconds: 5 }],
        [3, 'standard', null],
      ],
    );
  });
});
