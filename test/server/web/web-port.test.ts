import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { definitionForCode, encodeMessage } from '../../../src/protocol/index.js';
import type { ApiRoute } from '../../../src/server/web/http-types.js';
import { CONTENT_SECURITY_POLICY } from '../../../src/server/web/static-files.js';
import { addPlayers, TEST_PASSWORD } from '../../support/accounts.js';
import { httpFetch } from '../../support/http-client.js';
import { playGame } from '../../support/player.js';
import { RawClient } from '../../support/raw-client.js';
import { startTestServer, type TestServer, temporaryDirectory } from '../../support/test-server.js';
import { connectWs, upgradeRefusal } from '../../support/ws-client.js';

const INDEX = '<!doctype html><title>checkers test client</title>';

/** A stand-in for the built web client, and a secret file beside it that must never be served. */
function fakeClient(): string {
  const root = temporaryDirectory();
  const dir = join(root, 'web');
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), INDEX);
  writeFileSync(join(dir, 'assets', 'app-5KQ2ZJ7H.js'), 'console.log("hashed");');
  writeFileSync(join(dir, 'favicon.svg'), '<svg/>');
  writeFileSync(join(root, 'secret.txt'), 'do not serve');
  return dir;
}

const routes: ApiRoute[] = [
  {
    method: 'GET',
    pattern: '/api/echo/:name',
    handle: (request) => ({ status: 200, body: { name: request.params.name, q: request.query.get('q') } }),
  },
  { method: 'POST', pattern: '/api/things', handle: (request) => ({ status: 201, body: { got: request.body } }) },
  {
    method: 'GET',
    pattern: '/api/broken',
    handle: () => {
      throw new Error('boom');
    },
  },
  {
    method: 'GET',
    pattern: '/healthz',
    handle: () => ({ status: 200, body: 'ok\n', headers: { 'Content-Type': 'text/plain' } }),
  },
];

describe('HTTP on the game port', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ web: { staticDir: fakeClient(), routes } });
  });
  after(() => server.stop());

  it('GET / serves index.html with a CSP that allows no inline script, nosniff and no-cache', async () => {
    const answer = await httpFetch(server.port, '/');
    assert.equal(answer.status, 200);
    assert.equal(answer.body, INDEX);
    assert.equal(answer.headers['content-security-policy'], CONTENT_SECURITY_POLICY);
    assert.doesNotMatch(CONTENT_SECURITY_POLICY, /unsafe-inline/);
    assert.equal(answer.headers['x-content-type-options'], 'nosniff');
    assert.equal(answer.headers['cache-control'], 'no-cache');
    assert.match(String(answer.headers['content-type']), /^text\/html/);
  });

  it('hashed assets are immutable; others get a short max-age and an ETag that answers 304', async () => {
    const hashed = await httpFetch(server.port, '/assets/app-5KQ2ZJ7H.js');
    assert.equal(hashed.status, 200);
    assert.equal(hashed.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.match(String(hashed.headers['content-type']), /^text\/javascript/);
    const icon = await httpFetch(server.port, '/favicon.svg');
    assert.equal(icon.headers['cache-control'], 'public, max-age=300');
    const etag = String(icon.headers.etag);
    const again = await httpFetch(server.port, '/favicon.svg', { headers: { 'If-None-Match': etag } });
    assert.equal(again.status, 304);
    assert.equal(again.body, '');
  });

  it('HEAD answers the headers without the body', async () => {
    const answer = await httpFetch(server.port, '/', { method: 'HEAD' });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers['content-length'], String(INDEX.length));
    assert.equal(answer.body, '');
  });

  it('a path that climbs out of the directory is refused', async () => {
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/..%5csecret.txt',
      '/%00.js',
      '/%zz.js',
    ]) {
      const answer = await httpFetch(server.port, path);
      assert.equal(answer.status, 404, path);
      assert.doesNotMatch(answer.body, /do not serve/, path);
    }
  });

  it("client routes without an extension get index.html; the server's own paths and missing files do not", async () => {
    for (const path of ['/standings', '/players/cam', '/games/12', '/live', '/signup']) {
      const answer = await httpFetch(server.port, path);
      assert.equal(answer.status, 200, path);
      assert.equal(answer.body, INDEX, path);
    }
    for (const path of ['/metrics', '/watch/3', '/missing.js']) {
      assert.equal((await httpFetch(server.port, path)).status, 404, path);
    }
  });

  it('API routes: params decoded, JSON answers not cached, 404 for unknown /api paths, 405 for a wrong method', async () => {
    const echo = await httpFetch(server.port, '/api/echo/J%C3%A9n?q=1');
    assert.equal(echo.status, 200);
    assert.deepEqual(JSON.parse(echo.body), { name: 'Jén', q: '1' });
    assert.equal(echo.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(echo.headers['cache-control'], 'no-store');
    assert.equal((await httpFetch(server.port, '/api/echo/%E0%A4')).status, 400);
    const unknown = await httpFetch(server.port, '/api/nothing');
    assert.equal(unknown.status, 404);
    assert.ok(JSON.parse(unknown.body).error);
    const wrong = await httpFetch(server.port, '/api/things');
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.allow, 'POST');
    const health = await httpFetch(server.port, '/healthz');
    assert.equal(health.body, 'ok\n');
    assert.equal(health.headers['content-type'], 'text/plain');
  });

  it('JSON bodies: parsed, 400 when malformed, 415 when not JSON, 413 when too large; a throwing handler is a 500', async () => {
    const json = { 'Content-Type': 'application/json' };
    const ok = await httpFetch(server.port, '/api/things', { method: 'POST', headers: json, body: '{"a":1}' });
    assert.equal(ok.status, 201);
    assert.deepEqual(JSON.parse(ok.body), { got: { a: 1 } });
    assert.equal(
      (await httpFetch(server.port, '/api/things', { method: 'POST', headers: json, body: '{a' })).status,
      400,
    );
    const text = { 'Content-Type': 'text/plain' };
    assert.equal(
      (await httpFetch(server.port, '/api/things', { method: 'POST', headers: text, body: 'hi' })).status,
      415,
    );
    const big = `{"a":"${'x'.repeat(20_000)}"}`;
    assert.equal(
      (await httpFetch(server.port, '/api/things', { method: 'POST', headers: json, body: big })).status,
      413,
    );
    const broken = await httpFetch(server.port, '/api/broken');
    assert.equal(broken.status, 500);
    assert.deepEqual(JSON.parse(broken.body), { error: 'internal server error' });
  });

  it('a browser on /play and a version-1 client on TCP meet in one queue and play a whole game; one message per frame', async () => {
    const [wsName = '', tcpName = ''] = await addPlayers(server.store, 'wsplay', 2);
    const browser = await connectWs(server.port);
    await browser.client.login(wsName, TEST_PASSWORD);
    const terminal = await RawClient.connect(server.port);
    await terminal.login(tcpName, TEST_PASSWORD);
    const counts = server.server.sessionCounts();
    assert.ok(
      counts.some((entry) => entry.transport === 'ws' && entry.count >= 1),
      JSON.stringify(counts),
    );
    assert.ok(
      counts.some((entry) => entry.transport === 'tcp' && entry.count >= 1),
      JSON.stringify(counts),
    );
    const [browserGame, terminalGame] = await Promise.all([playGame(browser.client), playGame(terminal)]);
    assert.ok(browserGame.gameOver && terminalGame.gameOver);
    assert.notEqual(browserGame.color, terminalGame.color);
    const stored = (await server.store.listGames()).at(-1);
    assert.deepEqual([stored?.black.name, stored?.white.name].sort(), [wsName, tcpName].sort());
    assert.ok(browser.frames.length > 10);
    for (const frame of browser.frames) {
      assert.equal(definitionForCode(frame[0] ?? 0)?.size, frame.length, 'each frame holds exactly one message');
    }
    browser.socket.close();
    terminal.close();
  });

  it('a version-1 message split across frames is reassembled', async () => {
    const [name = ''] = await addPlayers(server.store, 'wssplit', 1);
    const browser = await connectWs(server.port);
    const connect = Buffer.from(
      encodeMessage({ type: 'Connect', version: 1, username: name, password: TEST_PASSWORD }),
    );
    for (const part of [connect.subarray(0, 1), connect.subarray(1, 20), connect.subarray(20)])
      browser.socket.send(part);
    await browser.client.expect('QueuePosition');
    browser.socket.close();
  });

  it('an upgrade from another site is refused with 403; the same origin and no origin are accepted', async () => {
    assert.equal(await upgradeRefusal(server.port, { origin: 'https://evil.example' }), 403);
    const same = await connectWs(server.port, { origin: `http://127.0.0.1:${server.port}` });
    same.socket.close();
    const none = await connectWs(server.port);
    none.socket.close();
    assert.equal(await upgradeRefusal(server.port, { path: '/nowhere' }), 404);
  });

  it('headers over 8 KiB are refused with 431', async () => {
    const answer = await httpFetch(server.port, '/', { headers: { 'X-Padding': 'x'.repeat(9000) } });
    assert.equal(answer.status, 431);
  });

  it('headers that trickle in are cut off by the header timeout with 408', async () => {
    const slow = await startTestServer({ web: { staticDir: fakeClient(), headersTimeoutMs: 500 } });
    try {
      const socket = connect({ port: slow.port, host: '127.0.0.1' });
      const answered = new Promise<string>((resolve) => {
        let text = '';
        socket.on('data', (chunk: Buffer) => {
          text += chunk.toString('latin1');
        });
        socket.on('close', () => resolve(text));
      });
      socket.write('GET / HTTP/1.1\r\nHost: x\r\n');
      const timer = setTimeout(() => socket.destroy(), 5000);
      const text = await answered;
      clearTimeout(timer);
      assert.match(text, /^HTTP\/1\.1 408/);
    } finally {
      await slow.stop();
    }
  });

  it('an HTTP connection counts against the per-address connection cap', async () => {
    const capped = await startTestServer({ web: { staticDir: fakeClient() }, limits: { maxConnectionsPerAddress: 2 } });
    try {
      const held = await Promise.all([0, 1].map(() => openKeptAlive(capped.port)));
      const third = await RawClient.connect(capped.port);
      await third.closedWithin(5000);
      for (const socket of held) socket.destroy();
    } finally {
      await capped.stop();
    }
  });
});

/** A keep-alive HTTP connection that has been answered once and stays open. */
function openKeptAlive(port: number): Promise<import('node:net').Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' }, () => socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    socket.once('data', () => resolve(socket));
    socket.once('error', reject);
  });
}

describe('HTTPS, WSS and --plain refuse on the same port', () => {
  let server: TestServer;
  let ca: string;
  before(async () => {
    server = await startTestServer({ tls: true, plain: 'refuse', web: { staticDir: fakeClient() } });
    ca = readFileSync(join(dirname(server.dbPath), 'tls-cert.pem'), 'utf8');
  });
  after(() => server.stop());

  it('HTTPS serves the client with the self-signed certificate trusted', async () => {
    const answer = await httpFetch(server.port, '/standings', { ca });
    assert.equal(answer.status, 200);
    assert.equal(answer.body, INDEX);
    assert.equal(answer.headers['content-security-policy'], CONTENT_SECURITY_POLICY);
  });

  it('WSS plays version 1', async () => {
    const [name = ''] = await addPlayers(server.store, 'wss', 1);
    const browser = await connectWs(server.port, { ca, host: 'localhost' });
    const position = await browser.client.login(name, TEST_PASSWORD);
    assert.equal(position.type, 'QueuePosition');
    browser.socket.close();
  });

  it('plain HTTP only redirects to HTTPS on the same port, and a plain WebSocket is refused', async () => {
    const answer = await httpFetch(server.port, '/players/cam?tab=games', {
      headers: { Host: `localhost:${server.port}` },
    });
    assert.equal(answer.status, 308);
    assert.equal(answer.headers.location, `https://localhost:${server.port}/players/cam?tab=games`);
    assert.doesNotMatch(answer.body, /checkers test client/);
    assert.equal(await upgradeRefusal(server.port), 403);
  });
});

describe('shutdown', () => {
  it('a player on /play is told 1001 going away', async () => {
    const server = await startTestServer({ web: { staticDir: fakeClient() } });
    try {
      const [name = ''] = await addPlayers(server.store, 'wsbye', 1);
      const browser = await connectWs(server.port);
      await browser.client.login(name, TEST_PASSWORD);
      await server.server.stop();
      assert.equal((await browser.closed).code, 1001);
    } finally {
      await server.stop();
    }
  });
});

describe('--no-web', () => {
  it('an HTTP request is a version-1 protocol error: closed without an answer', async () => {
    const server = await startTestServer({ web: false });
    try {
      const client = await RawClient.connect(server.port);
      client.sendBytes(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
      await client.closedWithin(5000);
      assert.equal(client.pending().length, 0);
    } finally {
      await server.stop();
    }
  });

  it('the web client is answered 503 when it is not built', async () => {
    const server = await startTestServer({ web: { staticDir: join(temporaryDirectory(), 'missing') } });
    try {
      const answer = await httpFetch(server.port, '/');
      assert.equal(answer.status, 503);
      assert.match(answer.body, /the web client is not built; run npm run build/);
    } finally {
      await server.stop();
    }
  });
});
