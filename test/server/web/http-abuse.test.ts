import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import type { ApiRoute } from '../../../src/server/web/http-types.js';
import { MAX_PIPELINED_REQUESTS } from '../../../src/server/web/request-queue.js';
import { httpFetch } from '../../support/http-client.js';
import { ManualClock } from '../../support/manual-clock.js';
import { getRequest, RawHttp } from '../../support/raw-http.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

/**
 * HTTP clients that pile work up on the server (pipelining, not reading
 * their answers) are bounded and dropped, and an honest request from another
 * address is answered meanwhile. Assertions are on what happens, not on how
 * long it takes: the stall they caused is measured by bench:load's
 * http-pipeline attack.
 */

const BIG_ANSWER_BYTES = 16 * 1024 * 1024;

describe('HTTP clients that pile work up', () => {
  let server: TestServer;
  let counted = 0;
  const routes: ApiRoute[] = [
    {
      method: 'GET',
      pattern: '/api/count',
      handle: () => {
        counted++;
        return { status: 200, body: { counted } };
      },
    },
    {
      method: 'GET',
      pattern: '/api/big',
      handle: () => ({ status: 200, body: 'x'.repeat(BIG_ANSWER_BYTES) }),
    },
  ];
  before(async () => {
    server = await startTestServer({ web: { routes } });
  });
  after(() => server.stop());

  it('a connection that pipelines more requests than the bound is closed; the requests beyond it do no work', async () => {
    counted = 0;
    const piler = await RawHttp.connect(server.port, '127.0.0.2');
    piler.send(getRequest('/api/count').repeat(500));
    await piler.closedWithin(10_000);
    assert.ok(counted <= MAX_PIPELINED_REQUESTS, `${counted} requests were handled`);
    assert.ok(piler.statuses.length <= MAX_PIPELINED_REQUESTS, `${piler.statuses.length} answers`);
    const honest = await httpFetch(server.port, '/api/count');
    assert.equal(honest.status, 200);
  });

  it('pipelined requests within the bound are all answered, in order', async () => {
    counted = 0;
    const client = await RawHttp.connect(server.port, '127.0.0.3');
    client.read();
    client.send(
      getRequest('/api/count').repeat(MAX_PIPELINED_REQUESTS - 1) +
        getRequest('/api/count').replace('\r\n\r\n', '\r\nConnection: close\r\n\r\n'),
    );
    await client.closedWithin(10_000);
    assert.deepEqual(client.statuses, Array(MAX_PIPELINED_REQUESTS).fill(200));
    const counts = [...client.text.matchAll(/\{"counted":(\d+)\}/g)].map((match) => Number(match[1]));
    assert.deepEqual(
      counts,
      Array.from({ length: MAX_PIPELINED_REQUESTS }, (_, i) => i + 1),
    );
  });

  it('a client that does not read its answers is dropped; another address is answered meanwhile', async () => {
    const sleeper = await RawHttp.connect(server.port, '127.0.0.4');
    sleeper.send(getRequest('/api/big'));
    const honest = await httpFetch(server.port, '/api/count');
    assert.equal(honest.status, 200);
    await sleeper.closedWithin(10_000);
    assert.ok(
      sleeper.bytesReceived < BIG_ANSWER_BYTES,
      `the whole answer (${sleeper.bytesReceived} bytes) was kept for a client that did not read`,
    );
  });
});

describe('the HTTP request budget of an address', () => {
  let server: TestServer;
  let computed = 0;
  const routes: ApiRoute[] = [
    {
      method: 'GET',
      pattern: '/api/page',
      cacheMs: 60_000,
      handle: ({ query }) => {
        computed++;
        return { status: 200, body: { page: query.get('n') } };
      },
    },
  ];
  before(async () => {
    server = await startTestServer({
      web: { routes },
      limits: { httpRequestRatePerAddress: { perSecond: 0.001, burst: 3 } },
    });
  });
  after(() => server.stop());

  it('past its burst an address is answered 429 with Retry-After, and the connection closes; another address is served', async () => {
    const from = { localAddress: '127.0.0.5' };
    for (let i = 0; i < 3; i++) assert.equal((await httpFetch(server.port, '/api/page', from)).status, 200);
    const refused = await httpFetch(server.port, '/api/page', from);
    assert.equal(refused.status, 429);
    assert.match(JSON.parse(refused.body).error, /too many requests from your address; try again in \d+ s/);
    assert.ok(Number(refused.headers['retry-after']) >= 1, String(refused.headers['retry-after']));
    const page = await httpFetch(server.port, '/standings', from);
    assert.equal(page.status, 429);
    assert.match(page.body, /too many requests/);
    const keptAlive = await RawHttp.connect(server.port, '127.0.0.5');
    keptAlive.send(getRequest('/api/page'));
    await keptAlive.closedWithin(10_000);
    assert.deepEqual(keptAlive.statuses, [429]);
    assert.equal((await httpFetch(server.port, '/api/page', { localAddress: '127.0.0.6' })).status, 200);
  });

  it('a public page asked for again within its cache lifetime is not computed again', async () => {
    computed = 0;
    const from = { localAddress: '127.0.0.7' };
    assert.equal((await httpFetch(server.port, '/api/page?n=1', from)).body, '{"page":"1"}');
    assert.equal((await httpFetch(server.port, '/api/page?n=1', from)).body, '{"page":"1"}');
    assert.equal(computed, 1);
    assert.equal((await httpFetch(server.port, '/api/page?n=2', from)).body, '{"page":"2"}');
    assert.equal(computed, 2);
  });
});

describe('what the web port refused, in the log', () => {
  it('one line per 10 s with the requests answered 429 and the connections dropped since the last', async () => {
    const lines: Array<Record<string, unknown> & { msg: string }> = [];
    const log = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const clock = new ManualClock();
    const server = await startTestServer({
      clock,
      log,
      web: { routes: [{ method: 'GET', pattern: '/api/one', handle: () => ({ status: 200, body: {} }) }] },
      limits: { httpRequestRatePerAddress: { perSecond: 1, burst: 1 } },
    });
    try {
      const piler = await RawHttp.connect(server.port, '127.0.0.11');
      piler.send(getRequest('/api/one').repeat(MAX_PIPELINED_REQUESTS + 2));
      await piler.closedWithin(10_000);
      const refused = await httpFetch(server.port, '/api/one', { localAddress: '127.0.0.11' });
      assert.equal(refused.status, 429);
      clock.advance(10_000);
      const report = lines.find((line) => line.msg === 'HTTP requests refused');
      assert.ok(report, JSON.stringify(lines.map((line) => line.msg)));
      assert.equal(report['rate-limited'], 1);
      assert.equal(report.pipelining, 1);
      assert.equal(report['slow-reader'], 0);
      lines.length = 0;
      clock.advance(10_000);
      assert.equal(lines.filter((line) => line.msg === 'HTTP requests refused').length, 0, 'nothing new, no line');
    } finally {
      await server.stop();
    }
  });
});
