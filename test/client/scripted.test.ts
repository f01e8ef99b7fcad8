import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { findServers } from '../../src/discovery/finder.js';
import { RawClient } from '../support/raw-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const CLIENT = fileURLToPath(new URL('../../src/client/cli.js', import.meta.url));

/** The client with pipes instead of a terminal, as a script would run it. */
function runPiped(args: readonly string[]) {
  const child = spawn(process.execPath, [CLIENT, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, LANG: 'C.UTF-8' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitFor = async (pattern: RegExp, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(stdout)) {
      if (Date.now() > deadline) throw new Error(`never printed ${pattern}:\n${stdout}\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    return stdout;
  };
  return { child, exited, waitFor, output: () => ({ stdout, stderr }) };
}

describe('the client without a terminal', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.stop());

  it('reads credentials and moves line by line and prints no escape codes', async () => {
    const client = runPiped(['--host', '127.0.0.1', '--port', String(server.port)]);
    client.child.stdin.write('khanh\nhnahk\n');
    await client.waitFor(/Waiting for an opponent: 1st of 1 in the queue, your rating 1200/);
    const colbert = await RawClient.connect(server.port);
    await colbert.login('colbert', 'trebloc');
    await colbert.expect('GameStart');
    const shown = await client.waitFor(/Your move, Black\. Legal: (.+)\n/);
    const legal = /Your move, Black\. Legal: (.+)\n/.exec(shown)?.[1]?.split(' ') ?? [];
    assert.equal(legal.length, 7);
    client.child.stdin.write('33-1\n');
    await client.waitFor(/Not sent: square 33 does not exist; squares are numbered 1 to 32\./);
    client.child.stdin.write(`${legal[0]}\n`);
    const turn = await colbert.expect('YourTurn');
    assert.notEqual(turn.lastMove, 0);
    client.child.stdin.write('quit\ny\n');
    await colbert.expect('OpponentDisconnect');
    assert.equal(await client.exited, 0);
    const { stdout } = client.output();
    assert.ok(!stdout.includes('\x1b'), 'no escape codes');
    assert.match(stdout, / 8 +● +● +● +●/);
    colbert.close();
  });

  it('says which versions the server speaks when it refuses ours, and exits non-zero', async () => {
    const { createServer } = await import('node:net');
    const old = createServer((socket) => socket.once('data', () => socket.write(Uint8Array.of(0x0d, 0x03, 0x02))));
    await new Promise<void>((resolve) => old.listen(0, '127.0.0.1', resolve));
    const address = old.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const client = runPiped(['--host', '127.0.0.1', '--port', String(port), '--username', 'cam', '--password', 'mac']);
    assert.equal(await client.exited, 1);
    assert.match(client.output().stdout, /This server speaks protocol versions 2 to 3; this client speaks version 1\./);
    old.close();
  });

  it('with no --host and no server on the network, says so and names --host', async () => {
    // The probe goes to loopback only; on the host, tests never broadcast.
    const client = runPiped(['--discovery-timeout', '0.5', '--broadcast-addr', '127.255.255.255']);
    assert.equal(await client.exited, 1);
    assert.match(client.output().stdout, /Looking for servers on the local network/);
    assert.match(
      client.output().stderr,
      /No server answered on the local network within 0\.5 s\. Pass --host HOST \(and --port PORT\)/,
    );
  });

  it('explains a server that is not there', async () => {
    const client = runPiped(['--host', '127.0.0.1', '--port', '1', '--username', 'cam', '--password', 'mac']);
    assert.equal(await client.exited, 1);
    assert.match(client.output().stderr, /nothing is listening on 127\.0\.0\.1 port 1; is the server running\?/);
  });
});

describe('finding servers on loopback', () => {
  const port = 30000 + (process.pid % 20000);

  it('an empty datagram is a version-1 server at the sender, on the default port', async () => {
    const searching = findServers({ broadcastAddress: '127.0.0.1', timeoutMs: 3000, all: false, port });
    const beacon = createSocket('udp4');
    const timer = setInterval(() => beacon.send(Buffer.alloc(0), port, '127.0.0.1'), 100);
    const found = await searching;
    clearInterval(timer);
    beacon.close();
    assert.equal(found.length, 1);
    assert.deepEqual(
      { ...found[0], afterMs: 0 },
      {
        address: '127.0.0.1',
        port: 8864,
        name: undefined,
        lowest: 1,
        highest: 1,
        tls: false,
        via: 'beacon',
        afterMs: 0,
      },
    );
  });

  it('a server answers a probe directly, with its name and real TCP port', async () => {
    const { Announcer } = await import('../../src/discovery/announcer.js');
    const { pino } = await import('pino');
    // 127.255.255.255 is loopback's broadcast address: every socket on the port hears it, as on a LAN.
    const announcer = new Announcer({
      broadcastAddress: '127.255.255.255',
      sourcePort: 0,
      intervalMs: 60_000,
      listenPort: port + 1,
      announcement: () => ({ lowest: 1, highest: 1, port: 4321, name: 'kitchen', tls: false }),
      log: pino({ level: 'silent' }),
    });
    await announcer.start();
    try {
      // The first beacon went out at start; this probe must be answered on its own.
      await new Promise((resolve) => setTimeout(resolve, 100));
      const found = await findServers({
        broadcastAddress: '127.255.255.255',
        timeoutMs: 2000,
        all: true,
        port: port + 1,
      });
      const answer = found.find((server) => server.via === 'answer');
      assert.ok(answer, 'the probe was answered');
      assert.equal(answer.name, 'kitchen');
      assert.equal(answer.port, 4321);
      assert.ok(answer.afterMs < 500, `answered after ${answer.afterMs} ms`);
    } finally {
      announcer.stop();
    }
  });

  it('gives up after the timeout', async () => {
    const started = Date.now();
    assert.deepEqual(
      await findServers({ broadcastAddress: '127.0.0.1', timeoutMs: 300, all: false, port: port + 2 }),
      [],
    );
    assert.ok(Date.now() - started >= 290);
  });
});
