import { DEFAULT_RATING } from '../../src/server/domain/rating.js';
import { hashPassword } from '../../src/server/passwords.js';
import { openSqliteStore } from '../../src/server/store/sqlite-store.js';

export const BENCH_PASSWORD = 'bench';

/**
 * Bench-only seeding: writes accounts straight into a fresh database file
 * before the server starts (no protocol backdoor). All share one hash, so
 * seeding 10,000 accounts takes one hash. With `cheapHash`, that hash uses a
 * low scrypt cost (N=1024, about 2 ms instead of 190 ms here); the server
 * verifies with the cost stored in the hash (and is started with
 * --no-rehash-passwords), so a 10,000-player ramp-up does not take minutes.
 * Pass --real-hash to measure logins at the real cost.
 */
export async function seedAccounts(
  dbPath: string,
  groups: ReadonlyArray<{ prefix: string; count: number; rating?: number }>,
  cheapHash: boolean,
): Promise<void> {
  const store = await openSqliteStore(dbPath);
  try {
    const hash = await hashPassword(BENCH_PASSWORD, cheapHash ? { N: 1024, r: 8, p: 1 } : undefined);
    for (const group of groups) {
      const names = Array.from({ length: group.count }, (_, i) => `${group.prefix}${i}`);
      const rating = group.rating === undefined ? undefined : { ...DEFAULT_RATING, rating: group.rating };
      await store.createAccounts(names.map((name) => ({ name, passwordHash: hash, ...(rating ? { rating } : {}) })));
    }
  } finally {
    store.close();
  }
}

/** The loopback address of client `index` when `perAddress` clients share one (127.P.x.y). */
export function loopbackAddress(prefix: number, index: number, perAddress: number): string {
  const slot = Math.floor(index / perAddress);
  return `127.${prefix}.${Math.floor(slot / 250)}.${(slot % 250) + 1}`;
}

/**
 * Bench-only seeding: `count` finished games of 60 plies between the accounts
 * `names` (ratings unchanged), so that the API's game pages and profiles cost
 * what they cost on a server that has been played on.
 */
export async function seedFinishedGames(dbPath: string, names: readonly string[], count: number): Promise<void> {
  const store = await openSqliteStore(dbPath);
  try {
    const accounts = await Promise.all(names.map((name) => store.findAccount(name)));
    const moves = Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? '11-15' : '23-19'));
    const endedAt = new Date();
    for (let i = 0; i < count; i++) {
      const black = accounts[i % accounts.length];
      const white = accounts[(i + 1) % accounts.length];
      if (!black || !white) throw new Error('seedFinishedGames: an account is missing');
      const side = (account: typeof black) => ({
        accountId: account.id,
        name: account.name,
        before: account.rating,
        after: account.rating,
      });
      await store.recordGame({
        black: side(black),
        white: side(white),
        winner: 'black',
        termination: 'no-pieces',
        moves,
        startedAt: new Date(endedAt.getTime() - 600_000),
        endedAt,
      });
    }
  } finally {
    store.close();
  }
}
