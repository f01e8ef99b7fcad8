import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { expandServers, parseHostOption, ServerRotation } from '../../src/client/server-list.js';
import { openPlain, TrustError } from '../../src/client/transport.js';
import { addPlayers, TEST_PASSWORD } from '../support/accounts.js';
import { freePort } from '../support/redis.js';
import { startTestServer, type TestServer, temporaryDirectory } from '../support/test-server.js';

const CLIENT = fileURLToPath(new URL('../../src/client/cli.js', import.meta.url));

describe('the addresses a client knows', () => {
  it('reads HOST, HOST:PORT, IPv6 and [IPv6]:PORT, and refuses the malformed', () => {
    assert.deepEqual(parseHostOption('example.org', 8864), { host: 'example.org', port: 8864 });
    assert.deepEqual(parseHostOption('127.0.0.1:9000', 8864), { host: '127.0.0.1', port: 9000 });
    assert.deepEqual(parseHostOption('::1', 8864), { host: '::1', port: 8864 });
    assert.deepEqual(parseHostOption('[::1]:9000', 8864), { host: '::1', port: 9000 });
    for (const bad of ['', 'a:b:c', 'host:0', 'host:70000', '[::1]:x'])
      assert.equal(parseHostOption(bad, 8864), undefined);
  });

  it('expands each name to every address it resolves to, in order, without repeats', async () => {
    const resolve = async (host: string) =>
      host === 'cluster.test'
        ? ['127.0.0.2', '127.0.0.3']
        : host === 'gone.test'
          ? Promise.reject(new Error('no'))
          : [host];
    const servers = await expandServers(
      [
        { host: 'cluster.test', port: 8864 },
        { host: '127.0.0.2', port: 8864 },
        { host: 'gone.test', port: 8864 },
      ],
      resolve,
    );
    assert.deepEqual(
      servers.map((server) => `${server.host}>${server.address}:${server.port}`),
      ['cluster.test>127.0.0.2:8864', 'cluster.test>127.0.0.3:8864', 'gone.test>gone.test:8864'],
    );
  });

  describe('with one address dead and one alive', () => {
    let live: Server;
    let livePort: number;
    let deadPort: number;
    before(async () => {
      deadPort = await freePort();
      live = createServer((socket) => socket.end());
      await new Promise<void>((resolve) => live.listen(0, '127.0.0.1', resolve));
      const address = live.address();
      livePort = typeof address === 'object' && address ? address.port : 0;
    });
    after(() => new Promise<void>((resolve) => live.close(() => resolve())));

    it('connects to the first that answers and starts there the next time', async () => {
      const rotation = new ServerRotation([
        { host: '127.0.0.1', address: '127.0.0.1', port: deadPort },
        { host: '127.0.0.1', address: '127.0.0.1', port: livePort },
      ]);
      const tried: number[] = [];
      const open = async (server: { address: string; port: number }) => {
        tried.push(server.port);
        return openPlain(server.address, server.port, 2_000);
      };
      const first = await rotation.connect(open);
      first.value.destroy();
      assert.equal(first.server.port, livePort);
      const second = await rotation.connect(open);
      second.value.destroy();
      assert.deepEqual(tried, [deadPort, livePort, livePort]);
    });

    it('names every failure when none answers', async () => {
      const rotation = new ServerRotation([{ host: '127.0.0.1', address: '127.0.0.1', port: deadPort }]);
      await assert.rejects(
        rotation.connect((server) => openPlain(server.address, server.port, 2_000)),
        /nothing is listening on 127.0.0.1/,
      );
    });

    it('stops at a refusal to trust: another address is no way around it', async () => {
      const rotation = new ServerRotation([
        { host: 'a', address: '127.0.0.1', port: deadPort },
        { host: 'b', address: '127.0.0.1', port: livePort },
      ]);
      let calls = 0;
      await assert.rejects(
        rotation.connect(async () => {
          calls++;
          throw new TrustError('certificate changed');
        }),
        TrustError,
      );
      assert.equal(calls, 1);
    });
  });

  describe('the terminal client with several --host values', () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer();
    });
    after(() => server.stop());

    it('skips a node that is down and plays on the next', async () => {
      const [name = ''] = await addPlayers(server.store, 'hosts', 1);
      const dead = await freePort();
      const output = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(
          process.execPath,
          [
            CLIENT,
            '--host',
            `127.0.0.1:${dead}`,
            '--host',
            `127.0.0.1:${server.port}`,
            '--plain',
            '--username',
            name,
            '--password-stdin',
          ],
          { env: { ...process.env, CHECKERS_CONFIG_DIR: temporaryDirectory() }, stdio: ['pipe', 'pipe', 'pipe'] },
        );
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk) => {
          stdout += chunk;
          if (/queue/i.test(stdout)) child.stdin.end('quit\n');
        });
        child.stderr.on('data', (chunk) => (stderr += chunk));
        child.stdin.write(`${TEST_PASSWORD}\n`);
        const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        child.on('exit', (code) => {
          clearTimeout(timer);
          resolve({ code, stdout, stderr });
        });
      });
      assert.match(output.stdout, new RegExp(`Connected to 127\\.0\\.0\\.1 port ${server.port}`), output.stderr);
      assert.match(output.stdout, /queue/i);
    });
  });
});
