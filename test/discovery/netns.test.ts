import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { skipUnless } from '../support/capability.js';
import { netnsUnavailableReason, type RunningProcess, TestLan } from '../support/netns.js';

const SERVER = fileURLToPath(new URL('../../src/server/cli.js', import.meta.url));
const CLIENT = fileURLToPath(new URL('../../src/client/cli.js', import.meta.url));
const PROBE_TIMING = fileURLToPath(new URL('./probe-timing.js', import.meta.url));
const REPOSITORY = fileURLToPath(new URL('../../../', import.meta.url));
const skip = skipUnless(netnsUnavailableReason());

/** Sends an empty datagram to the broadcast address every 300 ms, as a version-1 server does; run only in a netns. */
const OLD_BEACON = `
const socket = require('node:dgram').createSocket('udp4');
const everyone = ['255', '255', '255', '255'].join('.');
socket.bind(() => { socket.setBroadcast(true); setInterval(() => socket.send(Buffer.alloc(0), 8864, everyone), 300); });
`;

/** Listens on UDP 8864 as a version-1 client does (a plain socket, no payload expected) and prints what came. */
const OLD_LISTENER = `
const socket = require('node:dgram').createSocket('udp4');
const seen = [];
socket.on('message', (message, from) => seen.push({ address: from.address, hex: message.toString('hex') }));
socket.bind(8864, () => setTimeout(() => { console.log(JSON.stringify(seen)); process.exit(0); }, 2500));
`;

describe('discovery across a real (namespaced) network', { skip }, () => {
  let lan: TestLan;
  let directory: string;
  const running: RunningProcess[] = [];

  before(() => {
    lan = TestLan.create(['alpha', 'beta', 'old', 'player']);
    directory = mkdtempSync(join(tmpdir(), 'checkers-lan-'));
  });
  // A test that fails half-way must not leave its server holding port 8864 for the next one.
  afterEach(() => {
    for (const process of running.splice(0)) process.kill();
  });
  after(() => {
    lan.destroy();
    rmSync(directory, { recursive: true, force: true });
  });

  async function startServer(host: string, name: string): Promise<RunningProcess> {
    const server = lan.node(host, SERVER, ['--db', join(directory, `${host}.db`), '--name', name]);
    running.push(server);
    await server.waitFor(/checkers server listening/, 15_000, 'stderr');
    return server;
  }

  function client(args: readonly string[]): RunningProcess {
    const process = lan.node('player', CLIENT, args, {
      LANG: 'C.UTF-8',
      CHECKERS_CONFIG_DIR: join(directory, 'client'),
    });
    running.push(process);
    return process;
  }

  it('with no server on the network, the client gives up after the timeout and names --host', async () => {
    const started = Date.now();
    const lonely = client(['--discovery-timeout', '1', '--username', 'cam', '--password', 'mac']);
    assert.equal(await lonely.exited, 1);
    assert.ok(Date.now() - started >= 1000);
    assert.match(lonely.stderr, /No server answered on the local network within 1 s\. Pass --host HOST/);
  });

  it('`client` with no host option finds the server, logs in over TLS and gets a QueuePosition', async () => {
    const server = await startServer('alpha', 'alpha-server');
    const player = client(['--username', 'cam', '--password', 'mac', '--trust-new']);
    await player.waitFor(
      new RegExp(
        `Found ${lan.address('alpha').replaceAll('.', '\\.')} port 8864 "alpha-server" \\(protocol versions 1-2, TLS\\)`,
      ),
    );
    await player.waitFor(/\(TLS, certificate trusted on first use\)/);
    await player.waitFor(/Waiting for an opponent \(5\+3\): 1st of 1 in the queue, your rating 1200/);
    player.child.stdin?.end('quit\n');
    assert.equal(await player.exited, 0);
    server.kill();
    await server.exited;
  });

  it('answers a probe directly, not only with its beacon', async () => {
    const server = await startServer('alpha', 'alpha-server');
    const probe = lan.node('player', PROBE_TIMING, []);
    running.push(probe);
    assert.equal(await probe.exited, 0);
    const found = JSON.parse(probe.stdout) as Array<{ address: string; via: string; afterMs: number; name: string }>;
    const answer = found.find((entry) => entry.via === 'answer');
    assert.ok(answer, `no answer to the probe: ${probe.stdout}`);
    assert.equal(answer.address, lan.address('alpha'));
    assert.equal(answer.name, 'alpha-server');
    server.kill();
    await server.exited;
  });

  it('two servers in two namespaces are both listed by --list-servers', async () => {
    const alpha = await startServer('alpha', 'alpha-server');
    const beta = await startServer('beta', 'beta-server');
    const lister = client(['--list-servers', '--discovery-timeout', '2']);
    assert.equal(await lister.exited, 0);
    assert.match(lister.stdout, new RegExp(`${lan.address('alpha').replaceAll('.', '\\.')} port 8864 "alpha-server"`));
    assert.match(lister.stdout, new RegExp(`${lan.address('beta').replaceAll('.', '\\.')} port 8864 "beta-server"`));
    alpha.kill();
    beta.kill();
    await Promise.all([alpha.exited, beta.exited]);
  });

  it('accepts a version-1 beacon: an empty datagram from a plain UDP socket', async () => {
    const old = lan.node('old', '-e', [OLD_BEACON]);
    running.push(old);
    const lister = client(['--list-servers', '--discovery-timeout', '1.5']);
    assert.equal(await lister.exited, 0);
    assert.match(
      lister.stdout,
      new RegExp(`${lan.address('old').replaceAll('.', '\\.')} port 8864 \\(protocol version 1, a version-1 server\\)`),
    );
    old.kill();
  });

  it('the beacon reaches a version-1 client on UDP 8864 once a second, laid out as docs/PROTOCOL.md section 8 says', async () => {
    const server = await startServer('alpha', 'alpha-server');
    const listener = lan.node('player', '-e', [OLD_LISTENER]);
    running.push(listener);
    assert.equal(await listener.exited, 0);
    const seen = JSON.parse(listener.stdout) as Array<{ address: string; hex: string }>;
    const beacons = seen.filter((datagram) => datagram.address === lan.address('alpha'));
    assert.ok(beacons.length >= 2, `about one a second for 2.5 s, from the server's address: ${listener.stdout}`);
    const fingerprint = /(?:[0-9A-F]{2}:){31}[0-9A-F]{2}/.exec(server.stdout + server.stderr)?.[0] ?? '';
    assert.ok(fingerprint, 'the server logs its certificate fingerprint');
    const name = Buffer.from('alpha-server').toString('hex');
    const expected = [
      '434b5253', // magic CKRS
      '01', // format 1
      '01', // announcement
      '01', // lowest version
      '02', // highest version: 2 (version 2 is offered beside 1)
      'a022', // TCP port 8864, little-endian
      '01', // flags: TLS offered
      (name.length / 2).toString(16).padStart(2, '0'),
      name,
      '0120', // tag 1, 32 bytes: the certificate fingerprint
      fingerprint.replaceAll(':', '').toLowerCase(),
    ].join('');
    for (const beacon of beacons) assert.equal(beacon.hex, expected);
    server.kill();
    await server.exited;
  });

  it("README's scripted example, exactly as written, against a server on port 8864", async () => {
    const readme = readFileSync(join(REPOSITORY, 'README.md'), 'utf8');
    const example = /printf '[^']*' \| npx checkers-client [^`\n]*/.exec(readme)?.[0] ?? '';
    assert.match(example, /--host 127\.0\.0\.1 --port 8864 --trust-new/);
    const server = await startServer('alpha', 'alpha-server');
    const env = (who: string) => ({
      LANG: 'C.UTF-8',
      CHECKERS_CONFIG_DIR: join(directory, who),
      npm_config_update_notifier: 'false',
    });
    const script = lan.shell('alpha', example, REPOSITORY, env('scripted'));
    running.push(script);
    await script.waitFor(/Waiting for an opponent/, 30_000);
    const jen = lan.shell(
      'alpha',
      'npx checkers-client --host 127.0.0.1 --port 8864 --trust-new --username jen --password nej',
      REPOSITORY,
      env('jen'),
    );
    running.push(jen);
    assert.equal(await script.exited, 0, script.stdout + script.stderr);
    assert.match(script.stdout, /You played 11-15\./);
    assert.match(script.stdout, /Input ended; logging out\.\nYou forfeited the game against jen/);
    assert.match(script.stdout, /Logged out\. Bye\./);
    jen.kill();
    server.kill();
    await server.exited;
  });

  it("README's terminal examples, exactly as written: `npx checkers-client` finds the server, `--host 192.0.2.10` connects", async () => {
    const readme = readFileSync(join(REPOSITORY, 'README.md'), 'utf8');
    const examples = [...readme.matchAll(/^(npx checkers-client[^#\n]*?)\s+#/gm)].map((match) => match[1] ?? '');
    assert.deepEqual(examples, ['npx checkers-client', 'npx checkers-client --host 192.0.2.10']);
    lan.addAddress('alpha', '192.0.2.10');
    const server = await startServer('alpha', 'alpha-server');
    for (const [example, key] of [
      [examples[0] ?? '', lan.address('alpha')],
      [examples[1] ?? '', '192.0.2.10'],
    ] as const) {
      const env = { LANG: 'C.UTF-8', CHECKERS_CONFIG_DIR: join(directory, `readme-${key}`) };
      // A script cannot answer "trust this certificate?": the certificate is trusted once beforehand.
      const trusting = lan.node(
        'player',
        CLIENT,
        ['--host', key, '--trust-new', '--username', 'neil', '--password', 'lien'],
        env,
      );
      running.push(trusting);
      await trusting.waitFor(/Waiting for an opponent/, 30_000);
      trusting.child.stdin?.end();
      assert.equal(await trusting.exited, 0);

      const player = lan.shell('player', example, REPOSITORY, { ...env, npm_config_update_notifier: 'false' });
      running.push(player);
      player.child.stdin?.write('cam\nmac\n');
      await player.waitFor(/Waiting for an opponent/, 30_000);
      assert.match(player.stdout, new RegExp(`${key.replaceAll('.', '\\.')}`), `connected to ${key}`);
      player.child.stdin?.end();
      assert.equal(await player.exited, 0, player.stdout + player.stderr);
    }
    server.kill();
    await server.exited;
  });
});
