import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { STANDINGS_RULE } from '../../../src/server/domain/players.js';
import { openSqliteStore, type SqliteStore } from '../../../src/server/store/sqlite-store.js';
import { addPlayers } from '../../support/accounts.js';
import { temporaryDirectory } from '../../support/test-server.js';
import { recordGameBetween } from './records.js';

describe('community store queries (SQLite)', () => {
  let store: SqliteStore;
  const ids: number[] = [];

  before(async () => {
    store = await openSqliteStore(join(temporaryDirectory(), 'checkers.db'));
    await addPlayers(store, 'q', 4);
    // q1 beats q2 eight times: both get enough games and a lower deviation; q3 plays once; q4 never.
    for (let i = 0; i < 8; i++) ids.push(await recordGameBetween(store, 'q1', 'q2', i % 2 === 0 ? 'black' : 'white'));
    for (let i = 0; i < 8; i++) ids.push(await recordGameBetween(store, 'q2', 'q1', 'white'));
    ids.push(await recordGameBetween(store, 'q3', 'q1', 'draw'));
    ids.push(await recordGameBetween(store, 'q3', 'q4', 'abandoned'));
  });
  after(() => store.close());

  it('ranks players with enough games and a low deviation, best first, and lists the rest apart', async () => {
    const ranked = await store.standings('ranked', 10, 0);
    assert.deepEqual(
      ranked.players.map((player) => [player.rank, player.name]),
      [
        [1, 'q1'],
        [2, 'q2'],
      ],
    );
    for (const player of ranked.players) {
      assert.ok(player.games >= STANDINGS_RULE.minGames && player.deviation <= STANDINGS_RULE.maxDeviation);
    }
    assert.equal(ranked.total, 2);
    const q1 = ranked.players[0];
    assert.deepEqual([q1?.games, q1?.wins, q1?.losses, q1?.draws], [17, 12, 4, 1]);
    const provisional = await store.standings('provisional', 100, 0);
    const names = provisional.players.map((player) => player.name);
    assert.ok(names.includes('q3') && names.includes('q4') && names.includes('cam'));
    assert.ok(!names.includes('q1'));
    assert.equal(provisional.total, provisional.players.length);
  });

  it('pages the standings by limit and offset, ranks continuing across pages', async () => {
    const first = await store.standings('provisional', 3, 0);
    const second = await store.standings('provisional', 3, 3);
    assert.deepEqual(
      second.players.map((player) => player.rank),
      [4, 5, 6],
    );
    const all = await store.standings('provisional', 6, 0);
    assert.deepEqual(
      [...first.players, ...second.players].map((player) => player.name),
      all.players.map((player) => player.name),
    );
  });

  it('gives the rank of a ranked player and none for a provisional one', async () => {
    const q1 = await store.findAccount('q1');
    const q3 = await store.findAccount('q3');
    assert.equal(await store.rankOf(q1?.id ?? 0), 1);
    assert.equal(await store.rankOf(q3?.id ?? 0), undefined);
  });

  it('gives one rating point per rated game, oldest first, the last ones when limited', async () => {
    const q1 = await store.findAccount('q1');
    const history = await store.ratingHistory(q1?.id ?? 0, 100);
    assert.equal(history.length, 17);
    assert.deepEqual(
      history.map((point) => point.gameId),
      ids.slice(0, 17),
    );
    for (let i = 1; i < history.length; i++) assert.equal(history[i]?.before, history[i - 1]?.after);
    assert.equal(history.at(-1)?.after, q1?.rating.rating);
    const last = await store.ratingHistory(q1?.id ?? 0, 5);
    assert.deepEqual(last, history.slice(-5));
    const q4 = await store.findAccount('q4');
    assert.deepEqual(await store.ratingHistory(q4?.id ?? 0, 10), [], 'an abandoned game changes no rating');
  });

  it('pages finished games newest first by cursor, for everyone or one player', async () => {
    const newest = await store.gamesPage({ limit: 5 });
    assert.deepEqual(
      newest.map((game) => game.id),
      ids.slice(-5).reverse(),
    );
    const next = await store.gamesPage({ limit: 5, before: newest.at(-1)?.id ?? 0 });
    assert.deepEqual(
      next.map((game) => game.id),
      ids.slice(-10, -5).reverse(),
    );
    const q3 = await store.findAccount('q3');
    const q3Games = await store.gamesPage({ accountId: q3?.id ?? 0, limit: 10 });
    assert.deepEqual(
      q3Games.map((game) => game.id),
      ids.slice(-2).reverse(),
    );
    const q1 = await store.findAccount('q1');
    const q1Page = await store.gamesPage({ accountId: q1?.id ?? 0, limit: 4, before: ids[10] ?? 0 });
    assert.deepEqual(
      q1Page.map((game) => game.id),
      ids.slice(6, 10).reverse(),
    );
  });

  it('finds one game with its moves', async () => {
    const game = await store.findGame(ids[0] ?? 0);
    assert.equal(game?.black.name, 'q1');
    assert.deepEqual(game?.moves, ['11-15', '23-19', '8-11', '22-17']);
    assert.equal(await store.findGame(999_999), undefined);
  });

  it('pages the games in progress', async () => {
    const [a, b] = await Promise.all([store.findAccount('q1'), store.findAccount('q2')]);
    if (!a || !b) throw new Error('accounts missing');
    const live = (id: number) => ({
      id,
      black: { accountId: a.id, name: a.name, rating: a.rating },
      white: { accountId: b.id, name: b.name, rating: b.rating },
      position: { black: 0xfff, white: 0xfff00000, kings: 0, turn: 0 as const },
      quietPlies: 0,
      lastMove: 0,
      moves: ['11-15'],
      startedAt: new Date(),
    });
    await store.saveLiveGames([live(1), live(2), live(3)]);
    const page = await store.liveGamesPage(2, 1);
    assert.equal(page.total, 3);
    assert.deepEqual(
      page.games.map((game) => game.id),
      [2, 3],
    );
    assert.deepEqual(page.games[0]?.moves, ['11-15']);
  });
});
