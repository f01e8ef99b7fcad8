import { quoted } from '../cli-support.js';
import { isPostgresUrl } from './pg-open.js';
import { openPgStore } from './pg-store.js';
import { SqliteStore } from './sqlite-store.js';
import { StoreError } from './store.js';

export interface MigrationCounts {
  readonly accounts: number;
  readonly games: number;
  readonly live: number;
}

/**
 * Copies an SQLite database (accounts with their password hashes and both
 * ratings, finished games with their rules and time controls, games in
 * progress with their clocks, all ids kept) into an empty PostgreSQL
 * database, in one PostgreSQL transaction: all or nothing. The SQLite file
 * is only read (one read transaction: a consistent snapshot). Resume tokens
 * are not copied: a move to PostgreSQL is rare, and logging in once with the
 * password issues a new one, so nothing is lost that a player cannot get back.
 */
export async function migrateToPostgres(from: string, url: string): Promise<MigrationCounts> {
  if (!isPostgresUrl(url)) {
    throw new StoreError(`--db ${url} is not a PostgreSQL URL; pass --db postgres://USER:PASSWORD@HOST:PORT/DB`);
  }
  const source = SqliteStore.open(from, { readOnly: true });
  try {
    if (source.nameClashes.length > 0) {
      const clashes = source.nameClashes.map((names) => names.map(quoted).join(' and ')).join(', ');
      throw new StoreError(
        `${from} holds account names that differ only in case (${clashes}), which PostgreSQL cannot hold; ` +
          'rename or remove all but one of each with "checkers-server user rename" or "user remove" first',
      );
    }
    const contents = await source.exportAll();
    const target = await openPgStore(url);
    try {
      await target.importAll(contents);
    } finally {
      await target.end();
    }
    return { accounts: contents.accounts.length, games: contents.games.length, live: contents.live.length };
  } finally {
    source.close();
  }
}
