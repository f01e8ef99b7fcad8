import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connect as tlsConnect } from 'node:tls';
import type { ApiRoute } from '../../../src/server/web/http-types.js';
import { hostOf, OwnNames, parseAllowedHosts } from '../../../src/server/web/own-names.js';
import { httpFetch } from '../../support/http-client.js';
import { RawHttp } from '../../support/raw-http.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { waitUntil } from '../../support/wait.js';

/** The status of a raw WebSocket upgrade to `path` with these Host and Origin headers. */
async function upgradeStatus(port: number, host: string, origin: string, path = '/play'): Promise<number> {
  const client = await RawHttp.connect(port);
  client.read();
  client.send(
    `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nOrigin: ${origin}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
  );
  for (let i = 0; i < 500 && client.statuses.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  client.destroy();
  const [status] = client.statuses.length > 0 ? client.statuses : [Number(/^HTTP\/1\.1 (\d+)/.exec(client.text)?.[1])];
  return status ?? 0;
}

describe("the server's own names (pure)", () => {
  it('reads the host of a Host header, ports and brackets away, lower case', () => {
    assert.equal(hostOf('Play.Example.org:8864'), 'play.example.org');
    assert.equal(hostOf('example.org.'), 'example.org');
    assert.equal(hostOf('[::1]:8864'), '::1');
    assert.equal(hostOf('127.0.0.1'), '127.0.0.1');
    assert.equal(hostOf('evil.example/x'), undefined);
    assert.equal(hostOf('[nonsense]'), undefined);
  });

  it('accepts IP addresses, localhost, the machine, the listen address and the names given; nothing else', () => {
    const names = new OwnNames(['play.example.org'], 'lan-box', 'gamehost.example.net');
    for (const host of [
      '192.0.2.20:8864',
      '[fe80::1]:8864',
      'localhost:8864',
      'app.localhost',
      'gamehost.example.net',
      'gamehost.local',
      'lan-box:8864',
      'PLAY.example.org:8864',
      undefined,
    ]) {
      assert.ok(names.accepts(host), String(host));
    }
    for (const host of ['rebind.evil.example:8864', 'play.example.org.evil.example', 'localhost.evil.example', '']) {
      assert.ok(!names.accepts(host), host);
    }
    assert.ok(new OwnNames(['*'], undefined).accepts('rebind.evil.example'));
  });

  it('parses --allowed-hosts, refusing what is not a host name', () => {
    assert.deepEqual(parseAllowedHosts('play.example.org, lan-box ,*'), ['play.example.org', 'lan-box', '*']);
    for (const bad of ['https://play.example.org', 'play.example.org:8864', 'a b', '-x.example']) {
      assert.throws(() => parseAllowedHosts(bad), /is not a host name/, bad);
    }
  });
});

describe('DNS rebinding and request targets on the web port', () => {
  let server: TestServer;
  let changes = 0;
  const routes: ApiRoute[] = [
    {
      method: 'POST',
      pattern: '/api/change',
      handle: () => {
        changes++;
        return { status: 200, body: { changes } };
      },
    },
    { method: 'GET', pattern: '/api/players/:name', handle: ({ params }) => ({ status: 200, body: params }) },
  ];
  before(async () => {
    server = await startTestServer({ web: { routes, allowedHosts: ['play.example.org'] } });
  });
  after(() => server.stop());

  it('an upgrade sent to a name that is not the server is refused, though its Origin matches its Host', async () => {
    const port = server.port;
    const evil = `rebind.evil.example:${port}`;
    assert.equal(await upgradeStatus(port, evil, `http://${evil}`), 403);
    assert.equal(await upgradeStatus(port, evil, `http://${evil}`, '/watch/1'), 403);
    assert.equal(await upgradeStatus(port, `127.0.0.1:${port}`, `http://127.0.0.1:${port}`), 101);
    assert.equal(await upgradeStatus(port, `localhost:${port}`, `http://localhost:${port}`), 101);
    assert.equal(await upgradeStatus(port, `${hostname()}:${port}`, `http://${hostname()}:${port}`), 101);
    assert.equal(await upgradeStatus(port, `play.example.org:${port}`, `http://play.example.org:${port}`), 101);
  });

  it('a state-changing API call sent to another name is refused with 403 and does nothing; reading is allowed', async () => {
    changes = 0;
    const json = { 'Content-Type': 'application/json' };
    const evil = await httpFetch(server.port, '/api/change', {
      method: 'POST',
      headers: { ...json, Host: 'rebind.evil.example', Origin: 'http://rebind.evil.example' },
      body: '{}',
    });
    assert.equal(evil.status, 403);
    assert.match(JSON.parse(evil.body).error, /does not answer to the name "rebind\.evil\.example".*--allowed-hosts/);
    assert.equal(changes, 0);
    const own = await httpFetch(server.port, '/api/change', { method: 'POST', headers: json, body: '{}' });
    assert.equal(own.status, 200);
    assert.equal(changes, 1);
    const read = await httpFetch(server.port, '/api/players/cam', { headers: { Host: 'rebind.evil.example' } });
    assert.equal(read.status, 200);
  });

  it('a target that starts with // is a path, not a host: //evil.example/api/... does not reach /api/...', async () => {
    changes = 0;
    const smuggled = await httpFetch(server.port, '//evil.example/api/players/cam');
    assert.equal(smuggled.status, 404);
    assert.doesNotMatch(smuggled.body, /cam/);
    const posted = await httpFetch(server.port, '//x/api/change', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    assert.notEqual(posted.status, 200);
    assert.equal(changes, 0);
  });
});

describe('--plain refuse redirects only to the server itself', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ tls: true, plain: 'refuse', web: { allowedHosts: ['play.example.org'] } });
  });
  after(() => server.stop());

  it("a Host that is not the server's is not copied into Location: the address the client reached is", async () => {
    const evil = await httpFetch(server.port, '/standings?x=1', { headers: { Host: 'evil.example' } });
    assert.equal(evil.status, 308);
    assert.equal(evil.headers.location, `https://127.0.0.1:${server.port}/standings?x=1`);
    const named = await httpFetch(server.port, '/standings', { headers: { Host: `play.example.org:${server.port}` } });
    assert.equal(named.headers.location, `https://play.example.org:${server.port}/standings`);
    const smuggled = await httpFetch(server.port, '//evil.example/standings', { headers: { Host: 'localhost' } });
    assert.equal(smuggled.headers.location, 'https://localhost//evil.example/standings');
  });

  it('over TLS the name is not checked: a page under another name fails the certificate check first', async () => {
    const ca = readFileSync(join(dirname(server.dbPath), 'tls-cert.pem'), 'utf8');
    const secure = tlsConnect({ port: server.port, host: '127.0.0.1', ca, servername: 'localhost' });
    await once(secure, 'secureConnect');
    const evil = `rebind.evil.example:${server.port}`;
    let text = '';
    secure.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
    });
    secure.write(
      `GET /play HTTP/1.1\r\nHost: ${evil}\r\nOrigin: https://${evil}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
    );
    await waitUntil(() => text.includes('\r\n\r\n'), 'an answer to the upgrade');
    secure.destroy();
    assert.match(text, /^HTTP\/1\.1 101 /);
  });
});
