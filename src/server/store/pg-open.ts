import type pg from 'pg';
import { redactedUrl } from '../redacted-url.js';
import { SCHEMA_VERSIONS } from './migrations.js';
import { StoreError } from './store.js';

/*
 * What opening a PostgreSQL store takes besides its queries: telling its URL
 * from a file name, naming it without the password, one transaction on a
 * pooled connection, the schema brought up to date under a lock, and the
 * startup error that says what to do.
 */

/** True when `db` (the --db value) names a PostgreSQL database rather than an SQLite file. */
export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//i.test(db);
}

/** The PostgreSQL URL without its password, for logs and messages. */
export function redactedPgUrl(url: string): string {
  return redactedUrl(url, 'the PostgreSQL URL');
}

export const CONNECT_TIMEOUT_MS = 5_000;
/** Any constant: migrations of nodes starting at once run one after the other. */
const MIGRATION_LOCK = 0x636b7273;

/** Creates or upgrades the schema under an advisory lock; true if the database was empty. */
export async function migrate(pool: pg.Pool, url: string, mustExist: boolean): Promise<boolean> {
  return inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)');
    const row = await client.query<{ version: number }>('SELECT version FROM schema_version');
    const version = row.rows[0]?.version ?? 0;
    if (version > SCHEMA_VERSIONS.length) {
      throw new StoreError(
        `the database ${redactedPgUrl(url)} has schema version ${version}, newer than this server knows (${SCHEMA_VERSIONS.length}); upgrade the server`,
      );
    }
    if (mustExist && version === 0) {
      throw new StoreError(
        `${redactedPgUrl(url)} is not a checkers database (it has no tables); check --db, or create them with checkers-server db init --db URL (the server also creates them when it first starts)`,
      );
    }
    for (const migration of SCHEMA_VERSIONS.slice(version)) await client.query(migration.postgres);
    if (row.rowCount === 0) await client.query('INSERT INTO schema_version VALUES ($1)', [SCHEMA_VERSIONS.length]);
    else await client.query('UPDATE schema_version SET version = $1', [SCHEMA_VERSIONS.length]);
    return version === 0;
  });
}

/**
 * Runs `work` in one transaction on one connection of `pool`. A connection
 * that failed is discarded, not returned to the pool: after a restart of
 * PostgreSQL the next try gets a new one.
 */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let failure: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    failure = error instanceof Error ? error : new Error(String(error));
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release(failure);
  }
}

/** The one-line startup error for a database the server cannot use, with what to do. */
export function connectionProblem(url: string, error: unknown): string {
  const where = redactedPgUrl(url);
  const code = error && typeof error === 'object' && 'code' in error ? String(error.code) : '';
  const detail = error instanceof Error ? error.message : String(error);
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH' || code === 'ETIMEDOUT') {
    return `cannot reach PostgreSQL at ${where} (${detail}); start PostgreSQL or correct the host and port in --db`;
  }
  if (code === '28P01' || code === '28000') {
    return `PostgreSQL refused the user or password in ${where} (${detail}); correct them in --db`;
  }
  if (code === '3D000') {
    return `the database in ${where} does not exist (${detail}); create it (createdb) or correct its name in --db`;
  }
  if (code === '57P03') {
    return `PostgreSQL at ${where} is starting up or shutting down (${detail}); try again in a moment`;
  }
  if (/timeout/i.test(detail)) {
    return `PostgreSQL at ${where} did not answer within ${CONNECT_TIMEOUT_MS / 1000} s; check that it runs and that --db names it`;
  }
  return `cannot use the PostgreSQL database ${where}: ${detail}; check --db`;
}
