import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { postgresMissing, startPostgres, type TestPostgres } from '../support/postgres.js';
import { runCli } from '../support/server-process.js';
import { temporaryDirectory } from '../support/test-server.js';

const ACCOUNTS = 'ann:correct-horse-7\nbob:battery-staple-8\n';

/** `db init` then `user import`, on a database no server has opened yet. */
async function initThenImport(db: string): Promise<void> {
  const init = await runCli(['db', 'init', '--db', db]);
  assert.equal(init.code, 0, init.stderr);
  assert.match(init.stdout, /^created .*tables/);
  const imported = await runCli(['user', 'import', '-', '--db', db], ACCOUNTS);
  assert.equal(imported.code, 0, imported.stderr);
  const listed = await runCli(['user', 'list', '--db', db]);
  assert.equal(listed.code, 0, listed.stderr);
  assert.match(listed.stdout, /\bann\b/);
  assert.match(listed.stdout, /\bbob\b/);
  const again = await runCli(['db', 'init', '--db', db]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /has its tables already/);
  const stillListed = await runCli(['user', 'list', '--db', db]);
  assert.match(stillListed.stdout, /\bann\b/, 'a second init changes nothing');
}

describe('checkers-server db init', () => {
  it('creates an SQLite database with its tables, for the operator commands', async () => {
    await initThenImport(join(temporaryDirectory(), 'checkers.db'));
  });

  describe('on PostgreSQL', { skip: postgresMissing() }, () => {
    let postgres: TestPostgres | undefined;
    before(async () => {
      postgres = await startPostgres();
    });
    after(() => postgres?.stop());

    it('creates the tables of a new database: user import works before any node has started', async () => {
      if (!postgres) throw new Error('PostgreSQL did not start');
      const url = await postgres.createDatabase('initialised');
      const early = await runCli(['user', 'import', '-', '--db', url], ACCOUNTS);
      assert.notEqual(early.code, 0);
      assert.match(early.stderr, /no tables.*db init/);
      await initThenImport(url);
    });
  });
});
