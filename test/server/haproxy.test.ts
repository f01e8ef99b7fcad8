import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { skipUnless } from '../support/capability.js';
import { freeLoopbackPort } from '../support/postgres.js';
import { RawClient } from '../support/raw-client.js';
import { startTestServer, temporaryDirectory } from '../support/test-server.js';
import { waitUntil } from '../support/wait.js';

/** The configuration the README shows; the test only changes its ports. */
const CONFIG = fileURLToPath(new URL('../../../docs/haproxy.cfg', import.meta.url));

const haproxyMissing = () =>
  skipUnless(spawnSync('haproxy', ['-v']).status === 0 ? undefined : 'haproxy is not installed');

function capturedLog() {
  const lines: Array<Record<string, unknown> & { msg: string }> = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { log, lines };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

describe('two nodes behind a real HAProxy in TCP mode', { skip: haproxyMissing(), timeout: 60_000 }, () => {
  it('per-address limits count the client, not HAProxy, with send-proxy and send-proxy-v2', async (t) => {
    const nodeLogs = [capturedLog(), capturedLog()];
    const nodes = await Promise.all(
      nodeLogs.map(({ log }) =>
        startTestServer({ trustProxy: ['127.0.0.1'], limits: { maxConnectionsPerAddress: 1 }, log }),
      ),
    );
    t.after(() => Promise.all(nodes.map((node) => node.stop())));
    const [node1, node2] = nodes;
    assert.ok(node1 && node2);
    const frontend = await freeLoopbackPort();
    const config = readFileSync(CONFIG, 'utf8')
      .replace('bind 127.0.0.1:8864', `bind 127.0.0.1:${frontend}`)
      .replace('127.0.0.1:8865', `127.0.0.1:${node1.port}`)
      .replace('127.0.0.1:8866', `127.0.0.1:${node2.port}`);
    const file = join(temporaryDirectory(), 'haproxy.cfg');
    writeFileSync(file, config);
    const haproxy: ChildProcess = spawn('haproxy', ['-f', file, '-db'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let haproxyOutput = '';
    haproxy.stderr?.on('data', (chunk: Buffer) => {
      haproxyOutput += chunk.toString();
    });
    t.after(() => {
      haproxy.kill('SIGKILL');
    });
    await waitUntil(() => canConnect(frontend), `HAProxy listening (${haproxyOutput})`, 10_000);

    const clients: RawClient[] = [];
    t.after(() => {
      for (const client of clients) client.close();
    });
    // Four players from four addresses, all through HAProxy at 127.0.0.1, each node capped at 1 per address:
    // every login succeeds because each node counts the players' addresses.
    const players = [
      ['127.0.0.2', 'cam', 'mac'],
      ['127.0.0.3', 'jen', 'nej'],
      ['127.0.0.4', 'kain', 'niak'],
      ['127.0.0.5', 'andrei', 'ierdna'],
    ] as const;
    for (const [localAddress, name, password] of players) {
      const client = await RawClient.connect(frontend, '127.0.0.1', localAddress);
      clients.push(client);
      await client.login(name, password);
    }
    const seen = nodeLogs.map(({ lines }) =>
      lines.filter((line) => line.msg === 'connection').map((line) => String(line.address)),
    );
    assert.deepEqual(seen.flat().sort(), ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5']);
    for (const [index, { lines }] of nodeLogs.entries()) {
      assert.ok((seen[index]?.length ?? 0) > 0, `round robin gave node${index + 1} players`);
      const proxied = lines.filter((line) => line.msg === 'proxied connection');
      assert.ok(
        proxied.every((line) => line.proxy === '127.0.0.1' && line.version === index + 1),
        `node${index + 1} reads PROXY version ${index + 1} from HAProxy`,
      );
    }
    // More connections from 127.0.0.2: round robin brings them to both nodes, and each node holds at most one.
    const extras: RawClient[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const extra = await RawClient.connect(frontend, '127.0.0.1', '127.0.0.2');
      extras.push(extra);
      clients.push(extra);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const refused = () => nodes.reduce((sum, node) => sum + node.server.refused['address-full'], 0);
    await waitUntil(() => refused() === 2, 'two connections of 127.0.0.2 over the per-node cap refused', 5000);
    // A refused connection is given a second to show whether it speaks HTTP (to be answered 429) before it is closed.
    await waitUntil(
      () => extras.filter((extra) => extra.isClosed).length === 2,
      'the two refused connections closed',
      5000,
    );
    assert.equal(extras.filter((extra) => extra.isClosed).length, 2);
  });
});
