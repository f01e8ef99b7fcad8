import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { type Durability, StoreError } from './store.js';

/*
 * The SQLite database as a file: created private to the server's user,
 * opened (read-only when asked, even in a folder the user cannot write),
 * checked, its connection settings applied, and its errors turned into
 * messages that say what to do. SqliteStore's queries are in sqlite-store.ts.
 */

// A read-only open of a WAL database whose directory the user cannot write needs SQLite's
// `immutable` URI parameter; better-sqlite3 reads this when it loads SQLite, at the first open.
process.env.SQLITE_USE_URI ??= '1';

/**
 * Creates the folder (0700) and an empty database file (0600) for the
 * server's user only: the file holds password hashes. SQLite gives its WAL
 * and shared-memory files the database file's permissions. An existing file
 * that others can read is made private.
 */
export function createPrivately(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  if (!existsSync(path)) {
    closeSync(openSync(path, 'a', 0o600));
    return;
  }
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) === 0) return;
  try {
    chmodSync(path, mode & 0o700);
  } catch {
    // Not the file's owner: SQLite will say whether it can use the file at all.
  }
}

/** The settings SQLite keeps per connection (WAL mode is kept in the file). */
export function applyConnectionSettings(db: Database.Database, durability: Durability, busyTimeoutMs: number): void {
  db.pragma(`synchronous = ${durability === 'full' ? 'FULL' : 'NORMAL'}`);
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
}

/** Refuses a database whose pages are damaged, with what to do. */
export function checkIntegrity(db: Database.Database, path: string): void {
  const rows = db.pragma('quick_check(5)') as Array<{ quick_check: string }>;
  const problems = rows
    .flatMap((row) => row.quick_check.split('\n'))
    .filter((text) => text !== 'ok' && !text.startsWith('***'));
  if (problems.length === 0) return;
  throw new StoreError(
    `the database ${path} is corrupt (${problems[0]}); restore it from a backup, or move it away to start with a new one`,
  );
}

export function openDatabase(path: string, readOnly: boolean): Database.Database {
  if (!readOnly) return new Database(path);
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    db.pragma('user_version');
    return db;
  } catch (error) {
    db.close();
    // A WAL database needs its -shm file, which a reader cannot create in a directory it
    // cannot write. With no -shm file no server has the database open, so reading it as
    // immutable is safe.
    if ((error as { code?: unknown }).code !== 'SQLITE_READONLY_DIRECTORY') throw error;
    return new Database(`${pathToFileURL(resolve(path)).href}?immutable=1`, { readonly: true, fileMustExist: true });
  }
}

/** Names that differ only in case, grouped; the unique index of UNIQUE_NAMES_MIGRATION needs none. */
export function nameClashesIn(db: Database.Database): string[][] {
  const rows = db
    .prepare(
      `SELECT group_concat(name, char(10)) AS names FROM (SELECT id, name FROM accounts ORDER BY id)
       GROUP BY name COLLATE NOCASE HAVING count(*) > 1 ORDER BY min(id)`,
    )
    .all() as { names: string }[];
  return rows.map((row) => row.names.split('\n'));
}

function isCorruption(error: unknown): boolean {
  const code = error && typeof error === 'object' && 'code' in error ? String(error.code) : '';
  return code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT');
}

export function storeErrorFor(path: string, doing: 'open' | 'use', error: unknown): StoreError {
  if (isCorruption(error)) {
    return new StoreError(
      `${path} is not a valid database, or it is damaged (${reasonOf(error)}); check --db, or restore a backup`,
    );
  }
  return new StoreError(`cannot ${doing} the database ${path}: ${reasonOf(error)}; pass --db with a writable path`);
}

export function reasonOf(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error) {
    const code = String((error as { code: unknown }).code);
    if (code === 'EACCES' || code === 'EPERM' || code === 'SQLITE_READONLY' || code === 'SQLITE_CANTOPEN') {
      return 'permission denied or not writable';
    }
  }
  return error instanceof Error ? error.message : String(error);
}
