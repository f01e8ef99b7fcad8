import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { toWireBoard } from '../../../src/common/wire.js';
import { BLACK, INITIAL_POSITION, WHITE } from '../../../src/game/position.js';
import type { Message } from '../../../src/protocol/index.js';
import { addPlayers, TEST_PASSWORD } from '../../support/accounts.js';
import { repeated, SLOW_READER_SERVER } from '../../support/floods.js';
import { startGame } from '../../support/game-setup.js';
import { legalMoveByte, playGame } from '../../support/player.js';
import { seededRandom } from '../../support/random.js';
import { RawClient } from '../../support/raw-client.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

describe('honest play at full speed is never held back', () => {
  let server: TestServer;
  // Any throttling at all would close the connection at once.
  before(async () => {
    server = await startTestServer({ limits: { throttleLimitMs: 0 } });
  });
  after(() => server.stop());

  it('two instant bots play two games in a row on the default rate limits', async () => {
    const [first = '', second = ''] = await addPlayers(server.store, 'fast', 2);
    const a = await RawClient.connect(server.port);
    const b = await RawClient.connect(server.port);
    await a.login(first, TEST_PASSWORD);
    await b.login(second, TEST_PASSWORD);
    for (let game = 0; game < 2; game++) {
      const [resultA, resultB] = await Promise.all([
        playGame(a, seededRandom(game + 1), 20_000),
        playGame(b, seededRandom(game + 7), 20_000),
      ]);
      assert.ok(resultA.gameOver && resultB.gameOver, 'each game ends normally');
      a.send({ type: 'ReQueue' });
      b.send({ type: 'ReQueue' });
    }
    assert.equal(a.isClosed || b.isClosed, false);
    a.close();
    b.close();
  });
});

describe('a flood in one write', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ limits: { throttleLimitMs: 1500 } });
  });
  after(() => server.stop());

  it('a million Connect/LogOut messages are slowed, then closed, while another game goes on', async () => {
    const [flooder = ''] = await addPlayers(server.store, 'flooder', 1);
    const attacker = await RawClient.connect(server.port, '127.0.0.1', '127.0.2.1');
    attacker.socket.pause();
    const chain: Message[] = [
      { type: 'Connect', version: 1, username: flooder, password: TEST_PASSWORD },
      { type: 'LogOut' },
    ];
    attacker.sendBytes(repeated(chain, 500_000));
    const { black, white } = await startGame(server);
    black.send({ type: 'MakeMove', move: legalMoveByte(toWireBoard(INITIAL_POSITION, BLACK), BLACK) });
    const game = Promise.all([
      playGame(black, seededRandom(3), 20_000, BLACK),
      playGame(white, seededRandom(4), 20_000, WHITE),
    ]);
    await attacker.closedWithin(10_000);
    const [blackResult, whiteResult] = await game;
    assert.ok(blackResult.gameOver && whiteResult.gameOver);
    assert.ok(server.server.addresses.connections <= 2);
    black.close();
    white.close();
  });

  it('a wrong-password flood gets a few answers, then the connection is closed', async () => {
    const [victim = ''] = await addPlayers(server.store, 'victim', 1);
    const attacker = await RawClient.connect(server.port, '127.0.0.1', '127.0.2.2');
    attacker.sendBytes(repeated([{ type: 'Connect', version: 1, username: victim, password: 'guess' }], 10_000));
    await attacker.closedWithin(10_000);
    const answers = attacker.pending().filter((message) => message.type === 'InvalidLogin').length;
    // The connection's login burst (5) and what 1.5 s of throttling lets through at 0.5 a second.
    assert.ok(answers >= 5 && answers <= 8, `${answers} InvalidLogin answers`);
    const honest = await RawClient.connect(server.port, '127.0.0.1', '127.0.2.3');
    const [name = ''] = await addPlayers(server.store, 'after', 1);
    await honest.login(name, TEST_PASSWORD);
    honest.close();
  });
});

describe('connection limits', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ limits: { maxConnectionsPerAddress: 2, loginTimeoutMs: 300 } });
  });
  after(() => server.stop());

  it('a third connection from one address is closed at once; another address still gets in', async () => {
    const kept = [
      await RawClient.connect(server.port, '127.0.0.1', '127.0.3.1'),
      await RawClient.connect(server.port, '127.0.0.1', '127.0.3.1'),
    ];
    const refused = await RawClient.connect(server.port, '127.0.0.1', '127.0.3.1');
    await refused.closedWithin(2000);
    assert.equal(refused.pending().length, 0);
    const [name = ''] = await addPlayers(server.store, 'other', 1);
    const other = await RawClient.connect(server.port, '127.0.0.1', '127.0.3.2');
    await other.login(name, TEST_PASSWORD);
    assert.ok(server.server.refused['address-full'] >= 1);
    for (const client of [...kept, other]) client.close();
  });

  it('a connection that never logs in is closed after the login timeout; a logged-in one stays', async () => {
    const [name = ''] = await addPlayers(server.store, 'patient', 1);
    const idle = await RawClient.connect(server.port, '127.0.0.1', '127.0.3.3');
    const player = await RawClient.connect(server.port, '127.0.0.1', '127.0.3.4');
    await player.login(name, TEST_PASSWORD);
    await idle.closedWithin(3000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(player.isClosed, false);
    player.send({ type: 'LogOut' });
    await player.closedWithin(3000);
  });
});

describe('a client that does not read', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(SLOW_READER_SERVER);
  });
  after(() => server.stop());

  it('is closed once its unread output passes the bound, and its opponent wins', async () => {
    const { black, white } = await startGame(server);
    black.socket.pause();
    // Illegal moves (square 1 stepping off the board) each earn an InvalidMove with a board.
    black.sendBytes(repeated([{ type: 'MakeMove', move: 0 }], 1_500_000));
    await white.expect('OpponentDisconnect', 15_000);
    black.socket.resume();
    await black.closedWithin(15_000);
    white.close();
  });
});
