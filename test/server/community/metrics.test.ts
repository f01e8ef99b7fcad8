import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BLACK, WHITE } from '../../../src/game/position.js';
import { METRICS_LISTENER, parseMetricsAddress } from '../../../src/server/metrics.js';
import { startGame } from '../../support/game-setup.js';
import { httpFetch } from '../../support/http-client.js';
import { legalMoveByte, nextTurn } from '../../support/player.js';
import { RawClient } from '../../support/raw-client.js';
import { getRequest, RawHttp } from '../../support/raw-http.js';
import { startTestServer } from '../../support/test-server.js';
import { waitUntil } from '../../support/wait.js';
import { wsAndTcpPlayers } from '../../support/ws-client.js';

async function scrape(port: number): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(5000) });
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  return response.text();
}

/** The value of one sample line, e.g. `checkers_logins_total{outcome="ok"}`; undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('Prometheus metrics on their own listener', () => {
  it('counts a game played, its logins, moves and commits; separate per server', async () => {
    const server = await startTestServer({ metricsListen: { host: '127.0.0.1', port: 0 } });
    const other = await startTestServer({ metricsListen: { host: '127.0.0.1', port: 0 } });
    try {
      assert.notEqual(server.server.metricsPort, 0);
      const game = await startGame(server);
      const clients = [game.black, game.white] as const;
      game.black.send({ type: 'MakeMove', move: legalMoveByte(game.firstTurn.board, BLACK) });
      for (let turn = 1; turn < 4; turn++) {
        const { index, turn: yourTurn } = await nextTurn(clients);
        clients[index]?.send({ type: 'MakeMove', move: legalMoveByte(yourTurn.board, index === 0 ? BLACK : WHITE) });
      }
      const during = await scrape(server.server.metricsPort);
      assert.equal(sample(during, 'checkers_games_in_progress'), 1);
      // The player to move is in UserMove; the other waits in another protocol state.
      assert.equal(sample(during, 'checkers_connections{transport="tcp",state="UserMove"}'), 1);
      const tcp = during.split('\n').filter((line) => line.startsWith('checkers_connections{transport="tcp"'));
      assert.equal(
        tcp.reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0),
        2,
      );
      await nextTurn(clients);
      game.black.send({ type: 'LogOut' });
      // The referee's forced jumps (CompulsoryMove) may still be on their way to white.
      assert.equal((await game.white.next(['QueuePosition', 'CompulsoryMove', 'YourTurn'])).type, 'OpponentDisconnect');
      const wrong = await RawClient.connect(server.port);
      wrong.send({ type: 'Connect', version: 1, username: game.names[0], password: 'wrong' });
      await wrong.expect('InvalidLogin');
      wrong.close();
      game.close();
      const text = await scrape(server.server.metricsPort);
      assert.equal(sample(text, 'checkers_logins_total{outcome="ok"}'), 2);
      assert.equal(sample(text, 'checkers_logins_total{outcome="wrong-password"}'), 1);
      assert.equal(sample(text, 'checkers_logins_total{outcome="already-logged-in"}'), 0);
      assert.equal(sample(text, 'checkers_games_started_total'), 1);
      assert.equal(sample(text, 'checkers_games_finished_total{termination="logout",winner="white"}'), 1);
      assert.equal(sample(text, 'checkers_games_in_progress'), 0);
      assert.ok((sample(text, 'checkers_move_handling_seconds_count{legal="yes"}') ?? 0) >= 4);
      assert.ok((sample(text, 'checkers_commit_seconds_count') ?? 0) >= 4);
      assert.equal(sample(text, 'checkers_storage_failing'), 0);
      assert.equal(sample(text, 'checkers_connections_refused_total{reason="server-full"}'), 0);
      assert.equal(sample(text, 'checkers_rate_limit_waits_total{limit="login"}'), 0);
      assert.match(text, /^nodejs_eventloop_lag_seconds /m);
      assert.match(text, /^process_cpu_user_seconds_total /m);
      // The other server's registry saw nothing of this game.
      const quiet = await scrape(other.server.metricsPort);
      assert.equal(sample(quiet, 'checkers_games_started_total'), 0);
      // Metrics are not served on the game port.
      const onGamePort = await fetch(`http://127.0.0.1:${server.port}/metrics`, { signal: AbortSignal.timeout(5000) });
      assert.notEqual(onGamePort.status, 200);
      await onGamePort.arrayBuffer();
    } finally {
      await server.stop();
      await other.stop();
    }
  });

  it('answers HEAD with the headers only, other methods 405 with Allow, and holds a bounded number of connections', async () => {
    const server = await startTestServer({ metricsListen: { host: '127.0.0.1', port: 0 } });
    try {
      const port = server.server.metricsPort;
      // One request per connection (a keep-alive pool would hold places of the bound tested below).
      const head = await httpFetch(port, '/metrics', { method: 'HEAD' });
      assert.equal(head.status, 200);
      assert.match(String(head.headers['content-type']), /^text\/plain; version=0\.0\.4/);
      assert.equal(head.body, '');
      const post = await httpFetch(port, '/metrics', { method: 'POST' });
      assert.equal(post.status, 405);
      assert.equal(post.headers.allow, 'GET, HEAD');
      const held = await Promise.all(
        Array.from({ length: METRICS_LISTENER.maxConnections }, () => RawHttp.connect(port)),
      );
      // Each answered once, so the listener holds them all before the one too many arrives.
      for (const connection of held) {
        connection.read();
        connection.send(getRequest('/metrics'));
      }
      await waitUntil(() => held.every((connection) => connection.statuses.length === 1), 'every connection answered');
      const tooMany = await RawHttp.connect(port);
      await tooMany.closedWithin(5000);
      for (const connection of held) connection.destroy();
      await waitUntil(
        async () => (await httpFetch(port, '/metrics').catch(() => undefined))?.status === 200,
        'a scrape after the others left',
      );
    } finally {
      await server.stop();
    }
  });

  it('counts HTTP requests answered 429 and HTTP connections dropped, by reason', async () => {
    const server = await startTestServer({
      metricsListen: { host: '127.0.0.1', port: 0 },
      limits: { httpRequestRatePerAddress: { perSecond: 0.001, burst: 1 } },
    });
    try {
      const before = await scrape(server.server.metricsPort);
      assert.equal(sample(before, 'checkers_http_refused_total{reason="rate-limited"}'), 0);
      const from = { localAddress: '127.0.0.12' };
      assert.equal((await httpFetch(server.port, '/api/leaderboard', from)).status, 200);
      assert.equal((await httpFetch(server.port, '/api/leaderboard', from)).status, 429);
      const piler = await RawHttp.connect(server.port, '127.0.0.13');
      piler.send(getRequest('/api/leaderboard').repeat(20));
      await piler.closedWithin(10_000);
      const text = await scrape(server.server.metricsPort);
      assert.equal(sample(text, 'checkers_http_refused_total{reason="rate-limited"}'), 1);
      assert.equal(sample(text, 'checkers_http_refused_total{reason="pipelining"}'), 1);
      assert.equal(sample(text, 'checkers_http_refused_total{reason="slow-reader"}'), 0);
    } finally {
      await server.stop();
    }
  });

  it('counts connections by transport: a player on /play is a ws connection, one on TCP a tcp one', async () => {
    const server = await startTestServer({ metricsListen: { host: '127.0.0.1', port: 0 } });
    try {
      const { browser, terminal } = await wsAndTcpPlayers(server, 'bytransport');
      const text = await scrape(server.server.metricsPort);
      const count = (transport: string) =>
        text
          .split('\n')
          .filter((line) => line.startsWith(`checkers_connections{transport="${transport}"`))
          .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
      assert.equal(count('ws'), 1);
      assert.equal(count('tcp'), 1);
      browser.socket.close();
      terminal.close();
    } finally {
      await server.stop();
    }
  });

  it('reads --metrics-listen as [ADDRESS:]PORT, loopback without an address', () => {
    assert.deepEqual(parseMetricsAddress('9464'), { host: '127.0.0.1', port: 9464 });
    assert.deepEqual(parseMetricsAddress('0.0.0.0:9464'), { host: '0.0.0.0', port: 9464 });
    assert.deepEqual(parseMetricsAddress('[::1]:9100'), { host: '::1', port: 9100 });
    assert.equal(parseMetricsAddress('70000'), undefined);
    assert.equal(parseMetricsAddress('host:'), undefined);
  });
});
