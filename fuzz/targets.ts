import assert from 'node:assert/strict';
import { encodeMessage, MESSAGE_TABLE, type Message, StreamDecoder, WireBoard } from '../src/protocol/index.js';
import type { FuzzTarget } from './engine.js';
import { pdnTarget } from './pdn-target.js';
import {
  BYSTANDER_ACCOUNTS,
  FUZZ_ACCOUNTS,
  type MemoryConnection,
  NO_RATE_LIMITS,
  SessionHarness,
} from './session-harness.js';

const LARGEST_MESSAGE = Math.max(...MESSAGE_TABLE.map((definition) => definition.size));
const CODES = new Map<string, number>(MESSAGE_TABLE.map((definition) => [definition.name, definition.code]));
const codeOf = (name: string) => CODES.get(name);
const SIZES = new Map<string, number>(MESSAGE_TABLE.map((definition) => [definition.name, definition.size]));
const sizeOf = (name: string) => SIZES.get(name);

/** The decoder reads any byte in a name; the encoder writes only ASCII without NUL (what a sender may send). */
function isEncodable(message: Message): boolean {
  return Object.values(message).every(
    (value) =>
      typeof value !== 'string' || [...value].every((char) => char.charCodeAt(0) >= 1 && char.charCodeAt(0) <= 0x7f),
  );
}
const SERVER_TO_CLIENT = new Set<string>(
  MESSAGE_TABLE.filter((definition) => definition.direction === 'toClient').map((definition) => definition.name),
);

/** One valid example of every message, and logins that work on the session harness. */
function sampleMessages(): Message[] {
  const board = new WireBoard(new Uint8Array(64));
  const [username, password] = FUZZ_ACCOUNTS[0];
  return [
    { type: 'Connect', version: 1, username, password },
    { type: 'Connect', version: 1, username: FUZZ_ACCOUNTS[1][0], password: FUZZ_ACCOUNTS[1][1] },
    { type: 'InvalidLogin', reason: 1 },
    { type: 'InvalidVersion', highest: 1, lowest: 1 },
    { type: 'QueuePosition', queueSize: 2, position: 1, rating: 1200 },
    { type: 'GameStart', opponent: 'cam', opponentRating: 1200 },
    { type: 'YourTurn', lastMove: 0xff, board },
    { type: 'MakeMove', move: 0x29 },
    { type: 'CompulsoryMove', move: 0x29, board },
    { type: 'InvalidMove', move: 0x29, board },
    { type: 'GameOver', won: true, newRating: 1216, oldRating: 1200, lastMove: 0x29, board },
    { type: 'OpponentDisconnect' },
    { type: 'ReQueue' },
    { type: 'LogOut' },
  ] as Message[];
}

const dictionary = () => sampleMessages().map((message) => encodeMessage(message));

/** Chunk sizes for feeding an input: its first byte picks a pattern, the rest is the stream. */
function pieces(input: Uint8Array): Uint8Array[] {
  const pattern = input[0] ?? 0;
  const stream = input.subarray(1);
  const out: Uint8Array[] = [];
  for (let at = 0, i = 0; at < stream.length; i++) {
    const size = 1 + ((pattern >> (i % 8)) & 1 ? pattern % 7 : 40);
    out.push(stream.subarray(at, at + size));
    at += size;
  }
  return out;
}

/**
 * The stream decoder: whatever the bytes and however they are cut, it must
 * never throw, must give back exactly the messages the bytes encode, must
 * point at the right byte for an unknown type, and must hold less than one
 * message.
 */
export const decoderTarget: FuzzTarget = {
  name: 'decoder',
  seeds: () => [new Uint8Array([0, ...dictionary().flatMap((bytes) => [...bytes])])],
  dictionary,
  run(input) {
    const decoder = new StreamDecoder();
    const stream = input.subarray(1);
    let consumed = 0;
    for (const piece of pieces(input)) {
      decoder.push(piece);
      for (;;) {
        const result = decoder.next();
        if (result.kind === 'message') {
          const { message } = result;
          assert.equal(stream[consumed], codeOf(message.type), 'a message starts at its type byte');
          if (isEncodable(message)) {
            const again = new StreamDecoder();
            again.push(encodeMessage(message));
            const redecoded = again.next();
            assert.ok(redecoded.kind === 'message', 're-encoding decodes');
            assert.deepEqual(redecoded.message, message, 'decoding is stable under re-encoding');
          }
          consumed += sizeOf(message.type) ?? 0;
          continue;
        }
        if (result.kind === 'error') {
          assert.equal(result.error.streamOffset, consumed, 'the error points at the byte after the last message');
          assert.equal(result.error.byte, stream[consumed]);
          return;
        }
        assert.ok(result.buffered < LARGEST_MESSAGE, `holds ${result.buffered} bytes`);
        break;
      }
    }
    const received = pieces(input).reduce((sum, piece) => sum + piece.length, 0);
    assert.ok(received - consumed < LARGEST_MESSAGE, 'every whole message was given back');
  },
};

let harness: Promise<SessionHarness> | undefined;

function serverMessages(connection: MemoryConnection): Message[] {
  const decoder = new StreamDecoder();
  decoder.push(connection.output());
  const messages: Message[] = [];
  for (;;) {
    const result = decoder.next();
    if (result.kind === 'error') throw new Error(`server wrote an unknown message type ${result.error.byte}`);
    if (result.kind === 'incomplete') {
      assert.equal(result.buffered, 0, 'server output ends in a partial message');
      return messages;
    }
    assert.ok(SERVER_TO_CLIENT.has(result.message.type), `server sent ${result.message.type}`);
    messages.push(result.message);
  }
}

/**
 * The whole server side of a connection (session, state machine, game
 * service, SQLite) fed one client's bytes, beside two bystanders in a game:
 * no error may be logged (the server never tries to break the protocol), its
 * output must be whole server-to-client messages, and the bystanders must see
 * nothing.
 */
export const sessionTarget: FuzzTarget = {
  name: 'session',
  seeds: () => {
    const [username, password] = FUZZ_ACCOUNTS[0];
    const login = encodeMessage({ type: 'Connect', version: 1, username, password });
    return [
      new Uint8Array([0, ...login, ...encodeMessage({ type: 'LogOut' })]),
      new Uint8Array([0, ...login]),
      new Uint8Array([0, ...login, ...encodeMessage({ type: 'MakeMove', move: 0x29 })]),
    ];
  },
  dictionary,
  async run(input) {
    harness ??= SessionHarness.create(NO_RATE_LIMITS);
    const rig = await harness;
    const bystanders = BYSTANDER_ACCOUNTS.map(([username, password], i) => {
      const connection = rig.connect(`127.9.9.${i + 1}`);
      connection.send(encodeMessage({ type: 'Connect', version: 1, username, password }));
      return connection;
    });
    const fuzzed: MemoryConnection[] = [];
    try {
      const inGame = () =>
        bystanders.every((connection) => ['Processing', 'UserMove'].includes(connection.session.machine.state));
      await rig.until(() => bystanders.every((connection) => connection.session.machine.state !== 'Unauthenticated'));
      rig.matchmake();
      await rig.until(inGame);
      // The state machine moves when a message is sent; the bytes follow at the turn's commit.
      await rig.settle(1);
      const states = bystanders.map((connection) => connection.session.machine.state).sort();
      assert.deepEqual(states, ['Processing', 'UserMove'], 'the bystanders are in a game');
      const before = bystanders.map((connection) => serverMessages(connection).length);
      fuzzed.push(rig.connect('127.8.0.1'), rig.connect('127.8.0.2'));
      // Both fuzzed connections get the same stream, so they can meet in a game.
      for (const piece of pieces(input)) {
        for (const connection of fuzzed) connection.send(piece);
        await rig.settle(1);
        rig.matchmake();
      }
      await rig.settle(2);
      assert.deepEqual(rig.errors, [], 'the server logged an error');
      for (const connection of fuzzed) serverMessages(connection);
      bystanders.forEach((connection, i) => {
        assert.equal(connection.closedBecause(), undefined, 'a bystander was closed');
        assert.equal(serverMessages(connection).length, before[i], 'a bystander was sent something');
      });
    } finally {
      rig.errors.length = 0;
      for (const connection of [...fuzzed, ...bystanders]) connection.session.close('shutdown');
      await rig.settle(1);
    }
  },
};

export const TARGETS: readonly FuzzTarget[] = [decoderTarget, sessionTarget, pdnTarget];

export async function closeTargets(): Promise<void> {
  const rig = await harness;
  harness = undefined;
  await rig?.close();
}
