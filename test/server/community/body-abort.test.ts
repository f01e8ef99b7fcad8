import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { connect, type Socket } from 'node:net';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { ApiRouter } from '../../../src/server/web/api-router.js';
import { TEST_HASH_COST } from '../../support/accounts.js';
import { startTestServer } from '../../support/test-server.js';

interface LogLine {
  level: number;
  msg: string;
  err?: unknown;
  [key: string]: unknown;
}

function capturedLog() {
  const lines: LogLine[] = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line) as LogLine) });
  return { log, lines };
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** The headers of a sign-up that promises 100 bytes of body, and the first few of them. */
const HALF_A_SIGN_UP =
  'POST /api/accounts HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"username":';

describe('a client that goes away in the middle of a request body', () => {
  it('is a debug line without a stack, not an error, and not answered as a 500 (real server)', async (t) => {
    const { log, lines } = capturedLog();
    const server = await startTestServer({
      log,
      community: { registration: 'open', hashCost: TEST_HASH_COST },
    });
    t.after(() => server.stop());
    const socket = await openSocket(server.port);
    const received: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.write(HALF_A_SIGN_UP);
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.destroy();
    await waitFor(
      () => lines.some((line) => line.msg === 'request body not received' || line.level >= 40),
      'a log line',
    );
    assert.deepEqual(
      lines.filter((entry) => entry.level >= 40),
      [],
      'nothing at warn or above',
    );
    const line = lines.find((entry) => entry.msg === 'request body not received');
    assert.equal(line?.level, 20, 'debug');
    assert.equal(line?.path, '/api/accounts');
    assert.equal(line?.err, undefined, 'no error object, so no stack');
    assert.equal(Buffer.concat(received).toString('latin1'), '', 'nothing was answered');
    // The server still answers the next request.
    const response = await fetch(`http://127.0.0.1:${server.port}/api/leaderboard`, {
      signal: AbortSignal.timeout(5000),
    });
    assert.equal(response.status, 200);
  });

  it('a body cut by the request timeout is no server error either (the router behind node HTTP with a short timeout)', async (t) => {
    const { log, lines } = capturedLog();
    const router = new ApiRouter(
      [{ method: 'POST', pattern: '/api/echo', handle: () => ({ status: 200, body: {} }) }],
      log,
    );
    const http = createServer({ requestTimeout: 300, connectionsCheckingInterval: 50 }, (request, response) => {
      void router.handle(request, response, new URL(request.url ?? '/', 'http://x'), '127.0.0.1', false);
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    t.after(() => http.close());
    const address = http.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const socket = await openSocket(port);
    socket.on('data', () => {});
    socket.on('error', () => {});
    t.after(() => socket.destroy());
    socket.write(HALF_A_SIGN_UP.replace('/api/accounts', '/api/echo'));
    await waitFor(
      () => lines.some((line) => line.msg === 'request body not received' || line.level >= 40),
      'a log line',
    );
    assert.deepEqual(
      lines.filter((entry) => entry.level >= 40),
      [],
      'nothing at warn or above',
    );
    assert.ok(lines.some((line) => line.msg === 'request body not received'));
  });
});
