import { dirname, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { UserError } from '../cli-support.js';
import { isPostgresUrl, redactedPgUrl } from '../store/pg-open.js';
import { openPgStore } from '../store/pg-store.js';
import { openSqliteStore, type SqliteOpenOptions } from '../store/sqlite-store.js';
import { describeStorageFailure } from '../store/storage-fault.js';
import { type OperatorStore, StoreError } from '../store/store.js';

/* How the server's commands find and open the database: the --db option, and opening an existing one for a subcommand. */

export const DEFAULT_DB = 'data/checkers.db';

export function dbOption(
  description = 'the SQLite database, or postgres://USER:PASSWORD@HOST:PORT/DB; it must exist (here or before the subcommand)',
): Option {
  return new Option('--db <PATH|URL>', description).env('CHECKERS_DB').default(DEFAULT_DB);
}

/** Where the server keeps its files (the self-signed certificate): beside an SQLite database, else the default folder. */
export function dataDirectoryOf(db: string): string {
  return isPostgresUrl(db) ? resolve(dirname(DEFAULT_DB)) : dirname(resolve(db));
}

/**
 * The database a subcommand works on: --db given on its own command line
 * (`user list --db X`) or before the subcommand (`--db X user list`), else
 * CHECKERS_DB or the default.
 */
export function databaseOf(command: Command): string {
  for (let at: Command | null = command; at; at = at.parent) {
    if (at.getOptionValueSource('db') === 'cli') return at.getOptionValue('db') as string;
  }
  return command.getOptionValue('db') as string;
}

/**
 * Runs `work` on the existing database of `command` (never creating one), read-only
 * for the commands that only read. A database error becomes one line.
 */
export async function withStore<T>(
  command: Command,
  mode: 'read' | 'write',
  work: (store: OperatorStore, path: string) => Promise<T> | T,
): Promise<T> {
  const path = databaseOf(command);
  if (isPostgresUrl(path)) return withPgStore(path, work);
  const options: SqliteOpenOptions = mode === 'read' ? { readOnly: true } : { mustExist: true };
  const store = await openSqliteStore(path, options);
  try {
    return await work(store, path);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('SQLITE_')) {
      const damaged = code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT');
      throw new StoreError(
        `the database ${path} ${damaged ? 'is damaged' : 'failed'}: ${(error as Error).message}` +
          (damaged ? '; restore a backup' : ''),
      );
    }
    throw error;
  } finally {
    store.close();
  }
}

/** As withStore, on PostgreSQL: a database without the checkers tables is refused, and a failed query is one line. */
async function withPgStore<T>(url: string, work: (store: OperatorStore, path: string) => Promise<T> | T): Promise<T> {
  const store = await openPgStore(url, { mustExist: true, poolSize: 2 });
  try {
    return await work(store, redactedPgUrl(url));
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (!(error instanceof UserError || error instanceof StoreError) && typeof code === 'string') {
      throw new StoreError(`the database ${redactedPgUrl(url)} failed: ${describeStorageFailure(error).text}`);
    }
    throw error;
  } finally {
    await store.end();
  }
}
