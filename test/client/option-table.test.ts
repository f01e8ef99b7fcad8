import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runPiped } from '../support/client-process.js';

/** The players' documentation, where every client option has its table row. */
const PLAYING_DOC = readFileSync(fileURLToPath(new URL('../../../docs/playing.md', import.meta.url)), 'utf8');

/** A table row whose first cell names the flag (`--flag`, `--flag VALUE`, or two flags). */
function docRow(flag: string): string | undefined {
  return PLAYING_DOC.split('\n').find((line) => {
    const firstCell = line.startsWith('| `') ? (line.split(/(?<!\\)\|/)[1] ?? '') : '';
    return firstCell.includes(`\`${flag} `) || firstCell.includes(`\`${flag}\``);
  });
}

describe("the client's option table in docs/playing.md", () => {
  it("has a row for every option of the client's --help", async () => {
    const client = runPiped(['--help']);
    assert.equal(await client.exited, 0);
    const flags = [...client.output().stdout.matchAll(/^ {2}(?:-\w, )?(--[a-z][a-z-]*)/gm)].map((match) => match[1]);
    assert.ok(flags.length > 30, `--help lists the options (${flags.length} found)`);
    assert.ok(flags.includes('--challenge') && flags.includes('--guest'), 'the options for playing a friend are found');
    const missing = flags.filter((flag) => flag !== undefined && docRow(flag) === undefined);
    assert.deepEqual(missing, [], 'options of --help without a row in docs/playing.md');
  });

  it('refuses options that cannot go together before connecting, naming them', async () => {
    const both = runPiped(['--host', '127.0.0.1', '--port', '1', '--computer', '1', '--challenge', 'jen']);
    assert.equal(await both.exited, 2);
    assert.equal(both.output().stderr, '--computer and --challenge: choose one of them.\n');
    const guest = runPiped(['--host', '127.0.0.1', '--port', '1', '--guest', '--username', 'cam']);
    assert.equal(await guest.exited, 2);
    assert.match(
      guest.output().stderr,
      /^--guest logs in without an account: leave out --username and the password\.\n$/,
    );
    const join = runPiped(['--join', 'abc']);
    assert.equal(await join.exited, 1);
    assert.match(
      join.output().stderr,
      /option '--join <CODE\|URL>' argument 'abc' is invalid\. "abc" is not an invite/,
    );
  });
});
