/** A write the store refused for a reason of its own (not SQLite's). */
export class StorageFault extends Error {
  constructor(
    readonly code: 'DB_DELETED' | 'DB_REPLACED',
    message: string,
  ) {
    super(message);
  }
}

/** What an operator reads about a failed write: the cause in words, and what to do. */
export function describeStorageFailure(error: unknown): { readonly code: string; readonly text: string } {
  const code =
    error && typeof error === 'object' && 'code' in error ? String((error as { code: unknown }).code) : 'UNKNOWN';
  const detail = error instanceof Error ? error.message : String(error);
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') {
    return { code, text: `the disk is full (${detail}); free some space` };
  }
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS' || code === 'EACCES' || code === 'EPERM') {
    return { code, text: `the database is read-only (${detail}); make it and its folder writable for the server` };
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return {
      code,
      text: `another process holds the database's write lock (${detail}); end that process's transaction`,
    };
  }
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') {
    return { code, text: `the database is corrupt (${detail}); stop the server and restore a backup` };
  }
  if (isPostgresUnreachable(code, detail)) {
    return { code, text: `PostgreSQL cannot be reached (${detail}); start it, or restore the network to it` };
  }
  if (code === '53100') {
    return { code, text: `PostgreSQL's disk is full (${detail}); free some space on the database server` };
  }
  if (code === '25006') {
    return { code, text: `PostgreSQL is read-only (${detail}); point --db at the primary server` };
  }
  if (code === '40P01' || code === '55P03') {
    return { code, text: `another transaction holds the rows this commit needs (${detail}); it is retried` };
  }
  if (code === 'DB_DELETED' || code === 'DB_REPLACED') {
    return { code, text: `${detail}; restart the server to use the file now at that path` };
  }
  return { code, text: detail };
}

/** A connection refused, dropped or timed out, or PostgreSQL shutting down, starting or crashed (SQLSTATE class 08, 57P0x). */
function isPostgresUnreachable(code: string, detail: string): boolean {
  return (
    code === 'ECONNREFUSED' ||
    code === 'ECONNRESET' ||
    code === 'EPIPE' ||
    code === 'ETIMEDOUT' ||
    code.startsWith('08') ||
    /^57P0[1-4]$/.test(code) ||
    /Connection terminated|timeout exceeded when trying to connect/i.test(detail)
  );
}
