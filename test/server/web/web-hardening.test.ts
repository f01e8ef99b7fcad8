import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ApiRoute } from '../../../src/server/web/http-types.js';
import { CONTENT_SECURITY_POLICY } from '../../../src/server/web/static-files.js';
import { httpFetch } from '../../support/http-client.js';
import { getRequest, RawHttp } from '../../support/raw-http.js';
import { startTestServer, type TestServer, temporaryDirectory } from '../../support/test-server.js';
import { waitUntil } from '../../support/wait.js';

/** A stand-in web client with a script and its source map. */
function clientWithMap(): string {
  const dir = join(temporaryDirectory(), 'web');
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(dir, 'assets', 'app-5KQ2ZJ7H.js'), 'console.log(1);\n//# sourceMappingURL=app-5KQ2ZJ7H.js.map');
  writeFileSync(join(dir, 'assets', 'app-5KQ2ZJ7H.js.map'), '{"version":3,"sources":["main.ts"]}');
  return dir;
}

const routes: ApiRoute[] = [{ method: 'GET', pattern: '/api/read', handle: () => ({ status: 200, body: {} }) }];

describe('web port hardening', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ web: { staticDir: clientWithMap(), routes } });
  });
  after(() => server.stop());

  it('the CSP lets the page connect to its own origin only (no ws: or wss: to any host)', async () => {
    const page = await httpFetch(server.port, '/');
    const policy = String(page.headers['content-security-policy']);
    assert.equal(policy, CONTENT_SECURITY_POLICY);
    assert.match(policy, /connect-src 'self';/);
    assert.doesNotMatch(policy, /\bwss?:/);
  });

  it('source maps are not served unless asked for', async () => {
    assert.equal((await httpFetch(server.port, '/assets/app-5KQ2ZJ7H.js')).status, 200);
    assert.equal((await httpFetch(server.port, '/assets/app-5KQ2ZJ7H.js.map')).status, 404);
    const debugging = await startTestServer({ web: { staticDir: clientWithMap(), sourceMaps: true } });
    try {
      const map = await httpFetch(debugging.port, '/assets/app-5KQ2ZJ7H.js.map');
      assert.equal(map.status, 200);
      assert.match(map.body, /"sources"/);
    } finally {
      await debugging.stop();
    }
  });

  it('a 405 for a GET route lists HEAD in Allow too', async () => {
    const answer = await httpFetch(server.port, '/api/read', { method: 'DELETE' });
    assert.equal(answer.status, 405);
    assert.equal(answer.headers.allow, 'GET, HEAD');
  });

  it('no HSTS on a server that serves plain HTTP', async () => {
    assert.equal((await httpFetch(server.port, '/')).headers['strict-transport-security'], undefined);
  });
});

describe('HSTS under --plain refuse', () => {
  it('HTTPS answers tell the browser to come back over HTTPS only', async () => {
    const server = await startTestServer({ tls: true, plain: 'refuse', web: { staticDir: clientWithMap() } });
    try {
      const ca = readFileSync(join(dirname(server.dbPath), 'tls-cert.pem'), 'utf8');
      const page = await httpFetch(server.port, '/', { ca });
      assert.equal(page.status, 200);
      assert.equal(page.headers['strict-transport-security'], 'max-age=31536000');
    } finally {
      await server.stop();
    }
  });
});

describe('a connection the limits refuse', () => {
  it('gets 429 with Retry-After when it speaks HTTP; a version-1 client is closed as before', async () => {
    const server = await startTestServer({
      web: { staticDir: clientWithMap() },
      limits: { maxConnectionsPerAddress: 1 },
    });
    try {
      const held = await RawHttp.connect(server.port, '127.0.0.8');
      held.read();
      held.send(getRequest('/'));
      await waitUntil(() => held.statuses.length === 1, 'the first connection answered');
      const refused = await RawHttp.connect(server.port, '127.0.0.8');
      refused.send(getRequest('/'));
      await refused.closedWithin(5000);
      assert.match(refused.text, /^HTTP\/1\.1 429 Too Many Requests\r\n/);
      assert.match(refused.text, /\r\nRetry-After: \d+\r\n/);
      assert.match(refused.text, /too many connections from your address/);
      const versionOne = await RawHttp.connect(server.port, '127.0.0.8');
      versionOne.send('\x01');
      await versionOne.closedWithin(5000);
      assert.equal(versionOne.bytesReceived, 0);
      held.destroy();
    } finally {
      await server.stop();
    }
  });

  it('gets 503 when the server is full', async () => {
    const server = await startTestServer({ web: { staticDir: clientWithMap() }, limits: { maxConnections: 1 } });
    try {
      const held = await RawHttp.connect(server.port, '127.0.0.9');
      held.read();
      held.send(getRequest('/'));
      await waitUntil(() => held.statuses.length === 1, 'the first connection answered');
      const refused = await RawHttp.connect(server.port, '127.0.0.10');
      refused.send(getRequest('/'));
      await refused.closedWithin(5000);
      assert.match(refused.text, /^HTTP\/1\.1 503 Service Unavailable\r\n/);
      held.destroy();
    } finally {
      await server.stop();
    }
  });
});
