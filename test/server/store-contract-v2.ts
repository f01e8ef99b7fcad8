import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { INITIAL_POSITION } from '../../src/game/position.js';
import { type FinishedGame, type LiveGame, NO_CLOCK, type Rules } from '../../src/server/domain/games.js';
import type { Account } from '../../src/server/domain/players.js';
import { DEFAULT_RATING, rateGame } from '../../src/server/domain/rating.js';
import { newResumeToken, resumeTokenHash } from '../../src/server/resume/token.js';
import { MAX_RESUME_TOKENS_PER_ACCOUNT } from '../../src/server/store/store.js';
import type { StoreFactory } from './store-contract.js';

/*
 * What protocol version 2 adds to the Store contract: resume tokens, and the
 * standard-rules rating with each game's rules and time control. Run against
 * every store beside storeContract.
 */

const HASH = 'hash-of-a-password';
const DAY_MS = 24 * 60 * 60 * 1000;
const T0 = new Date('2026-03-01T12:00:00.000Z');

function at(offsetMs: number): Date {
  return new Date(T0.getTime() + offsetMs);
}

function tokenHash(): string {
  return resumeTokenHash(newResumeToken());
}

/** A finished game of `rules` won by `winner`, rated from the record of those rules. */
function finishedUnder(rules: Rules, black: Account, white: Account, winner: 'black' | 'white' | 'draw'): FinishedGame {
  const record = (account: Account) => (rules === 'standard' ? account.standard.rating : account.rating);
  const rated = rateGame(record(black), record(white), winner === 'draw' ? 0.5 : winner === 'black' ? 1 : 0);
  return {
    black: { accountId: black.id, name: black.name, before: record(black), after: rated.black },
    white: { accountId: white.id, name: white.name, before: record(white), after: rated.white },
    winner,
    termination: rules === 'standard' ? (winner === 'draw' ? 'draw-agreed' : 'resignation') : 'no-pieces',
    moves: ['11-15', '23-19'],
    startedAt: at(0),
    endedAt: at(60_000),
    ...(rules === 'standard'
      ? { rules, timeControl: { initialSeconds: 300, incrementSeconds: 3 }, moveClocks: [301_000, 297_250] }
      : {}),
  };
}

function standardLive(id: number, black: Account, white: Account, clocks: LiveGame['clocks']): LiveGame {
  return {
    id,
    black: { accountId: black.id, name: black.name, rating: black.standard.rating },
    white: { accountId: white.id, name: white.name, rating: white.standard.rating },
    position: { ...INITIAL_POSITION, turn: 1 },
    quietPlies: 0,
    lastMove: 0,
    moves: ['11-15'],
    startedAt: at(0),
    rules: 'standard',
    timeControl: { initialSeconds: 180, incrementSeconds: 2 },
    ...(clocks ? { clocks } : {}),
  };
}

export function storeContractV2(name: string, factory: StoreFactory, skip: string | false = false): void {
  describe(`${name} keeps the version-2 Store contract`, { skip }, () => {
    const open = async (t: { after(fn: () => unknown): void }) => {
      const opened = await factory.create();
      t.after(() => opened.store.close());
      return opened;
    };
    const twoAccounts = async (store: Awaited<ReturnType<StoreFactory['create']>>['store']) => {
      await store.createAccounts(['ann', 'bob'].map((name) => ({ name, passwordHash: HASH })));
      const [ann, bob] = await Promise.all([store.findAccount('ann'), store.findAccount('bob')]);
      assert.ok(ann && bob);
      return { ann, bob };
    };

    it('stores a resume token by its hash until it expires, and renews it only while valid', async (t) => {
      const { store, reopen } = await open(t);
      const { ann } = await twoAccounts(store);
      const hash = tokenHash();
      assert.equal(await store.addResumeToken(ann.id, hash, at(30 * DAY_MS), T0), true);
      const again = await reopen();
      t.after(() => again.close());
      assert.deepEqual(await again.findResumeToken(hash, at(DAY_MS)), {
        accountId: ann.id,
        expiresAt: at(30 * DAY_MS),
      });
      assert.equal(await again.findResumeToken(tokenHash(), at(DAY_MS)), undefined, 'an unknown token');
      assert.equal(await again.findResumeToken(hash, at(30 * DAY_MS)), undefined, 'expired at its expiry');
      assert.equal(await again.renewResumeToken(hash, at(30 * DAY_MS), at(60 * DAY_MS)), false, 'expired: no renewal');
      assert.equal(await again.findResumeToken(hash, at(30 * DAY_MS)), undefined);
      assert.equal(await again.renewResumeToken(hash, at(29 * DAY_MS), at(59 * DAY_MS)), true);
      assert.deepEqual(await again.findResumeToken(hash, at(58 * DAY_MS)), {
        accountId: ann.id,
        expiresAt: at(59 * DAY_MS),
      });
    });

    it('revokes one token, or all of an account, and stores none for a missing account', async (t) => {
      const { store } = await open(t);
      const { ann, bob } = await twoAccounts(store);
      const [a1, a2, b1] = [tokenHash(), tokenHash(), tokenHash()];
      for (const [id, hash] of [
        [ann.id, a1],
        [ann.id, a2],
        [bob.id, b1],
      ] as const) {
        assert.equal(await store.addResumeToken(id, hash, at(DAY_MS), T0), true);
      }
      assert.equal(await store.revokeResumeToken(a1), true);
      assert.equal(await store.revokeResumeToken(a1), false, 'already revoked');
      assert.equal(await store.findResumeToken(a1, T0), undefined);
      assert.equal((await store.findResumeToken(a2, T0))?.accountId, ann.id);
      assert.equal(await store.revokeResumeTokens(ann.id), 1);
      assert.equal(await store.findResumeToken(a2, T0), undefined);
      assert.equal((await store.findResumeToken(b1, T0))?.accountId, bob.id, "another account's token stays");
      assert.equal(await store.addResumeToken(ann.id + bob.id + 100, tokenHash(), at(DAY_MS), T0), false);
    });

    it('keeps a bounded number of tokens per account, dropping expired ones and then those expiring first', async (t) => {
      const { store } = await open(t);
      const { ann } = await twoAccounts(store);
      const expired = tokenHash();
      await store.addResumeToken(ann.id, expired, at(DAY_MS), T0);
      const hashes = Array.from({ length: MAX_RESUME_TOKENS_PER_ACCOUNT + 1 }, () => tokenHash());
      // Added two days on, each expiring a minute after the one before.
      for (const [index, hash] of hashes.entries()) {
        assert.equal(await store.addResumeToken(ann.id, hash, at(30 * DAY_MS + index * 60_000), at(2 * DAY_MS)), true);
      }
      const now = at(2 * DAY_MS);
      assert.equal(await store.findResumeToken(expired, at(0)), undefined, 'the expired token was dropped');
      assert.equal(await store.findResumeToken(hashes[0] as string, now), undefined, 'the one expiring first went');
      for (const hash of hashes.slice(1)) assert.equal((await store.findResumeToken(hash, now))?.accountId, ann.id);
      assert.equal(await store.revokeResumeTokens(ann.id), MAX_RESUME_TOKENS_PER_ACCOUNT);
    });

    it('revokes the tokens with a password change and a removal, not with a rehash', async (t) => {
      const { store } = await open(t);
      const { ann, bob } = await twoAccounts(store);
      const [a1, b1] = [tokenHash(), tokenHash()];
      await store.addResumeToken(ann.id, a1, at(DAY_MS), T0);
      await store.addResumeToken(bob.id, b1, at(DAY_MS), T0);
      assert.equal(await store.setPassword('ANN', 'rehashed', { keepResumeTokens: true }), true);
      assert.equal((await store.findResumeToken(a1, T0))?.accountId, ann.id);
      assert.equal(await store.setPassword('ann', 'changed'), true);
      assert.equal((await store.findAccount('ann'))?.passwordHash, 'changed');
      assert.equal(await store.findResumeToken(a1, T0), undefined);
      assert.equal(await store.removeAccount('Bob'), true);
      assert.equal(await store.findResumeToken(b1, T0), undefined);
      await store.createAccount('bob', HASH);
      assert.equal(await store.findResumeToken(b1, T0), undefined, 'a new account of the same name has none');
    });

    it('gives every account a standard rating at the start, apart from the version-1 one', async (t) => {
      const { store, reopen } = await open(t);
      const created = await store.createAccount('new', HASH, { rating: 1700, deviation: 90, volatility: 0.05 });
      const expected = { rating: DEFAULT_RATING, games: 0, wins: 0, losses: 0, draws: 0 };
      assert.deepEqual(created.standard, expected);
      const again = await reopen();
      t.after(() => again.close());
      assert.deepEqual((await again.findAccount('new'))?.standard, expected);
      assert.equal((await again.findAccount('new'))?.rating.rating, 1700);
    });

    it('rates a standard game on the standard ratings and a version-1 game on the others, with rules and clock', async (t) => {
      const { store, reopen } = await open(t);
      const { ann, bob } = await twoAccounts(store);
      const standard = finishedUnder('standard', ann, bob, 'white');
      await store.commit({ live: [standardLive(4, ann, bob, undefined)], finished: [] });
      await store.commit({ live: [], finished: [{ game: standard, liveId: 4 }] });
      const again = await reopen();
      t.after(() => again.close());
      const [annAfter, bobAfter] = await Promise.all([again.findAccount('ann'), again.findAccount('bob')]);
      assert.ok(annAfter && bobAfter);
      assert.deepEqual(annAfter.standard, { rating: standard.black.after, games: 1, wins: 0, losses: 1, draws: 0 });
      assert.deepEqual(bobAfter.standard, { rating: standard.white.after, games: 1, wins: 1, losses: 0, draws: 0 });
      assert.deepEqual([annAfter.rating, annAfter.games], [DEFAULT_RATING, 0], 'the version-1 rating is untouched');
      assert.equal(await again.maxLiveGameId(), 0);

      const v1 = finishedUnder('v1', annAfter, bobAfter, 'draw');
      await again.recordGame(v1);
      const annLater = await again.findAccount('ann');
      assert.deepEqual(annLater?.rating, v1.black.after);
      assert.deepEqual([annLater?.games, annLater?.draws], [1, 1]);
      assert.deepEqual(annLater?.standard, annAfter.standard, 'the standard rating is untouched');

      const [first, second] = await again.listGames();
      assert.ok(first && second);
      assert.deepEqual(
        [first.rules, first.timeControl, first.termination],
        ['standard', { initialSeconds: 300, incrementSeconds: 3 }, 'resignation'],
      );
      assert.deepEqual([second.rules, second.timeControl], ['v1', NO_CLOCK]);
      assert.deepEqual((await again.findGame(first.id))?.timeControl, first.timeControl);
      assert.deepEqual(first.moveClocks, [301_000, 297_250], "each move's clock time is kept");
      assert.equal(second.moveClocks, undefined, 'a game without a clock has none');
    });

    it('lists standings, ranks and rating histories per rule set', async (t) => {
      const { store } = await open(t);
      const strong = { rating: 1800, deviation: 60, volatility: 0.06 };
      await store.createAccounts([
        { name: 'v1star', passwordHash: HASH, rating: strong },
        { name: 'std1', passwordHash: HASH },
        { name: 'std2', passwordHash: HASH },
      ]);
      // Six standard games that std1 wins: enough games for both, still provisional by deviation.
      for (let game = 0; game < 6; game++) {
        const [std1, std2] = await Promise.all([store.findAccount('std1'), store.findAccount('std2')]);
        assert.ok(std1 && std2);
        await store.recordGame(finishedUnder('standard', std1, std2, 'black'));
      }
      const std1 = await store.findAccount('std1');
      assert.ok(std1);
      const provisional = await store.standings('provisional', 10, 0, 'standard');
      assert.deepEqual(
        provisional.players.map((player) => [player.name, player.games, player.wins]),
        [
          ['std1', 6, 6],
          ['v1star', 0, 0],
          ['std2', 6, 0],
        ],
      );
      assert.equal(provisional.players[0]?.rating, std1.standard.rating.rating);
      assert.equal(provisional.total, 3);
      const v1 = await store.standings('provisional', 10, 0);
      assert.deepEqual(
        v1.players.map((player) => [player.name, player.rating, player.games]),
        [
          ['v1star', 1800, 0],
          ['std1', 1200, 0],
          ['std2', 1200, 0],
        ],
        'the version-1 list, by the version-1 ratings and counts',
      );
      assert.equal((await store.ratingHistory(std1.id, 10, 'standard')).length, 6);
      assert.deepEqual(await store.ratingHistory(std1.id, 10), [], 'no version-1 games');
      assert.equal(await store.rankOf(std1.id, 'standard'), undefined, 'provisional');
    });

    it('ranks players by the standard rating once they meet the rule', async (t) => {
      const { store } = await open(t);
      await store.createAccounts(['r1', 'r2'].map((name) => ({ name, passwordHash: HASH })));
      for (let game = 0; game < 40; game++) {
        const [r1, r2] = await Promise.all([store.findAccount('r1'), store.findAccount('r2')]);
        assert.ok(r1 && r2);
        await store.recordGame(finishedUnder('standard', r1, r2, game % 3 === 0 ? 'white' : 'black'));
      }
      const ranked = await store.standings('ranked', 10, 0, 'standard');
      assert.deepEqual(
        ranked.players.map((player) => player.name),
        ['r1', 'r2'],
      );
      const [r1, r2] = await Promise.all([store.findAccount('r1'), store.findAccount('r2')]);
      assert.ok(r1 && r2 && r1.standard.rating.deviation <= 150);
      assert.deepEqual([await store.rankOf(r1.id, 'standard'), await store.rankOf(r2.id, 'standard')], [1, 2]);
      assert.equal(await store.rankOf(r1.id), undefined, 'no version-1 games: not ranked there');
      assert.equal((await store.standings('ranked', 10, 0)).total, 0);
    });

    it('keeps a standard game in progress with its time control and both clocks', async (t) => {
      const { store, reopen } = await open(t);
      const { ann, bob } = await twoAccounts(store);
      await store.saveLiveGames([standardLive(9, ann, bob, { blackMs: 180_000, whiteMs: 180_000, at: at(0) })]);
      const moved = standardLive(9, ann, bob, { blackMs: 171_250, whiteMs: 180_000, at: at(8_750) });
      await store.commit({ live: [moved], finished: [] });
      const again = await reopen();
      t.after(() => again.close());
      assert.deepEqual(await again.loadLiveGames([9]), [moved]);
      const unclocked = standardLive(10, ann, bob, undefined);
      await again.saveLiveGames([{ ...unclocked, timeControl: NO_CLOCK }]);
      const [read] = await again.loadLiveGames([10]);
      assert.equal(read?.rules, 'standard');
      assert.equal(read?.clocks, undefined);
      assert.equal(read?.timeControl, undefined, 'no clock reads as absent (NO_CLOCK)');
    });

    it('keeps whether a game in progress is rated and the computer level it is played at', async (t) => {
      const { store, reopen } = await open(t);
      const { ann, bob } = await twoAccounts(store);
      const casual: LiveGame = { ...standardLive(11, ann, bob, undefined), rated: false, botLevel: 7 };
      await store.saveLiveGames([casual, standardLive(12, ann, bob, undefined)]);
      const again = await reopen();
      t.after(() => again.close());
      const [first, second] = await again.loadLiveGames([11, 12]);
      assert.equal(first?.rated, false);
      assert.equal(first?.botLevel, 7);
      assert.equal(second?.rated, undefined, 'rated reads as absent (the default)');
      assert.equal(second?.botLevel, undefined);
    });

    it('marks a guest account, and keeps guests out of both standings lists', async (t) => {
      const { store, reopen } = await open(t);
      const { ann } = await twoAccounts(store);
      const guest = await store.createAccount('guest-12345', 'no hash', undefined, { guest: true });
      assert.equal(guest.guest, true);
      assert.equal(ann.guest, undefined, 'an account is not a guest');
      await assert.rejects(store.createAccount('GUEST-12345', 'no hash', undefined, { guest: true }));
      const again = await reopen();
      t.after(() => again.close());
      assert.equal((await again.findAccount('guest-12345'))?.guest, true);
      for (const list of ['ranked', 'provisional'] as const) {
        for (const rules of ['v1', 'standard'] as const) {
          const page = await again.standings(list, 50, 0, rules);
          assert.ok(!page.players.some((player) => player.name === 'guest-12345'), `${list} ${rules}`);
        }
      }
      const provisional = await again.standings('provisional', 50, 0, 'standard');
      assert.deepEqual(
        provisional.players.map((player) => player.name),
        ['ann', 'bob'],
      );
    });
  });
}
