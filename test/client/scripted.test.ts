import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { findServers } from '../../src/discovery/finder.js';
import { CLIENT, runPiped, runShell } from '../support/client-process.js';
import { RawClient } from '../support/raw-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { loginV2, seek } from '../support/v2-game.js';

describe('the client without a terminal', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.stop());

  it('reads credentials and moves line by line and prints no escape codes', async () => {
    const client = runPiped(['--host', '127.0.0.1', '--port', String(server.port), '--protocol', '1']);
    client.type('khanh', 'hnahk');
    await client.waitFor(/Waiting for an opponent: 1st of 1 in the queue, your rating 1200/);
    const colbert = await RawClient.connect(server.port);
    await colbert.login('colbert', 'trebloc');
    await colbert.expect('GameStart');
    const shown = await client.waitFor(/Your move, Black\. Legal: (.+)\n/);
    const legal = /Your move, Black\. Legal: (.+)\n/.exec(shown)?.[1]?.split(' ') ?? [];
    assert.equal(legal.length, 7);
    client.type('33-1');
    await client.waitFor(/Not sent: square 33 does not exist; squares are numbered 1 to 32\./);
    client.type('30-26');
    await client.waitFor(
      /Not sent: 30-26 is not legal: the piece on 30 is not yours; the pieces that can move are on 9, 10, 11 or 12\./,
    );
    client.type('11-18');
    await client.waitFor(
      /Not sent: 11-18 is not legal: 18 is not one diagonal step from 11; the piece on 11 can go to 15 or 16\./,
    );
    client.type(legal[0] ?? '');
    const turn = await colbert.expect('YourTurn');
    assert.notEqual(turn.lastMove, 0);
    client.type('quit', 'y');
    await colbert.expect('OpponentDisconnect');
    assert.equal(await client.exited, 0);
    const { stdout } = client.output();
    assert.ok(!stdout.includes('\x1b'), 'no escape codes');
    assert.match(stdout, / 8 +● +● +● +●/);
    colbert.close();
  });

  it("runs the README's scripted example as written against a TLS server: queues the move until the game starts, then logs out at the end of input", async (t) => {
    // The README's server offers TLS (the default), and the LogOut must reach it through TLS before the close.
    const tlsServer = await startTestServer({ tls: true });
    t.after(() => tlsServer.stop());
    const readme = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');
    const example = /printf '[^']*' \| npx checkers-client [^`\n]*/.exec(readme)?.[0];
    assert.ok(
      example?.includes('--port 8864'),
      'the README example names the port, so it can be run against a test server',
    );
    const commandLine = (example ?? '')
      .replace('npx checkers-client', `${process.execPath} ${CLIENT}`)
      .replace('--port 8864', `--port ${tlsServer.port}`);
    const script = runShell(commandLine);
    // The client speaks version 2 and, without a terminal, seeks 5+3.
    await script.waitFor(/Waiting for an opponent \(5\+3\)/);
    const jen = await RawClient.connectV2(tlsServer.port);
    await loginV2(jen, 'jen', 'nej');
    await seek(jen, 300, 3);
    const start = await jen.expect('GameStart2');
    // cam sought first, so cam plays Black and moves first: the queued 11-15.
    assert.equal(start.colour, 1);
    // jen sees the start position with cam to move (TheirMove), then cam's move.
    const turn = await jen.next(['QueuePosition', 'TheirMove']);
    assert.equal(turn.type, 'YourMove');
    assert.deepEqual(turn.type === 'YourMove' && turn.lastPath, [11, 15]);
    // At once (a lost LogOut would leave jen waiting out the 60 s reconnect grace).
    const over = await jen.expect('GameOver2');
    assert.equal(over.reason, 7, 'the opponent logged out');
    const [game] = await tlsServer.store.gamesPage({ limit: 1 });
    assert.equal(game?.termination, 'logout', 'recorded as a logout, not a lost connection');
    assert.equal(await script.exited, 0);
    const { stdout } = script.output();
    assert.match(stdout, /TLS/);
    assert.match(stdout, /You played 11-15\./);
    assert.match(
      stdout,
      /Input ended; logging out\.\nYou forfeited the game against jen: it counts as a loss\. Your rating was 1200\.\nLogged out\. Bye\./,
    );
    jen.close();
  });

  it('logs out when input ends while waiting in the queue', async () => {
    const client = runPiped(['--host', '127.0.0.1', '--port', String(server.port), '--username', 'kain']);
    client.type('niak');
    await client.waitFor(/Waiting for an opponent/);
    client.end();
    assert.equal(await client.exited, 0);
    assert.match(client.output().stdout, /Input ended; logging out\.\nLogged out\. Bye\./);
  });

  it('a client whose game another login took over says so and stops; the game is not bounced back and forth', async () => {
    const args = [
      '--host',
      '127.0.0.1',
      '--port',
      String(server.port),
      '--protocol',
      '1',
      '--username',
      'neil',
      '--password',
      'lien',
    ];
    const first = runPiped(args);
    await first.waitFor(/Waiting for an opponent/);
    const safa = await RawClient.connect(server.port);
    await safa.login('safa', 'afas');
    await safa.expect('GameStart');
    await first.waitFor(/New game/);
    const second = runPiped(args);
    await second.waitFor(/New game|Back in your game/);
    // The first client takes the game back once by itself, the second one too; then the first stops.
    assert.equal(await first.exited, 1);
    assert.match(
      first.output().stdout,
      /Disconnected again right after taking the game back: another client is logged in to this account and keeps taking the game over\.\nNot reconnecting\./,
    );
    await second.waitFor(/Back in your game against safa\./);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const { stdout } = second.output();
    assert.equal(stdout.match(/Reconnecting in/g)?.length, 1, stdout);
    assert.equal(second.child.exitCode, null, 'the second client plays on');
    second.end();
    assert.equal(await second.exited, 0);
    safa.close();
  });

  it('says which versions the server speaks when it refuses ours, and exits non-zero', async (t) => {
    const { createServer } = await import('node:net');
    const old = createServer((socket) => socket.once('data', () => socket.write(Uint8Array.of(0x0d, 0x03, 0x02))));
    await new Promise<void>((resolve) => old.listen(0, '127.0.0.1', resolve));
    t.after(() => {
      if (old.listening) old.close();
    });
    const address = old.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const client = runPiped(['--host', '127.0.0.1', '--port', String(port), '--username', 'cam', '--password', 'mac']);
    assert.equal(await client.exited, 1);
    assert.match(
      client.output().stdout,
      /This server speaks protocol versions 2 to 3; this client speaks versions 1 and 2\./,
    );
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

describe('the client describes itself', () => {
  it("--version prints package.json's version", async () => {
    const packageJson = fileURLToPath(new URL('../../../package.json', import.meta.url));
    const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };
    const client = runPiped(['--version']);
    assert.equal(await client.exited, 0);
    assert.equal(client.output().stdout, `${version}\n`);
  });

  it('--help lists the in-game commands, where trusted certificates are kept, and what --verbose logs', async () => {
    const client = runPiped(['--help']);
    assert.equal(await client.exited, 0);
    const { stdout } = client.output();
    assert.match(stdout, /In a game \(protocol version 2\), type:\n {2}11-15 or 11 15 +move the piece/);
    assert.match(stdout, /13x22x31 +a capture: give the whole path/);
    assert.match(stdout, /resign +give up this game \(you stay logged in\)/);
    assert.match(
      stdout,
      /With a version-1 server \(or --protocol 1\):\n[\s\S]*quit \/ resign +log out and leave; during a game it asks first/,
    );
    assert.match(stdout, /--time-control <T> +the clock to play with: 3\+2, 5\+3, 10\+5, 15\+10,\s+none/);
    assert.match(stdout, /Ctrl-C, Ctrl-D +the same as quit/);
    assert.match(stdout, /kept in\n {2}\S*\/known-servers\.json/);
    assert.match(stdout, /--verbose +log every protocol message sent and received/);
    assert.match(stdout, /--move-timeout <SECONDS>[\s\S]*\(default: 300\)/);
    assert.match(stdout, /--timeout <SECONDS>[\s\S]*\(default: 10\)/);
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
