import type Database from 'better-sqlite3';

const byDatabase = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/**
 * `db.prepare(sql)`, compiled once per connection: better-sqlite3 keeps no
 * statement cache, and compiling the commit's statements again for every
 * commit cost about a tenth of the server's CPU under load. A connection
 * replaced by a new one gets its own statements.
 */
export function prepared(db: Database.Database, sql: string): Database.Statement {
  let statements = byDatabase.get(db);
  if (!statements) {
    statements = new Map();
    byDatabase.set(db, statements);
  }
  let statement = statements.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    statements.set(sql, statement);
  }
  return statement;
}
