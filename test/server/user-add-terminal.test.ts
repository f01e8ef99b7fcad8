import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { askNewPassword, PASSWORD_TRIES } from '../../src/server/password-prompt.js';
import { verifyPassword } from '../../src/server/passwords.js';
import { openSqliteStore } from '../../src/server/store/sqlite-store.js';
import { skipUnless } from '../support/capability.js';
import { SERVER_CLI } from '../support/server-process.js';
import { temporaryDirectory } from '../support/test-server.js';
import { TmuxSession, tmuxAvailable } from '../support/tmux.js';

/** Answers the prompts from a list, in order, and records what was asked and said. */
function scripted(answers: readonly string[]) {
  const asked: string[] = [];
  const said: string[] = [];
  let next = 0;
  return {
    ask: async (message: string) => {
      asked.push(message);
      return answers[next++] ?? '';
    },
    say: (text: string) => said.push(text),
    asked,
    said,
  };
}

describe('asking for a new password', () => {
  it('asks again after two different passwords, and after one that cannot be used', async () => {
    const io = scripted(['one', 'two', 'x'.repeat(17), 'good', 'good']);
    assert.deepEqual(await askNewPassword('zed', io.ask, io.say), { ok: true, password: 'good' });
    assert.deepEqual(io.said, [
      'The two passwords differ; try again.',
      'The password is longer than 16 characters (the protocol carries 16); try again.',
    ]);
    assert.equal(io.asked.filter((message) => message === 'Password for zed:').length, 3);
  });

  it(`gives up after ${PASSWORD_TRIES} tries with the last reason`, async () => {
    const io = scripted(['a', 'b', 'c', 'd', 'e', 'f']);
    assert.deepEqual(await askNewPassword('zed', io.ask, io.say), { ok: false, reason: 'the two passwords differ' });
    assert.equal(io.said.length, PASSWORD_TRIES - 1);
  });
});

describe('user add on a real terminal', {
  skip: skipUnless(tmuxAvailable() ? undefined : 'tmux is not installed'),
}, () => {
  it('two different passwords are asked again, not an exit; the account gets the password typed twice', async (t) => {
    const directory = temporaryDirectory();
    const db = join(directory, 'checkers.db');
    (await openSqliteStore(db)).close();
    const tty = TmuxSession.start('useradd', `${process.execPath} ${SERVER_CLI} user add zed --db ${db}`);
    t.after(() => tty.kill());
    await tty.waitFor(/Password for zed:/);
    tty.type('first-try');
    await tty.waitFor(/Again, to be sure:/);
    tty.type('other-try');
    await tty.waitFor(/The two passwords differ; try again\./);
    await tty.waitFor(/try again\.\n.*Password for zed:/);
    tty.type('the-one');
    await tty.waitFor(/try again\.[\s\S]*Again, to be sure:/);
    tty.type('the-one');
    const screen = await tty.waitFor(/EXIT=\d+/);
    assert.match(screen, /created zed/);
    assert.match(screen, /EXIT=0/);
    const store = await openSqliteStore(db);
    try {
      const account = await store.findAccount('zed');
      assert.ok(account && (await verifyPassword('the-one', account.passwordHash)));
    } finally {
      store.close();
    }
  });
});
