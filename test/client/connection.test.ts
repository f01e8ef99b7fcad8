import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ProtocolConnection, ProtocolUsageError } from '../../src/client/connection.js';
import { toWireBoard } from '../../src/common/wire.js';
import { INITIAL_POSITION } from '../../src/game/position.js';
import { encodeMessage, type Message, StreamDecoder } from '../../src/protocol/index.js';
import { waitUntil } from '../support/wait.js';

/** A scripted fake server: the test writes bytes to the accepted socket and reads what the client sent. */
class FakePeer {
  readonly server: Server;
  #sockets: Socket[] = [];
  #waiting: ((socket: Socket) => void) | undefined;

  constructor() {
    this.server = createServer((socket) => {
      this.#sockets.push(socket);
      this.#waiting?.(socket);
    });
  }

  async start(): Promise<number> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    const address = this.server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  accepted(): Promise<Socket> {
    const socket = this.#sockets.shift();
    if (socket) return Promise.resolve(socket);
    return new Promise((resolve) => {
      this.#waiting = (next) => {
        this.#sockets.shift();
        resolve(next);
      };
    });
  }
}

function bytes(...messages: Message[]): Buffer {
  return Buffer.concat(messages.map((message) => Buffer.from(encodeMessage(message))));
}

/** Collects every event the connection emits, in order. */
function record(connection: ProtocolConnection): string[] {
  const events: string[] = [];
  for (const name of [
    'queuePosition',
    'gameStart',
    'yourTurn',
    'compulsoryMove',
    'invalidMove',
    'gameOver',
    'opponentDisconnect',
    'invalidLogin',
    'invalidVersion',
    'disconnected',
  ] as const) {
    connection.on(name, (...args: unknown[]) =>
      events.push(`${name}${args.length ? ` ${JSON.stringify(args[0], (_k, v) => (v?.cells ? 'board' : v))}` : ''}`),
    );
  }
  return events;
}

function nextMessage(socket: Socket, decoder = new StreamDecoder()): Promise<Message> {
  return new Promise((resolve) => {
    const onData = (chunk: Buffer) => {
      decoder.push(chunk);
      const result = decoder.next();
      if (result.kind === 'message') {
        socket.off('data', onData);
        resolve(result.message);
      }
    };
    socket.on('data', onData);
  });
}

const board = toWireBoard(INITIAL_POSITION, 0);
/** Time for anything more to arrive, before checking that nothing did. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));
/** Waits until `count` events were recorded. */
const eventCount = (events: readonly string[], count: number) =>
  waitUntil(() => events.length >= count, `${count} events recorded`);

describe('ProtocolConnection against a scripted peer', () => {
  const peer = new FakePeer();
  let port = 0;
  before(async () => {
    port = await peer.start();
  });
  after(() => peer.server.close());

  it('emits every event of a whole game, with merged and split reads', async () => {
    const connection = await ProtocolConnection.connect('127.0.0.1', port);
    const events = record(connection);
    const socket = await peer.accepted();
    connection.login('cam', 'mac');
    assert.deepEqual(await nextMessage(socket), { type: 'Connect', version: 1, username: 'cam', password: 'mac' });
    socket.write(bytes({ type: 'InvalidLogin', reason: 1 }));
    await eventCount(events, 1);
    connection.login('cam', 'mac');
    await nextMessage(socket);
    // Merged: three messages in one write.
    socket.write(
      bytes(
        { type: 'QueuePosition', queueSize: 2, position: 1, rating: 1200 },
        { type: 'GameStart', opponent: 'jen', opponentRating: 1210 },
        { type: 'YourTurn', lastMove: 0, board },
      ),
    );
    await eventCount(events, 4);
    assert.equal(connection.state, 'UserMove');
    connection.move(0x36);
    assert.deepEqual(await nextMessage(socket), { type: 'MakeMove', move: 0x36 });
    socket.write(bytes({ type: 'InvalidMove', move: 0x36, board }));
    await eventCount(events, 5);
    connection.move(0x36);
    await nextMessage(socket);
    // Split: one byte at a time.
    const split = bytes(
      { type: 'CompulsoryMove', move: 0x36, board },
      { type: 'GameOver', won: true, newRating: 1210, oldRating: 1200, lastMove: 0x36, board },
    );
    for (const byte of split) {
      socket.write(Uint8Array.of(byte));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await eventCount(events, 7);
    assert.equal(connection.state, 'GameEnd');
    connection.requeue();
    await nextMessage(socket);
    socket.write(
      bytes(
        { type: 'QueuePosition', queueSize: 1, position: 1, rating: 1210 },
        { type: 'GameStart', opponent: 'kain', opponentRating: 1190 },
      ),
    );
    await eventCount(events, 9);
    socket.write(bytes({ type: 'OpponentDisconnect' }));
    await eventCount(events, 10);
    connection.logout();
    await nextMessage(socket);
    socket.write(bytes({ type: 'InvalidVersion', highest: 1, lowest: 1 }));
    await eventCount(events, 11);
    assert.deepEqual(
      events.map((event) => event.split(' ')[0]),
      [
        'invalidLogin',
        'queuePosition',
        'gameStart',
        'yourTurn',
        'invalidMove',
        'compulsoryMove',
        'gameOver',
        'queuePosition',
        'gameStart',
        'opponentDisconnect',
        'disconnected',
      ],
    );
    assert.match(
      events.at(-1) ?? '',
      /the server broke the protocol: InvalidVersion is not allowed in state Unauthenticated/,
    );
    assert.match(events[6] ?? '', /"won":true,"newRating":1210,"oldRating":1200/);
  });

  it('closes with a clear reason when the server breaks the state machine', async () => {
    const connection = await ProtocolConnection.connect('127.0.0.1', port);
    const socket = await peer.accepted();
    const closed = once(connection, 'disconnected');
    socket.write(bytes({ type: 'GameStart', opponent: 'x', opponentRating: 1 }));
    const [info] = (await closed) as [{ reason: string; protocolError: boolean }];
    assert.equal(info.protocolError, true);
    assert.match(info.reason, /the server broke the protocol: GameStart is not allowed in state Unauthenticated/);
    await once(socket, 'close');
  });

  it('closes on a message type the server may not send, and on an unknown type', async () => {
    for (const raw of [encodeMessage({ type: 'LogOut' }), Uint8Array.of(0x42)]) {
      const connection = await ProtocolConnection.connect('127.0.0.1', port);
      const socket = await peer.accepted();
      const closed = once(connection, 'disconnected');
      socket.write(raw);
      const [info] = (await closed) as [{ reason: string; protocolError: boolean }];
      assert.equal(info.protocolError, true);
      assert.match(info.reason, /never sent by the server|unknown message type 0x42/);
    }
  });

  it('closes when the server leaves a message incomplete for a second', async () => {
    const connection = await ProtocolConnection.connect('127.0.0.1', port);
    const socket = await peer.accepted();
    connection.login('cam', 'mac');
    await nextMessage(socket);
    const sent = Date.now();
    socket.write(encodeMessage({ type: 'QueuePosition', queueSize: 1, position: 1, rating: 1 }).subarray(0, 4));
    const [info] = (await once(connection, 'disconnected')) as [{ reason: string }];
    const waited = Date.now() - sent;
    assert.match(info.reason, /incomplete/);
    assert.ok(waited >= 900, `closed after ${waited} ms, before the second was up`);
  });

  it('refuses commands the state does not allow, before anything is sent', async () => {
    const connection = await ProtocolConnection.connect('127.0.0.1', port);
    await peer.accepted();
    assert.throws(() => connection.move(0x36), ProtocolUsageError);
    assert.throws(() => connection.requeue(), ProtocolUsageError);
    assert.equal(connection.canSend('Connect'), true);
    assert.equal(connection.canSend('LogOut'), false);
    connection.close();
  });

  it('drops messages already in flight when it logged out, instead of calling them errors', async () => {
    const connection = await ProtocolConnection.connect('127.0.0.1', port);
    const events = record(connection);
    const socket = await peer.accepted();
    connection.login('cam', 'mac');
    await nextMessage(socket);
    socket.write(bytes({ type: 'QueuePosition', queueSize: 1, position: 1, rating: 1 }));
    await eventCount(events, 1);
    connection.logout();
    socket.write(
      bytes(
        { type: 'QueuePosition', queueSize: 1, position: 1, rating: 1 },
        { type: 'GameStart', opponent: 'j', opponentRating: 1 },
      ),
    );
    await settle();
    assert.equal(connection.ended, false);
    assert.deepEqual(events, ['queuePosition {"type":"QueuePosition","queueSize":1,"position":1,"rating":1}']);
    connection.close();
  });

  it('while paused, holds what arrives (and the end of the connection) and delivers it in order on resume', async () => {
    const connection = await ProtocolConnection.connect('127.0.0.1', port);
    const events = record(connection);
    const socket = await peer.accepted();
    connection.login('cam', 'mac');
    await nextMessage(socket);
    connection.once('queuePosition', () => connection.pause());
    socket.end(
      bytes(
        { type: 'QueuePosition', queueSize: 1, position: 1, rating: 1200 },
        { type: 'GameStart', opponent: 'jen', opponentRating: 1210 },
        { type: 'YourTurn', lastMove: 0, board },
      ),
    );
    await eventCount(events, 1);
    await settle();
    assert.deepEqual(
      events.map((event) => event.split(' ')[0]),
      ['queuePosition'],
    );
    connection.resume();
    assert.deepEqual(
      events.map((event) => event.split(' ')[0]),
      ['queuePosition', 'gameStart', 'yourTurn', 'disconnected'],
    );
    assert.match(events.at(-1) ?? '', /"cleanCloseWhileLoggedIn":true/);
  });

  it('reports a server that closes the connection', async () => {
    const connection = await ProtocolConnection.connect('127.0.0.1', port);
    const socket = await peer.accepted();
    socket.destroy();
    const [info] = (await once(connection, 'disconnected')) as [{ reason: string; byServer: boolean }];
    assert.equal(info.byServer, true);
    assert.match(info.reason, /the server closed the connection/);
  });

  it('explains a refused connection', async () => {
    const idle = createServer();
    idle.listen(0, '127.0.0.1');
    await once(idle, 'listening');
    const address = idle.address();
    const closedPort = typeof address === 'object' && address ? address.port : 0;
    idle.close();
    await once(idle, 'close');
    await assert.rejects(
      ProtocolConnection.connect('127.0.0.1', closedPort),
      /nothing is listening on 127\.0\.0\.1 port \d+; is the server running\?/,
    );
  });
});
