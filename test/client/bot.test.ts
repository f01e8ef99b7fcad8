import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseCredentials } from '../../src/client/bot.js';
import { addPlayers, TEST_PASSWORD } from '../support/accounts.js';
import { startTestServer, type TestServer, temporaryDirectory } from '../support/test-server.js';

const CLIENT = fileURLToPath(new URL('../../src/client/cli.js', import.meta.url));

function run(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLIENT, ...args], {
      env: { ...process.env, CHECKERS_CONFIG_DIR: temporaryDirectory() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('bot client', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ tls: true });
  });
  after(() => server.stop());

  it('--bots 2 play complete games against each other through the real server, a line per game', async () => {
    const names = await addPlayers(server.store, 'bot', 2);
    const file = join(temporaryDirectory(), 'bots.txt');
    writeFileSync(file, `# two bots\n${names.map((name) => `${name}:${TEST_PASSWORD}`).join('\n')}\n`);
    const before = (await server.store.listGames()).length;
    const { code, stdout, stderr } = await run([
      '--host',
      '127.0.0.1',
      '--port',
      String(server.port),
      '--trust-new',
      '--bots',
      '2',
      '--credentials',
      file,
      '--games',
      '2',
      '--level',
      '4',
      '--move-time',
      '5',
    ]);
    assert.equal(code, 0, `${stdout}\n${stderr}`);
    const lines = stdout.split('\n').filter((line) => /: game \d+: /.test(line));
    assert.equal(lines.length, 4, stdout);
    assert.match(stdout, /4 games: \d+ won, \d+ lost, \d+ drawn/);
    assert.equal((await server.store.listGames()).length - before, 2);
  });

  it('--bot without credentials says what it needs', async () => {
    const { code, stderr } = await run(['--host', '127.0.0.1', '--port', String(server.port), '--bot', '--trust-new']);
    assert.equal(code, 1);
    assert.match(stderr, /--bot needs --username and --password/);
  });

  it('reads NAME:PASSWORD lines, skipping blanks and comments, naming a bad line', () => {
    assert.deepEqual(parseCredentials('# c\n\na:b\nc:d:e\n'), [
      { username: 'a', password: 'b' },
      { username: 'c', password: 'd:e' },
    ]);
    assert.throws(() => parseCredentials('a:b\n\nnocolon\n'), /line 3/);
  });
});
