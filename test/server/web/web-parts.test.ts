import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MESSAGE_TABLE } from '../../../src/protocol/index.js';
import { firstByteKind } from '../../../src/server/web/http-detect.js';
import { originAllowed, parseOriginList } from '../../../src/server/web/origin.js';
import { matchPattern } from '../../../src/server/web/route-pattern.js';
import { isHashedName, staticTarget } from '../../../src/server/web/static-files.js';
import { closeFrameFor } from '../../../src/server/web/ws-transport.js';

describe('first byte of a connection', () => {
  it('0x16 is TLS, the first letters of HTTP methods are HTTP, every version-1 type is version 1', () => {
    assert.equal(firstByteKind(0x16), 'tls');
    for (const method of ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'OPTIONS', 'DELETE', 'CONNECT', 'TRACE']) {
      assert.equal(firstByteKind(method.charCodeAt(0)), 'http', method);
    }
    for (const definition of MESSAGE_TABLE) assert.equal(firstByteKind(definition.code), 'v1', definition.name);
    for (const byte of [0x00, 0x0e, 0x41, 0x67, 0xff]) assert.equal(firstByteKind(byte), 'v1');
  });
});

describe('WebSocket origins', () => {
  it('the same origin as the Host, a listed one, or none (not a browser page) may connect', () => {
    assert.equal(originAllowed('http://localhost:8864', 'localhost:8864', []), true);
    assert.equal(originAllowed('https://Play.Example.org', 'play.example.org', []), true);
    assert.equal(originAllowed('https://play.example.org', 'play.example.org:443', []), true);
    assert.equal(originAllowed(undefined, 'localhost:8864', []), true);
    assert.equal(originAllowed('https://evil.example', 'localhost:8864', []), false);
    assert.equal(originAllowed('http://localhost:9999', 'localhost:8864', []), false);
    assert.equal(originAllowed('null', 'localhost:8864', []), false);
    assert.equal(originAllowed('https://friend.example', 'localhost:8864', ['https://friend.example']), true);
  });

  it('--web-origin takes http(s) origins only, without a path', () => {
    assert.deepEqual(parseOriginList('https://a.example, http://b.example:8080'), [
      'https://a.example',
      'http://b.example:8080',
    ]);
    assert.throws(() => parseOriginList('https://a.example/path'), /not an origin/);
    assert.throws(() => parseOriginList('a.example'), /not an origin/);
    assert.throws(() => parseOriginList('ftp://a.example'), /not an origin/);
  });
});

describe('route patterns', () => {
  it('match :name parts, decoded, and report a bad encoding apart from a mismatch', () => {
    assert.deepEqual(matchPattern('/api/players/:name', '/api/players/J%C3%A9n'), {
      kind: 'match',
      params: { name: 'Jén' },
    });
    assert.deepEqual(matchPattern('/api/games/:id', '/api/games/12/x'), { kind: 'no-match' });
    assert.deepEqual(matchPattern('/api/games/:id', '/api/games/'), { kind: 'no-match' });
    assert.deepEqual(matchPattern('/api/games/:id', '/api/other/1'), { kind: 'no-match' });
    assert.deepEqual(matchPattern('/api/games/:id', '/api/games/%E0%A4'), { kind: 'bad-encoding' });
  });
});

describe('static file paths', () => {
  it('files, client routes (index.html) and paths that name nothing', () => {
    assert.deepEqual(staticTarget('/'), { kind: 'index' });
    assert.deepEqual(staticTarget('/assets/app-5KQ2ZJ7H.js'), { kind: 'file', relative: 'assets/app-5KQ2ZJ7H.js' });
    assert.deepEqual(staticTarget('/players/cam'), { kind: 'index' });
    for (const path of ['/api/x', '/play', '/watch/2', '/healthz', '/readyz', '/metrics', '/api']) {
      assert.deepEqual(staticTarget(path), { kind: 'not-found' }, path);
    }
    for (const path of ['/../x.js', '/a/%2e%2e/%2e%2e/x.js', '/%2e%2e%2fx.js', '/a%5c..%5cx.js', '/x%00.js', '/%ff']) {
      assert.deepEqual(staticTarget(path), { kind: 'not-found' }, path);
    }
  });

  it('content-hashed names are told from plain ones', () => {
    assert.equal(isHashedName('app-5KQ2ZJ7H.js'), true);
    assert.equal(isHashedName('chunk.a1b2c3d4e5.css'), true);
    assert.equal(isHashedName('main-ABCDEFGH.js'), true, 'an esbuild hash may hold no digit');
    assert.equal(isHashedName('app-settings.js'), false);
    assert.equal(isHashedName('dark-mode-icon.svg'), false);
    assert.equal(isHashedName('favicon.svg'), false);
    assert.equal(isHashedName('background.png'), false);
    assert.equal(isHashedName('index.html'), false);
  });
});

describe('WebSocket close frames', () => {
  it('a protocol error is 1002 with the error, limits are 1008, a shutdown 1001; reasons fit a close frame', () => {
    assert.deepEqual(closeFrameFor({ reason: 'protocol-error', detail: 'unknown message type 0x47' }), {
      code: 1002,
      reason: 'protocol-error: unknown message type 0x47',
    });
    assert.equal(closeFrameFor({ reason: 'rate-limit' }).code, 1008);
    assert.equal(closeFrameFor({ reason: 'slow-reader' }).code, 1008);
    assert.equal(closeFrameFor({ reason: 'shutdown' }).code, 1001);
    assert.equal(closeFrameFor({ reason: 'takeover' }).code, 1000);
    assert.ok(Buffer.byteLength(closeFrameFor({ reason: 'protocol-error', detail: 'é'.repeat(200) }).reason) <= 123);
  });
});
