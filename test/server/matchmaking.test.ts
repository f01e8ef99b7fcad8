import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  acceptableGap,
  DEFAULT_MATCHMAKING,
  pairingPool,
  pairPlayers,
  V1_POOL,
  type WaitingPlayer,
} from '../../src/server/matchmaking.js';

const player = (key: number, rating: number, since = 0, accountId = key): WaitingPlayer => ({
  key,
  accountId,
  rating,
  since,
});
const keys = (pairs: ReturnType<typeof pairPlayers>) => pairs.map(({ first, second }) => [first.key, second.key]);

describe('matchmaking', () => {
  it('pairs the closest ratings first, lower rating moving first', () => {
    const waiting = [player(1, 1200), player(2, 1500), player(3, 1210), player(4, 1480)];
    assert.deepEqual(keys(pairPlayers(waiting, 0)), [
      [1, 3],
      [4, 2],
    ]);
  });

  it('leaves a pair apart until the gap is acceptable, then pairs it', () => {
    const waiting = [player(1, 1200, 0), player(2, 1600, 0)];
    assert.deepEqual(pairPlayers(waiting, 1000), []);
    const seconds = (400 - DEFAULT_MATCHMAKING.initialGap) / DEFAULT_MATCHMAKING.gapPerSecond;
    assert.deepEqual(keys(pairPlayers(waiting, seconds * 1000)), [[1, 2]]);
  });

  it('a long wait on one side is enough', () => {
    const waiting = [player(1, 1200, 0), player(2, 2400, 60_000)];
    assert.equal(acceptableGap(waiting[0] as WaitingPlayer, 60_000, DEFAULT_MATCHMAKING) >= 1200, true);
    assert.deepEqual(keys(pairPlayers(waiting, 60_000)), [[1, 2]]);
  });

  it('on equal ratings the one who waited longer moves first', () => {
    assert.deepEqual(keys(pairPlayers([player(1, 1200, 500), player(2, 1200, 100)], 1000)), [[2, 1]]);
  });

  it('never pairs an account with itself', () => {
    assert.deepEqual(pairPlayers([player(1, 1200, 0, 7), player(2, 1200, 0, 7)], 0), []);
  });

  it('with everyone patient enough, pairs all but one, each player once, never a worse pair before a better one', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3000 }), { maxLength: 60 }), (ratings) => {
        const waiting = ratings.map((rating, key) => player(key, rating, 0));
        const pairs = pairPlayers(waiting, 10_000_000);
        assert.equal(pairs.length, Math.floor(waiting.length / 2));
        const seen = new Set<number>();
        let lastGap = -1;
        for (const { first, second } of pairs) {
          assert.ok(!seen.has(first.key) && !seen.has(second.key));
          seen.add(first.key).add(second.key);
          assert.ok(first.rating <= second.rating);
          const gap = second.rating - first.rating;
          assert.ok(gap >= lastGap, 'pairs come out closest first');
          lastGap = gap;
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('matchmaking pools (protocol version and time control)', () => {
  const blitz = pairingPool(2, { initialSeconds: 180, incrementSeconds: 2 });
  const rapid = pairingPool(2, { initialSeconds: 600, incrementSeconds: 5 });
  const inPool = (key: number, rating: number, pool: string | undefined): WaitingPlayer => ({
    ...player(key, rating),
    ...(pool === undefined ? {} : { pool }),
  });

  it('names one pool for version 1 and one per time control for version 2', () => {
    assert.equal(pairingPool(1), V1_POOL);
    assert.equal(pairingPool(1, { initialSeconds: 180, incrementSeconds: 2 }), V1_POOL);
    assert.equal(blitz, 'v2:180+2');
    assert.notEqual(pairingPool(2, { initialSeconds: 0, incrementSeconds: 0 }), V1_POOL);
    assert.notEqual(blitz, rapid);
  });

  it('never pairs across pools, however close the ratings or long the wait', () => {
    const waiting = [inPool(1, 1200, undefined), inPool(2, 1200, blitz), inPool(3, 1200, rapid)];
    assert.deepEqual(pairPlayers(waiting, 10_000_000), []);
    assert.deepEqual(pairPlayers([inPool(1, 1200, V1_POOL), inPool(2, 1200, blitz)], 10_000_000), []);
  });

  it('a player without a pool is a version-1 player and meets the version-1 pool', () => {
    assert.deepEqual(keys(pairPlayers([inPool(1, 1200, undefined), inPool(2, 1210, V1_POOL)], 0)), [[1, 2]]);
  });

  it('pairs within each pool, closest first across pools', () => {
    const waiting = [
      inPool(1, 1200, blitz),
      inPool(2, 1201, rapid),
      inPool(3, 1250, blitz),
      inPool(4, 1205, rapid),
      inPool(5, 1203, undefined),
    ];
    assert.deepEqual(keys(pairPlayers(waiting, 0)), [
      [2, 4],
      [1, 3],
    ]);
  });

  it('with random pools, every pair shares a pool and each pool pairs all but one', () => {
    const pools = [V1_POOL, blitz, rapid];
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 2 })), { maxLength: 60 }),
        (entries) => {
          const waiting = entries.map(([rating, pool], key) => inPool(key, rating, pools[pool]));
          const pairs = pairPlayers(waiting, 10_000_000);
          for (const { first, second } of pairs) assert.equal(first.pool, second.pool);
          for (const pool of pools) {
            const members = waiting.filter((each) => each.pool === pool).length;
            const paired = pairs.filter(({ first }) => first.pool === pool).length;
            assert.equal(paired, Math.floor(members / 2));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
