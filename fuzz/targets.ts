import assert from 'node:assert/strict';
import {
  type AnyMessage,
  type DecoderCodes,
  decodeMessageAt,
  definitionForCodeIn,
  encodeMessage,
  LOGIN_CODES_V2,
  MAX_MESSAGE_SIZE,
  MESSAGE_TABLE,
  MESSAGE_TABLE_V2,
  type Message,
  type MessageV2,
  PROTOCOL_MESSAGES,
  StreamDecoder,
  WireBoard,
} from '../src/protocol/index.js';
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
const CODES = new Map<string, number>(PROTOCOL_MESSAGES.map((definition) => [definition.name, definition.code]));
const codeOf = (name: string) => CODES.get(name);
const SIZES = new Map<string, number>(PROTOCOL_MESSAGES.map((definition) => [definition.name, definition.size]));
const sizeOf = (name: string) => SIZES.get(name);

/** The decoder reads any byte in a name; the encoder writes only ASCII without NUL (what a sender may send). */
function isEncodable(message: AnyMessage): boolean {
  return Object.values(message).every(
    (value) =>
      typeof value !== 'string' || [...value].every((char) => char.charCodeAt(0) >= 1 && char.charCodeAt(0) <= 0x7f),
  );
}
/** What a server may send, in each version (version 2's LoggedIn is not a version-1 message). */
const SERVER_TO_CLIENT = {
  1: toClientNames(MESSAGE_TABLE),
  2: toClientNames(MESSAGE_TABLE_V2),
} as const;
function toClientNames(table: readonly { name: string; direction: string }[]): ReadonlySet<string> {
  return new Set(
    table.filter((definition) => definition.direction === 'toClient').map((definition) => definition.name),
  );
}

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

/** One valid example of every version-2 message; a Resume and a Connect of version 2 first. */
function sampleMessagesV2(): MessageV2[] {
  const board = new WireBoard(new Uint8Array(64));
  const [username, password] = FUZZ_ACCOUNTS[0];
  const token = Uint8Array.from({ length: 16 }, (_, i) => i * 17);
  const path = [9, 14];
  const clocks = { yourClockMs: 180_000, opponentClockMs: 179_500, flags: 1 };
  return [
    { type: 'Resume', version: 2, username, token },
    { type: 'Connect', version: 2, username, password },
    { type: 'InvalidLogin', reason: 3 },
    { type: 'InvalidVersion', highest: 2, lowest: 1 },
    { type: 'LoggedIn', token, rating: 1200, tokenSeconds: 2_592_000, flags: 1 },
    { type: 'Seek', initialSeconds: 180, incrementSeconds: 2 },
    { type: 'LeaveQueue' },
    { type: 'QueuePosition', queueSize: 2, position: 1, rating: 1200 },
    {
      type: 'GameStart2',
      opponent: 'cam',
      opponentRating: 1200,
      colour: 1,
      initialSeconds: 180,
      incrementSeconds: 2,
      rated: true,
      gameId: 7,
    },
    { type: 'YourMove', lastPath: null, board, ...clocks },
    { type: 'TheirMove', lastPath: path, board, ...clocks },
    { type: 'MovePath', path: [13, 22, 31] },
    { type: 'IllegalMove', path, reason: 2 },
    { type: 'Resign' },
    { type: 'OfferDraw' },
    { type: 'AnswerDraw', accept: false },
    { type: 'DrawOffered' },
    { type: 'DrawDeclined' },
    { type: 'GameOver2', result: 2, reason: 4, newRating: 1200, oldRating: 1200, rated: true, lastPath: path, board },
    { type: 'Rematch' },
    { type: 'RematchOffered' },
    { type: 'RematchGone' },
    { type: 'OpponentAway', graceSeconds: 60 },
    { type: 'OpponentBack' },
    {
      type: 'PlayComputer',
      level: 3,
      initialSeconds: 300,
      incrementSeconds: 3,
      rated: false,
      colour: 2,
      opening: 1,
    },
    { type: 'ComputerBusy' },
    {
      type: 'Challenge',
      opponent: 'cam',
      initialSeconds: 600,
      incrementSeconds: 5,
      colour: 1,
      rated: true,
      opening: 0,
    },
    {
      type: 'ChallengeOffered',
      challengeId: 7,
      challenger: 'jen',
      challengerRating: 1210,
      initialSeconds: 600,
      incrementSeconds: 5,
      colour: 0,
      rated: true,
      opening: 0,
    },
    { type: 'AnswerChallenge', challengeId: 7, accept: true },
    { type: 'ChallengeGone', challengeId: 7 },
    { type: 'ChallengeDeclined', reason: 3 },
    { type: 'WithdrawOffer' },
    { type: 'CreateInvite', initialSeconds: 0, incrementSeconds: 0, colour: 2, rated: false, opening: 1 },
    { type: 'InviteCreated', code: token, validSeconds: 600 },
    { type: 'JoinInvite', code: token },
    { type: 'InviteRefused', reason: 2 },
    { type: 'Hint' },
    { type: 'HintMove', path },
    { type: 'LogOut' },
    { type: 'Guest', version: 2 },
    { type: 'GuestLoggedIn', name: 'guest-12345', token, tokenSeconds: 86_400 },
  ];
}

const dictionaryV2 = () => sampleMessagesV2().map((message) => encodeMessage(message));

/** The codes a server's decoder takes after a login message: its version's, or still 'login' for another version. */
function codesAfter(message: AnyMessage, codes: DecoderCodes): DecoderCodes {
  if (codes !== 'login') return codes;
  if (message.type === 'Guest') return message.version === 2 ? 2 : 'login';
  if (message.type !== 'Connect' && message.type !== 'Resume') return codes;
  return message.version === 1 || message.version === 2 ? message.version : 'login';
}

/**
 * The decoder as a server uses it since version 2: before login (version 1's
 * types, Resume and Guest), then switched to the version of the first login
 * message. Whatever the bytes and cuts, it never throws, gives back exactly
 * the messages the bytes encode under the codes in force, points an error at
 * the first byte of the offending message (an unknown type, or a malformed
 * field: a path, a colour, an opening, an accept flag), and holds less than one message.
 */
export const decoderV2Target: FuzzTarget = {
  name: 'decoder-v2',
  seeds: () => [
    new Uint8Array([0, ...dictionaryV2().flatMap((bytes) => [...bytes])]),
    new Uint8Array([
      0x55,
      ...dictionaryV2()
        .flatMap((bytes) => [...bytes])
        .slice(34),
    ]),
  ],
  dictionary: dictionaryV2,
  run(input) {
    const decoder = StreamDecoder.beforeLogin();
    const stream = input.subarray(1);
    let consumed = 0;
    for (const piece of pieces(input)) {
      decoder.push(piece);
      for (;;) {
        const codes = decoder.codes;
        const result = decoder.next();
        if (result.kind === 'message') {
          const { message } = result;
          assert.equal(stream[consumed], codeOf(message.type), 'a message starts at its type byte');
          if (isEncodable(message)) {
            const again = new StreamDecoder(codes);
            again.push(encodeMessage(message));
            const redecoded = again.next();
            assert.ok(redecoded.kind === 'message', 're-encoding decodes');
            assert.deepEqual(redecoded.message, message, 'decoding is stable under re-encoding');
          }
          consumed += sizeOf(message.type) ?? 0;
          decoder.useCodes(codesAfter(message, codes));
          continue;
        }
        if (result.kind === 'error') {
          assert.equal(result.error.streamOffset, consumed, 'the error points at the first byte of the message');
          assert.equal(result.error.byte, stream[consumed]);
          const version = codes === 'login' ? (LOGIN_CODES_V2.has(result.error.byte) ? 2 : 1) : codes;
          if (result.error.code === 'UNKNOWN_TYPE') {
            assert.equal(definitionForCodeIn(result.error.byte, version), undefined, 'a known type was refused');
          } else {
            const whole = stream.subarray(
              consumed,
              consumed + (definitionForCodeIn(result.error.byte, version)?.size ?? 0),
            );
            assert.throws(
              () => decodeMessageAt(whole, 0, version),
              RangeError,
              'only a malformed field is a BAD_FIELD',
            );
          }
          return;
        }
        assert.ok(result.buffered < MAX_MESSAGE_SIZE, `holds ${result.buffered} bytes`);
        break;
      }
    }
    const received = pieces(input).reduce((sum, piece) => sum + piece.length, 0);
    assert.ok(received - consumed < MAX_MESSAGE_SIZE, 'every whole message was given back');
  },
};

let harness: Promise<SessionHarness> | undefined;

function serverMessages(connection: MemoryConnection): AnyMessage[] {
  // The server answers in the version the client logged in with (version 1 before any login).
  const { version } = connection.session;
  const decoder = StreamDecoder.forVersion(version);
  decoder.push(connection.output());
  const messages: AnyMessage[] = [];
  for (;;) {
    const result = decoder.next();
    if (result.kind === 'error') throw new Error(`server wrote an unknown message type ${result.error.byte}`);
    if (result.kind === 'incomplete') {
      assert.equal(result.buffered, 0, 'server output ends in a partial message');
      return messages;
    }
    assert.ok(
      SERVER_TO_CLIENT[version].has(result.message.type),
      `server sent ${result.message.type} in version ${version}`,
    );
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
    const loginV2 = encodeMessage({ type: 'Connect', version: 2, username, password });
    const seek = encodeMessage({ type: 'Seek', initialSeconds: 180, incrementSeconds: 2 });
    return [
      new Uint8Array([0, ...login, ...encodeMessage({ type: 'LogOut' })]),
      new Uint8Array([0, ...login]),
      new Uint8Array([0, ...login, ...encodeMessage({ type: 'MakeMove', move: 0x29 })]),
      new Uint8Array([0, ...loginV2, ...seek, ...encodeMessage({ type: 'MovePath', path: [9, 14] })]),
      new Uint8Array([
        0,
        ...loginV2,
        ...seek,
        ...encodeMessage({ type: 'OfferDraw' }),
        ...encodeMessage({ type: 'Resign' }),
      ]),
    ];
  },
  // Both versions' messages: a version-2 login makes the rest of the stream version 2.
  dictionary: () => [...dictionary(), ...dictionaryV2()],
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

export const TARGETS: readonly FuzzTarget[] = [decoderTarget, decoderV2Target, sessionTarget, pdnTarget];

export async function closeTargets(): Promise<void> {
  const rig = await harness;
  harness = undefined;
  await rig?.close();
}
