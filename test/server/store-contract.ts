import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { INITIAL_POSITION } from '../../src/game/position.js';
import type { FinishedGame, LiveGame } from '../../src/server/domain/games.js';
import type { Account } from '../../src/server/domain/players.js';
import { DEFAULT_RATING, rateGame } from '../../src/server/domain/rating.js';
import type { Store } from '../../src/server/store/store.js';

/** What every store must also offer the operator commands. */
export interface ContractStore extends Store {
  renameAccount(id: number, name: string): Promise<boolean>;
}

/**
 * A new, empty store (no demo accounts) for one test, and the way to open it
 * again (the same database through a new connection) to see what is durable.
 */
export interface StoreFactory {
  create(): Promise<{ store: ContractStore; reopen(): Promise<ContractStore> }>;
}

const HASH = 'hash-of-a-password';

function finished(black: Account, white: Account, winner: FinishedGame['winner']): FinishedGame {
  const rated =
    winner === 'abandoned'
      ? { black: black.rating, white: white.rating }
      : rateGame(black.rating, white.rating, winner === 'draw' ? 0.5 : winner === 'black' ? 1 : 0);
  return {
    black: { accountId: black.id, name: black.name, before: black.rating, after: rated.black },
    white: { accountId: white.id, name: white.name, before: white.rating, after: rated.white },
    winner,
    termination: winner === 'abandoned' ? 'disconnect' : 'no-pieces',
    moves: ['11-15', '23-19'],
    startedAt: new Date('2026-01-02T03:04:05.678Z'),
    endedAt: new Date('2026-01-02T03:14:05.000Z'),
  };
}

function live(id: number, black: Account, white: Account, moves: readonly string[] = ['11-15']): LiveGame {
  return {
    id,
    black: { accountId: black.id, name: black.name, rating: black.rating },
    white: { accountId: white.id, name: white.name, rating: white.rating },
    // The top bit set: bitmaps are unsigned 32-bit in every store.
    position: { ...INITIAL_POSITION, kings: 0x80000001, turn: 1 },
    quietPlies: 3,
    lastMove: 12345,
    moves,
    startedAt: new Date('2026-01-02T03:04:05.678Z'),
  };
}

/** The behaviour every Store shares, run against each implementation. */
export function storeContract(name: string, factory: StoreFactory, skip: string | false = false): void {
  describe(`${name} keeps the Store contract`, { skip }, () => {
    const open = async (t: { after(fn: () => unknown): void }) => {
      const opened = await factory.create();
      t.after(() => opened.store.close());
      return opened;
    };

    it('finds accounts by name in any case, the exact spelling first', async (t) => {
      const { store } = await open(t);
      const created = await store.createAccount('Alice', HASH);
      assert.equal(created.name, 'Alice');
      assert.deepEqual(created.rating, DEFAULT_RATING);
      assert.equal((await store.findAccount('alice'))?.id, created.id);
      assert.equal((await store.findAccount('ALICE'))?.passwordHash, HASH);
      assert.equal(await store.findAccount('bob'), undefined);
      await assert.rejects(store.createAccount('aLiCe', HASH), /already exists/);
    });

    it('creates accounts all or none', async (t) => {
      const { store } = await open(t);
      await store.createAccount('taken', HASH);
      await assert.rejects(
        store.createAccounts([
          { name: 'new1', passwordHash: HASH },
          { name: 'TAKEN', passwordHash: HASH },
        ]),
      );
      assert.equal(await store.findAccount('new1'), undefined);
      await store.createAccounts([
        { name: 'new1', passwordHash: HASH },
        { name: 'new2', passwordHash: HASH, rating: { rating: 1500, deviation: 100, volatility: 0.05 } },
      ]);
      assert.equal((await store.findAccount('new2'))?.rating.rating, 1500);
    });

    it('changes passwords, renames and removes accounts, and lists them by rating then name', async (t) => {
      const { store } = await open(t);
      await store.createAccounts([
        { name: 'b', passwordHash: HASH },
        { name: 'a', passwordHash: HASH },
        { name: 'Z', passwordHash: HASH },
        { name: 'top', passwordHash: HASH, rating: { rating: 1900, deviation: 80, volatility: 0.06 } },
      ]);
      assert.deepEqual(
        (await store.listAccounts()).map((account) => account.name),
        ['top', 'Z', 'a', 'b'],
      );
      assert.equal(await store.setPassword('A', 'other'), true);
      assert.equal((await store.findAccount('a'))?.passwordHash, 'other');
      assert.equal(await store.setPassword('nobody', 'other'), false);
      const b = await store.findAccount('b');
      assert.ok(b);
      assert.equal(await store.renameAccount(b.id, 'z'), false, 'z is Z in another case');
      assert.equal(await store.renameAccount(b.id, 'bee'), true);
      assert.equal((await store.findAccount('bee'))?.id, b.id);
      assert.equal(await store.removeAccount('BEE'), true);
      assert.equal(await store.removeAccount('bee'), false);
      assert.deepEqual(await store.removedAccounts([b.id, (await store.findAccount('a'))?.id ?? 0]), [b.id]);
    });

    it('sees accounts removed by another process, and nothing removed while nothing changed', async (t) => {
      const { store, reopen } = await open(t);
      await store.createAccounts(['r1', 'r2', 'r3'].map((name) => ({ name, passwordHash: HASH })));
      const ids = await Promise.all(['r1', 'r2', 'r3'].map(async (name) => (await store.findAccount(name))?.id ?? 0));
      assert.deepEqual(await store.removedAccounts(ids), []);
      assert.deepEqual(await store.removedAccounts(ids), []);
      const other = await reopen();
      t.after(() => other.close());
      assert.equal(await other.removeAccount('r2'), true);
      assert.deepEqual(await store.removedAccounts(ids), [ids[1]]);
      // An account created and another removed between two checks: the removal is still seen.
      await other.createAccount('r4', HASH);
      assert.equal(await other.removeAccount('r3'), true);
      assert.deepEqual(await store.removedAccounts(ids), [ids[1], ids[2]]);
    });

    it('records a finished game with both ratings and counts, removing its live game, in one commit', async (t) => {
      const { store, reopen } = await open(t);
      await store.createAccounts([
        { name: 'cam', passwordHash: HASH },
        { name: 'jen', passwordHash: HASH },
      ]);
      const cam = await store.findAccount('cam');
      const jen = await store.findAccount('jen');
      assert.ok(cam && jen);
      await store.commit({ live: [live(7, cam, jen)], finished: [] });
      assert.equal(await store.maxLiveGameId(), 7);
      const game = finished(cam, jen, 'black');
      await store.commit({ live: [], finished: [{ game, liveId: 7 }] });
      assert.equal(await store.maxLiveGameId(), 0);

      const again = await reopen();
      t.after(() => again.close());
      const camAfter = await again.findAccount('cam');
      const jenAfter = await again.findAccount('jen');
      assert.deepEqual(camAfter?.rating, game.black.after);
      assert.deepEqual(jenAfter?.rating, game.white.after);
      assert.deepEqual([camAfter?.games, camAfter?.wins, camAfter?.losses, camAfter?.draws], [1, 1, 0, 0]);
      assert.deepEqual([jenAfter?.games, jenAfter?.wins, jenAfter?.losses, jenAfter?.draws], [1, 0, 1, 0]);
      const [stored] = await again.listGames();
      assert.ok(stored);
      assert.equal(stored.winner, 'black');
      assert.equal(stored.termination, 'no-pieces');
      assert.deepEqual(stored.moves, ['11-15', '23-19']);
      assert.equal(stored.black.name, 'cam');
      assert.equal(stored.black.ratingBefore, cam.rating.rating);
      assert.equal(stored.white.ratingAfter, game.white.after.rating);
      assert.equal(stored.startedAt.toISOString(), game.startedAt.toISOString());
      assert.equal(stored.endedAt.toISOString(), game.endedAt.toISOString());
    });

    it('counts draws, leaves abandoned games unrated and uncounted, and lists games by player', async (t) => {
      const { store } = await open(t);
      await store.createAccounts(['p1', 'p2', 'p3'].map((name) => ({ name, passwordHash: HASH })));
      const [p1, p2, p3] = await Promise.all(['p1', 'p2', 'p3'].map((name) => store.findAccount(name)));
      assert.ok(p1 && p2 && p3);
      await store.commit({
        live: [],
        finished: [{ game: finished(p1, p2, 'draw') }, { game: finished(p2, p3, 'abandoned') }],
      });
      const after2 = await store.findAccount('p2');
      assert.deepEqual([after2?.games, after2?.draws], [1, 1]);
      const after3 = await store.findAccount('p3');
      assert.deepEqual(after3?.rating, DEFAULT_RATING);
      assert.equal(after3?.games, 0);
      assert.equal((await store.listGames({ user: 'P3' })).length, 1);
      assert.equal((await store.listGames({ user: 'p2' })).length, 2);
      assert.equal((await store.listGames()).length, 2);
    });

    it('keeps games in progress exactly, updating them in place', async (t) => {
      const { store, reopen } = await open(t);
      await store.createAccounts(['w1', 'w2'].map((name) => ({ name, passwordHash: HASH })));
      const [w1, w2] = await Promise.all(['w1', 'w2'].map((name) => store.findAccount(name)));
      assert.ok(w1 && w2);
      await store.saveLiveGames([live(3, w1, w2, []), live(5, w2, w1)]);
      await store.commit({ live: [live(3, w1, w2, ['9-14', '22-17'])], finished: [] });
      const again = await reopen();
      t.after(() => again.close());
      const games = await again.loadLiveGames();
      assert.deepEqual(
        games.map((game) => game.id),
        [3, 5],
      );
      assert.deepEqual(games[0], live(3, w1, w2, ['9-14', '22-17']));
      assert.deepEqual(games[1], live(5, w2, w1));
      assert.equal(await again.maxLiveGameId(), 5);
      assert.deepEqual(await again.loadLiveGames([5, 7]), [live(5, w2, w1)], 'only the ids asked for');
      assert.deepEqual(await again.loadLiveGames([]), []);
      assert.deepEqual(await again.liveGameRefs(), [
        { id: 3, blackId: w1.id, whiteId: w2.id },
        { id: 5, blackId: w2.id, whiteId: w1.id },
      ]);
      assert.deepEqual(await again.liveGameRefs({ after: 0, limit: 1 }), [{ id: 3, blackId: w1.id, whiteId: w2.id }]);
      assert.deepEqual(await again.liveGameRefs({ after: 3, limit: 5 }), [{ id: 5, blackId: w2.id, whiteId: w1.id }]);
      assert.deepEqual(await again.liveGameRefs({ after: 5, limit: 5 }), []);
    });

    it('pages the standings, ranks, rating histories, games and games in progress', async (t) => {
      const { store } = await open(t);
      const settled = { deviation: 100, volatility: 0.06 };
      await store.createAccounts([
        { name: 'ace', passwordHash: HASH, rating: { rating: 1800, ...settled } },
        { name: 'bee', passwordHash: HASH, rating: { rating: 1700, ...settled } },
        { name: 'new', passwordHash: HASH },
      ]);
      const [ace, bee, newcomer] = await Promise.all(['ace', 'bee', 'new'].map((name) => store.findAccount(name)));
      assert.ok(ace && bee && newcomer);
      const games = Array.from({ length: 5 }, () => ({ game: finished(ace, bee, 'black') }));
      await store.commit({ live: [live(4, bee, newcomer)], finished: games });
      const aceNow = await store.findAccount('ace');
      assert.ok(aceNow);
      await store.commit({ live: [], finished: [{ game: finished(aceNow, newcomer, 'abandoned') }] });

      const ranked = await store.standings('ranked', 1, 0);
      assert.equal(ranked.total, 2);
      assert.deepEqual(
        ranked.players.map((player) => [player.rank, player.name, player.games, player.wins]),
        [[1, 'ace', 5, 5]],
      );
      assert.deepEqual(
        (await store.standings('ranked', 5, 1)).players.map((player) => [player.rank, player.name]),
        [[2, 'bee']],
      );
      assert.deepEqual(
        (await store.standings('provisional', 10, 0)).players.map((player) => player.name),
        ['new'],
      );
      assert.equal(await store.rankOf(bee.id), 2);
      assert.equal(await store.rankOf(newcomer.id), undefined);

      const history = await store.ratingHistory(ace.id, 3);
      assert.equal(history.length, 3, 'the last three rated games; the abandoned one has no point');
      assert.equal(history.at(-1)?.after, (await store.findAccount('ace'))?.rating.rating);
      assert.ok(history.every((point, index) => index === 0 || point.gameId > (history[index - 1]?.gameId ?? 0)));

      const all = await store.listGames();
      assert.equal(all.length, 6);
      const page = await store.gamesPage({ limit: 2 });
      assert.deepEqual(
        page.map((game) => game.id),
        all
          .map((game) => game.id)
          .reverse()
          .slice(0, 2),
      );
      const older = await store.gamesPage({ accountId: newcomer.id, before: page[0]?.id ?? 0, limit: 5 });
      assert.deepEqual(older, []);
      assert.equal((await store.gamesPage({ accountId: newcomer.id, limit: 5 })).length, 1);
      assert.deepEqual(await store.findGame(all[0]?.id ?? 0), all[0]);
      assert.equal(await store.findGame(999_999), undefined);
      assert.deepEqual(await store.liveGamesPage(10, 0), { total: 1, games: [live(4, bee, newcomer)] });
    });

    it('fences off the writes of a game whose stored token is larger, writing the rest of the commit', async (t) => {
      const { store, reopen } = await open(t);
      await store.createAccounts(['k1', 'k2', 'k3', 'k4'].map((name) => ({ name, passwordHash: HASH })));
      const [k1, k2, k3, k4] = await Promise.all(['k1', 'k2', 'k3', 'k4'].map((name) => store.findAccount(name)));
      assert.ok(k1 && k2 && k3 && k4);
      const fenced = (id: number, black: Account, white: Account, fence: number, moves: readonly string[]) => ({
        ...live(id, black, white, moves),
        fence,
      });
      const stored = async (from: Store = store) =>
        new Map((await from.loadLiveGames()).map((game) => [game.id, game.moves.join(' ')]));
      assert.deepEqual(
        await store.commit({ live: [fenced(1, k1, k2, 5, ['11-15']), fenced(2, k3, k4, 5, ['9-13'])], finished: [] }),
        { fenced: [] },
      );

      // Moves only (one statement in PostgreSQL): game 1 with a smaller token is not written, game 2 is.
      const movesOnly = await store.commit({
        live: [fenced(1, k1, k2, 4, ['11-15', '23-19']), fenced(2, k3, k4, 6, ['9-13', '22-18'])],
        finished: [],
      });
      assert.deepEqual(movesOnly.fenced, [1]);
      assert.deepEqual(
        await stored(),
        new Map([
          [1, '11-15'],
          [2, '9-13 22-18'],
        ]),
      );

      // With a finished game (a transaction): the stale result is not recorded and changes no rating.
      const mixed = await store.commit({
        live: [fenced(2, k3, k4, 6, ['9-13', '22-18', '13-17'])],
        finished: [{ game: finished(k1, k2, 'black'), liveId: 1, fence: 4 }],
      });
      assert.deepEqual(mixed.fenced, [1]);
      assert.equal((await store.listGames()).length, 0);
      for (const account of [k1, k2]) {
        const now = await store.findAccount(account.name);
        assert.deepEqual([now?.rating, now?.games, now?.wins, now?.losses], [DEFAULT_RATING, 0, 0, 0]);
      }
      assert.equal((await stored()).get(2), '9-13 22-18 13-17');

      // The referee's own token (equal) is accepted; then a stale upsert cannot bring the finished game back.
      const game = finished(k1, k2, 'white');
      assert.deepEqual(await store.commit({ live: [], finished: [{ game, liveId: 1, fence: 5 }] }), { fenced: [] });
      assert.deepEqual((await store.commit({ live: [fenced(1, k1, k2, 4, ['11-15'])], finished: [] })).fenced, [1]);
      const again = await reopen();
      t.after(() => again.close());
      assert.deepEqual([...(await stored(again)).keys()], [2]);
      assert.equal((await again.listGames()).length, 1);
      assert.deepEqual((await again.findAccount('k2'))?.rating, game.white.after);
      assert.equal((await again.findAccount('k2'))?.wins, 1);
    });

    it('stores a takeover token before the new referee reads the game, and knows the largest token', async (t) => {
      const { store } = await open(t);
      await store.createAccounts(['m1', 'm2'].map((name) => ({ name, passwordHash: HASH })));
      const [m1, m2] = await Promise.all(['m1', 'm2'].map((name) => store.findAccount(name)));
      assert.ok(m1 && m2);
      assert.equal(await store.maxFence(), 0);
      await store.commit({ live: [{ ...live(6, m1, m2), fence: 3 }], finished: [] });
      assert.deepEqual(await store.fenceGames([{ id: 6, fence: 8 }]), []);
      assert.deepEqual(await store.fenceGames([{ id: 6, fence: 7 }]), [6], 'a smaller token than the stored one');
      const stale = await store.commit({ live: [{ ...live(6, m1, m2, ['11-15', '22-18']), fence: 3 }], finished: [] });
      assert.deepEqual(stale.fenced, [6]);
      assert.deepEqual((await store.loadLiveGames())[0]?.moves, ['11-15']);
      // A game without a token (one node, or the house bot's) is never fenced.
      assert.deepEqual(await store.commit({ live: [live(6, m1, m2, ['11-15', '22-18'])], finished: [] }), {
        fenced: [],
      });
      assert.deepEqual((await store.loadLiveGames())[0]?.moves, ['11-15', '22-18']);
      assert.equal(await store.maxFence(), 8);
    });

    it('commits nothing at all when one write of the turn fails', async (t) => {
      const { store } = await open(t);
      await store.createAccounts(['f1', 'f2'].map((name) => ({ name, passwordHash: HASH })));
      const [f1, f2] = await Promise.all(['f1', 'f2'].map((name) => store.findAccount(name)));
      assert.ok(f1 && f2);
      const broken = { ...finished(f1, f2, 'white'), winner: 'nobody' } as unknown as FinishedGame;
      await assert.rejects(
        store.commit({ live: [live(9, f1, f2)], finished: [{ game: finished(f1, f2, 'black') }, { game: broken }] }),
      );
      assert.equal(await store.maxLiveGameId(), 0);
      assert.equal((await store.listGames()).length, 0);
      assert.equal((await store.findAccount('f1'))?.games, 0);
    });
  });
}
