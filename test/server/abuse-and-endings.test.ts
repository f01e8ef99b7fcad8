import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { toWireBoard } from '../../src/common/wire.js';
import { INITIAL_POSITION } from '../../src/game/position.js';
import { encodeMessage, type Message } from '../../src/protocol/index.js';
import { addPlayers, TEST_PASSWORD } from '../support/accounts.js';
import { assertBystandersUntouched, startGame } from '../support/game-setup.js';
import { legalMoveByte, playGame } from '../support/player.js';
import { seededRandom } from '../support/random.js';
import { RawClient } from '../support/raw-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const CONNECT: Message = { type: 'Connect', version: 1, username: 'x', password: 'y' };
const MOVE: Message = { type: 'MakeMove', move: 0x36 };
const REQUEUE: Message = { type: 'ReQueue' };
const LOGOUT: Message = { type: 'LogOut' };

async function assertClosedBy(client: RawClient, message: Message | Uint8Array): Promise<void> {
  if (message instanceof Uint8Array) client.sendBytes(message);
  else client.send(message);
  await client.closedWithin(10_000);
}

async function lastGame(server: TestServer) {
  return (await server.store.listGames()).at(-1);
}

describe('protocol errors close only the offending connection', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.stop());

  for (const message of [MOVE, REQUEUE, LOGOUT]) {
    it(`${message.type} before logging in closes the connection`, async () => {
      await assertClosedBy(await RawClient.connect(server.port), message);
    });
  }

  for (const message of [CONNECT, MOVE, REQUEUE]) {
    it(`${message.type} while in the queue closes the connection`, async () => {
      const [name = ''] = await addPlayers(server.store, `q${message.type}`, 1);
      const client = await RawClient.connect(server.port);
      await client.login(name, TEST_PASSWORD);
      await assertClosedBy(client, message);
    });
  }

  for (const message of [CONNECT, MOVE, REQUEUE]) {
    it(`${message.type} while the opponent is to move closes it, and the opponent wins by forfeit`, async () => {
      const { black, white, names } = await startGame(server);
      await assertClosedBy(white, message);
      await black.expect('OpponentDisconnect');
      const game = await lastGame(server);
      assert.equal(game?.white.name, names[1]);
      assert.equal(game?.winner, 'black');
      assert.equal(game?.termination, 'protocol-error');
      black.close();
    });
  }

  for (const message of [CONNECT, REQUEUE]) {
    it(`${message.type} on your own turn closes the connection`, async () => {
      const { black, white } = await startGame(server);
      await assertClosedBy(black, message);
      await white.expect('OpponentDisconnect');
      white.close();
    });
  }

  it('MakeMove after the game is over is ignored', async () => {
    const { black, white } = await startGame(server);
    black.send(LOGOUT);
    await white.expect('OpponentDisconnect');
    white.send(MOVE);
    white.send(REQUEUE);
    assert.equal((await white.next()).type, 'QueuePosition', 'the connection survived the MakeMove');
    black.close();
    white.close();
  });

  it('Connect after the game is over closes the connection', async () => {
    const { black, white } = await startGame(server);
    black.send(LOGOUT);
    await white.expect('OpponentDisconnect');
    await assertClosedBy(white, CONNECT);
    black.close();
  });

  it('a message type only the server sends closes the connection', async () => {
    const client = await RawClient.connect(server.port);
    await assertClosedBy(client, { type: 'YourTurn', lastMove: 0, board: toWireBoard(INITIAL_POSITION, 0) });
  });

  for (const byte of [0x00, 0x0e, 0x16, 0xff]) {
    it(`unknown type 0x${byte.toString(16)} closes the connection`, async () => {
      await assertClosedBy(await RawClient.connect(server.port), Uint8Array.of(byte));
    });
  }

  it('a half message is closed after about a second', async () => {
    const client = await RawClient.connect(server.port);
    const sent = Date.now();
    client.sendBytes(encodeMessage(CONNECT).subarray(0, 5));
    const closedAt = await client.closedWithin(15_000);
    const waited = closedAt - sent;
    // Only the lower bound: under load the close may come late, and a late close is no fault.
    assert.ok(waited >= 900, `closed after ${waited} ms, before the second was up`);
  });

  it('a message split over several writes is fine', async () => {
    const client = await RawClient.connect(server.port);
    const bytes = encodeMessage({ type: 'Connect', version: 1, username: 'andrei', password: 'ierdna' });
    for (const part of [bytes.subarray(0, 3), bytes.subarray(3, 20), bytes.subarray(20)]) {
      client.sendBytes(part);
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    assert.equal((await client.next()).type, 'QueuePosition');
    client.close();
  });

  it('other players are untouched by someone else’s protocol error', async () => {
    await assertBystandersUntouched(server, async () => {
      const intruder = await RawClient.connect(server.port);
      await assertClosedBy(intruder, Uint8Array.of(0xff));
    });
  });
});

describe('how games end', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.stop());

  it('an illegal move is answered with InvalidMove and the current board; the player moves again', async () => {
    const { black, white } = await startGame(server);
    const start = toWireBoard(INITIAL_POSITION, 0);
    for (const move of [0x56, 0x37, 0xe4]) {
      black.send({ type: 'MakeMove', move });
      assert.deepEqual(await black.next(), { type: 'InvalidMove', move, board: start });
    }
    black.send({ type: 'MakeMove', move: 0x36 });
    assert.equal((await white.expect('YourTurn')).lastMove, 0x36);
    black.close();
    white.close();
  });

  it('LogOut mid-game: the opponent gets OpponentDisconnect, a forfeit is recorded, the leaver stays connected', async () => {
    const { black, white, names } = await startGame(server);
    black.send(LOGOUT);
    await white.expect('OpponentDisconnect');
    const game = await lastGame(server);
    assert.equal(game?.black.name, names[0]);
    assert.equal(game?.winner, 'white');
    assert.equal(game?.termination, 'logout');
    assert.ok((game?.black.ratingAfter ?? 0) < (game?.black.ratingBefore ?? 0));
    assert.ok((game?.white.ratingAfter ?? 0) > (game?.white.ratingBefore ?? 0));
    assert.equal((await black.login(names[0], TEST_PASSWORD)).type, 'QueuePosition');
    black.close();
    white.close();
  });

  it('100 players at once are all matched and all finish their games', async () => {
    const names = await addPlayers(server.store, 'crowd', 100);
    // From 50 loopback addresses, as 100 players on a LAN would come, not all through one address's limits.
    const clients = await Promise.all(
      names.map((_, i) => RawClient.connect(server.port, '127.0.0.1', `127.0.1.${(i % 50) + 1}`)),
    );
    const gamesBefore = (await server.store.listGames()).length;
    // Generous bounds: they catch a hang, not a slow machine (2 cores running 100 players).
    for (const [i, client] of clients.entries()) {
      client.send({ type: 'Connect', version: 1, username: names[i] ?? '', password: TEST_PASSWORD });
    }
    await Promise.all(clients.map((client) => client.expect('QueuePosition', 60_000)));
    const results = await Promise.all(clients.map((client, i) => playGame(client, seededRandom(i + 1), 60_000)));
    assert.ok(results.every((result) => result.gameOver !== undefined));
    assert.equal((await server.store.listGames()).length - gamesBefore, 50);
    for (const client of clients) client.close();
  });
});

describe('the move clock', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ timing: { moveTimeoutMs: 1000 } });
  });
  after(() => server.stop());

  it('a player who does not move in time loses, with GameOver to both', async () => {
    const { black, white } = await startGame(server);
    black.send({ type: 'MakeMove', move: legalMoveByte(toWireBoard(INITIAL_POSITION, 0), 0) });
    const turn = await white.expect('YourTurn');
    const [whiteOver, blackOver] = await Promise.all([
      white.expect('GameOver', 15_000),
      black.expect('GameOver', 15_000),
    ]);
    assert.equal(whiteOver.won, false);
    assert.equal(blackOver.won, true);
    assert.deepEqual(whiteOver.board, turn.board);
    assert.ok(blackOver.newRating > blackOver.oldRating);
    assert.equal((await lastGame(server))?.termination, 'move-clock');
    assert.equal((await lastGame(server))?.winner, 'black');
    black.close();
    white.close();
  });
});
