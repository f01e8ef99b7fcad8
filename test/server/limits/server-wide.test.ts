import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { connect as connectTls } from 'node:tls';
import { encodeMessage } from '../../../src/protocol/index.js';
import { addPlayers, TEST_PASSWORD } from '../../support/accounts.js';
import { startGame } from '../../support/game-setup.js';
import { RawClient } from '../../support/raw-client.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { waitUntil } from '../../support/wait.js';

/** Opens a TLS connection from `localAddress`: 'ok' once the handshake is done, 'refused' if the server closes first. */
function tlsHandshake(port: number, localAddress: string): Promise<'ok' | 'refused'> {
  return new Promise((resolve) => {
    const tcp = connect({ host: '127.0.0.1', port, localAddress });
    tcp.on('error', () => {});
    const socket = connectTls({ socket: tcp, rejectUnauthorized: false });
    const timer = setTimeout(() => socket.destroy(), 15_000);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      socket.destroy();
      tcp.destroy();
      resolve('ok');
    });
    socket.once('error', () => {});
    socket.once('close', () => {
      clearTimeout(timer);
      tcp.destroy();
      resolve('refused');
    });
  });
}

describe('the server-wide connection limit (--max-connections)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ limits: { maxConnections: 3 } });
  });
  after(() => server.stop());

  it('refuses a connection past the limit whatever its address; a place freed is taken again', async () => {
    const kept = await Promise.all(
      ['127.0.5.1', '127.0.5.2', '127.0.5.3'].map((address) => RawClient.connect(server.port, '127.0.0.1', address)),
    );
    await waitUntil(() => server.server.addresses.connections === 3, 'three connections counted');
    const refused = await RawClient.connect(server.port, '127.0.0.1', '127.0.5.4');
    await refused.closedWithin(15_000);
    assert.deepEqual(refused.pending(), []);
    assert.ok(server.server.refused['server-full'] >= 1);
    kept[0]?.close();
    await waitUntil(() => server.server.addresses.connections === 2, 'the place freed');
    const [name = ''] = await addPlayers(server.store, 'wide', 1);
    const later = await RawClient.connect(server.port, '127.0.0.1', '127.0.5.4');
    assert.equal((await later.login(name, TEST_PASSWORD)).type, 'QueuePosition');
    for (const client of [...kept, later]) client.close();
  });
});

describe('the connection rate of one address (--connection-rate)', () => {
  let server: TestServer;
  before(async () => {
    // A burst of 2 and next to no refill: the third connection is over the rate however slow the machine.
    server = await startTestServer({ limits: { connectionRatePerAddress: { perSecond: 0.001, burst: 2 } } });
  });
  after(() => server.stop());

  it('closes connections past the burst at once; another address is not affected', async () => {
    const first = await RawClient.connect(server.port, '127.0.0.1', '127.0.6.1');
    const second = await RawClient.connect(server.port, '127.0.0.1', '127.0.6.1');
    const third = await RawClient.connect(server.port, '127.0.0.1', '127.0.6.1');
    await third.closedWithin(15_000);
    assert.ok(server.server.refused['connection-rate'] >= 1);
    assert.equal(first.isClosed || second.isClosed, false, 'the first two are kept');
    const [name = ''] = await addPlayers(server.store, 'rate', 1);
    const other = await RawClient.connect(server.port, '127.0.0.1', '127.0.6.2');
    assert.equal((await other.login(name, TEST_PASSWORD)).type, 'QueuePosition');
    for (const client of [first, second, other]) client.close();
  });
});

describe('the TLS handshake rate of one address (--tls-handshake-rate)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({
      tls: true,
      limits: { tlsHandshakeRatePerAddress: { perSecond: 0.001, burst: 1 } },
    });
  });
  after(() => server.stop());

  it('refuses a handshake past the burst; another address still completes its handshake', async () => {
    assert.equal(await tlsHandshake(server.port, '127.0.7.1'), 'ok');
    assert.equal(await tlsHandshake(server.port, '127.0.7.1'), 'refused');
    assert.ok(server.server.refused['tls-rate'] >= 1);
    assert.equal(await tlsHandshake(server.port, '127.0.7.2'), 'ok');
  });
});

describe('a player who keeps exceeding the message rate in a game', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({
      limits: { messageRate: { perSecond: 1, burst: 2 }, throttleLimitMs: 300 },
    });
  });
  after(() => server.stop());

  it('is closed, and the game is forfeited at once and recorded, rated', async () => {
    const { black, white, names } = await startGame(server);
    // Illegal moves cost a token each (a legal move is free): a hundred in one write.
    const illegal = encodeMessage({ type: 'MakeMove', move: 0xe4 });
    black.sendBytes(Buffer.concat(Array.from({ length: 100 }, () => illegal)));
    await black.closedWithin(15_000);
    await white.expect('OpponentDisconnect');
    await waitUntil(
      async () => (await server.store.listGames()).at(-1)?.black.name === names[0],
      'the forfeit recorded',
    );
    const game = (await server.store.listGames()).at(-1);
    assert.equal(game?.winner, 'white');
    assert.equal(game?.termination, 'protocol-error');
    assert.ok((game?.black.ratingAfter ?? 1200) < (game?.black.ratingBefore ?? 1200), 'rated: the flooder lost points');
    assert.equal((await server.store.loadLiveGames()).length, 0, 'no game left waiting for the flooder');
    white.close();
  });
});
