import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { freePort } from '../../support/redis.js';
import { runCli } from '../../support/server-process.js';
import { temporaryDirectory } from '../../support/test-server.js';

const serve = (db: string, ...extra: string[]) =>
  runCli(['--listen-addr', '127.0.0.1', '--listen-port', '0', '--no-discovery', '--db', db, ...extra]);

describe('--cluster on the command line', () => {
  test('Redis that does not answer stops the start with one line, password hidden', async () => {
    const port = await freePort();
    const { code, stderr } = await serve(
      join(temporaryDirectory(), 'checkers.db'),
      '--cluster',
      `redis://:secret@127.0.0.1:${port}`,
    );
    assert.equal(code, 1);
    const last = stderr.trim().split('\n').at(-1) ?? '';
    assert.match(
      last,
      new RegExp(`cannot reach Redis at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port}/? \\(.*ECONNREFUSED`),
    );
    assert.doesNotMatch(stderr, /secret|at .*\.js:\d+/);
  });

  test('a URL that is not Redis, and the house bot, are refused with what to do', async () => {
    const db = join(temporaryDirectory(), 'checkers.db');
    const notRedis = await serve(db, '--cluster', 'http://127.0.0.1:6379');
    assert.notEqual(notRedis.code, 0);
    assert.match(notRedis.stderr, /not a Redis URL; give redis:\/\/HOST:PORT/);
    const port = await freePort();
    const withBot = await serve(db, '--cluster', `redis://127.0.0.1:${port}`, '--bot-after', '30');
    assert.equal(withBot.code, 1);
    assert.match(withBot.stderr, /--bot-after is not supported with --cluster yet; drop one of them/);
  });
});
