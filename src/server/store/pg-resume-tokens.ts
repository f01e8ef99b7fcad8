import type pg from 'pg';
import { MAX_RESUME_TOKENS_PER_ACCOUNT, type StoredResumeToken } from './store.js';

/* The resume tokens' queries in PostgreSQL (AccountStore's token methods; PgStore delegates here). */

type Db = pg.Pool | pg.PoolClient;

/** As AccountStore.addResumeToken; call in a transaction. The account's row is locked, so two logins keep the bound. */
export async function addResumeToken(
  client: pg.PoolClient,
  accountId: number,
  tokenHash: string,
  expiresAt: Date,
  now: Date,
): Promise<boolean> {
  const account = await client.query('SELECT 1 FROM accounts WHERE id = $1 FOR UPDATE', [accountId]);
  if (account.rowCount === 0) return false;
  await client.query('DELETE FROM resume_tokens WHERE account_id = $1 AND expires_at <= $2', [accountId, now]);
  await client.query(
    'INSERT INTO resume_tokens (token_hash, account_id, expires_at, created_at) VALUES ($1, $2, $3, $4)',
    [tokenHash, accountId, expiresAt, now],
  );
  await client.query(
    `DELETE FROM resume_tokens WHERE account_id = $1 AND token_hash NOT IN (
       SELECT token_hash FROM resume_tokens WHERE account_id = $1
       ORDER BY expires_at DESC, created_at DESC LIMIT $2)`,
    [accountId, MAX_RESUME_TOKENS_PER_ACCOUNT],
  );
  return true;
}

export async function findResumeToken(db: Db, tokenHash: string, now: Date): Promise<StoredResumeToken | undefined> {
  const row = await db.query<{ account_id: number; expires_at: Date }>(
    'SELECT account_id, expires_at FROM resume_tokens WHERE token_hash = $1 AND expires_at > $2',
    [tokenHash, now],
  );
  const found = row.rows[0];
  return found && { accountId: found.account_id, expiresAt: found.expires_at };
}

export async function renewResumeToken(db: Db, tokenHash: string, now: Date, expiresAt: Date): Promise<boolean> {
  const renewed = await db.query('UPDATE resume_tokens SET expires_at = $1 WHERE token_hash = $2 AND expires_at > $3', [
    expiresAt,
    tokenHash,
    now,
  ]);
  return renewed.rowCount === 1;
}

export async function revokeResumeToken(db: Db, tokenHash: string): Promise<boolean> {
  return (await db.query('DELETE FROM resume_tokens WHERE token_hash = $1', [tokenHash])).rowCount === 1;
}

export async function revokeResumeTokens(db: Db, accountId: number): Promise<number> {
  return (await db.query('DELETE FROM resume_tokens WHERE account_id = $1', [accountId])).rowCount ?? 0;
}
