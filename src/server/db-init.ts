import { existsSync } from 'node:fs';
import { isPostgresUrl, redactedPgUrl as redactedUrl } from './store/pg-open.js';
import { PgStore } from './store/pg-store.js';
import { openSqliteStore } from './store/sqlite-store.js';

/**
 * `checkers-server db init --db PATH|URL`: creates the tables (or upgrades
 * them) as the server does when it first starts, so that the operator
 * commands (`user import` first of all) work on a new database before any
 * node has run, a PostgreSQL database of a cluster especially. No demo
 * accounts: the operator adds the accounts. Returns the line to print.
 */
export async function initDatabase(db: string): Promise<string> {
  if (isPostgresUrl(db)) {
    const store = await PgStore.open(db, {});
    try {
      return store.createdNow
        ? `created the tables in ${redactedUrl(db)}`
        : `${redactedUrl(db)} has its tables already (upgraded if they were older); nothing else changed`;
    } finally {
      await store.end();
    }
  }
  const existed = existsSync(db);
  const store = await openSqliteStore(db);
  store.close();
  return existed
    ? `${db} has its tables already (upgraded if they were older); nothing else changed`
    : `created ${db} with its tables`;
}
