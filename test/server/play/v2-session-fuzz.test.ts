import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { FUZZ_ACCOUNTS, type MemoryConnection, NO_RATE_LIMITS, SessionHarness } from '../../../fuzz/session-harness.js';
import {
  type AnyMessage,
  decodeKnown,
  definitionForCodeIn,
  encodeMessage,
  PROTOCOL_MESSAGES,
} from '../../../src/protocol/index.js';

const RUNS = process.env.CI ? 200 : 60;
const SEED = Number(process.env.FUZZ_SEED ?? 26);
const SERVER_TO_CLIENT = new Set<string>(
  PROTOCOL_MESSAGES.filter((definition) => definition.direction === 'toClient').map((definition) => definition.name),
);

/** Version-2 messages of every kind, mostly well formed, some for states they do not fit. */
const v2Message: fc.Arbitrary<AnyMessage> = fc.oneof(
  // Seeking one time control often enough that games start, and play in them.
  { weight: 3, arbitrary: fc.constant<AnyMessage>({ type: 'Seek', initialSeconds: 180, incrementSeconds: 2 }) },
  {
    weight: 6,
    arbitrary: fc.constantFrom<AnyMessage>(
      { type: 'Seek', initialSeconds: 0, incrementSeconds: 0 },
      { type: 'Seek', initialSeconds: 61, incrementSeconds: 1 },
      { type: 'LeaveQueue' },
      { type: 'Resign' },
      { type: 'OfferDraw' },
      { type: 'AnswerDraw', accept: true },
      { type: 'AnswerDraw', accept: false },
      { type: 'Rematch' },
      { type: 'LogOut' },
      { type: 'MovePath', path: [11, 15] },
      { type: 'MovePath', path: [22, 18] },
      { type: 'MovePath', path: [9, 14] },
    ),
  },
  {
    weight: 3,
    arbitrary: fc
      .array(fc.integer({ min: 1, max: 32 }), { minLength: 2, maxLength: 4 })
      .map((path): AnyMessage => ({ type: 'MovePath', path })),
  },
  {
    weight: 1,
    arbitrary: fc
      .uint8Array({ minLength: 16, maxLength: 16 })
      .map((token): AnyMessage => ({ type: 'Resume', version: 2, username: FUZZ_ACCOUNTS[0]?.[0] ?? '', token })),
  },
  // Challenges between the fuzzed accounts (and to nobody), their answers, and invites.
  {
    weight: 4,
    arbitrary: fc
      .record({
        opponent: fc.constantFrom(...FUZZ_ACCOUNTS.map(([name]) => name), 'nobody'),
        control: fc.constantFrom([300, 3], [0, 0], [120, 1]),
        colour: fc.integer({ min: 0, max: 2 }),
        rated: fc.boolean(),
        opening: fc.integer({ min: 0, max: 1 }),
      })
      .map(
        ({ opponent, control: [initialSeconds = 0, incrementSeconds = 0], colour, rated, opening }): AnyMessage => ({
          type: 'Challenge',
          opponent,
          initialSeconds,
          incrementSeconds,
          colour,
          rated,
          opening,
        }),
      ),
  },
  {
    weight: 4,
    arbitrary: fc
      // Id 0 stands for the last challenge offered to the connection (see `withLastOffer`).
      .record({ challengeId: fc.constantFrom(0, 0, 0, 1, 2, 99), accept: fc.boolean() })
      .map(({ challengeId, accept }): AnyMessage => ({ type: 'AnswerChallenge', challengeId, accept })),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom<AnyMessage>(
      { type: 'WithdrawOffer' },
      { type: 'CreateInvite', initialSeconds: 180, incrementSeconds: 2, colour: 2, rated: false, opening: 1 },
      { type: 'JoinInvite', code: new Uint8Array(16) },
    ),
  },
);

const chunk: fc.Arbitrary<Uint8Array> = fc.oneof(
  { weight: 12, arbitrary: v2Message.map(encodeMessage) },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 20 }) },
);

function serverMessages(connection: MemoryConnection): AnyMessage[] {
  const bytes = connection.output();
  const messages: AnyMessage[] = [];
  for (let offset = 0; offset < bytes.length; ) {
    const code = bytes[offset] ?? 0;
    const definition = definitionForCodeIn(code, 2) ?? definitionForCodeIn(code, 1);
    if (!definition) throw new Error(`server wrote garbage: type 0x${code.toString(16)}`);
    assert.ok(offset + definition.size <= bytes.length, 'server output ends in a partial message');
    const message = decodeKnown(definition, bytes, offset);
    assert.ok(SERVER_TO_CLIENT.has(message.type), `server sent ${message.type}`);
    messages.push(message);
    offset += definition.size;
  }
  return messages;
}

/** An AnswerChallenge for id 0 answers the last ChallengeOffered the connection received, so that offers are taken. */
function withLastOffer(piece: Uint8Array, connection: MemoryConnection): Uint8Array {
  if (piece.length !== 6 || piece[0] !== 0x1c || piece.subarray(1, 5).some((byte) => byte !== 0)) return piece;
  const offers = serverMessages(connection).filter((message) => message.type === 'ChallengeOffered');
  const last = offers.at(-1);
  if (last?.type !== 'ChallengeOffered') return piece;
  return encodeMessage({ type: 'AnswerChallenge', challengeId: last.challengeId, accept: piece[5] === 1 });
}

describe('version-2 sessions under random input (fast-check)', () => {
  let harness: SessionHarness;
  const escaped: unknown[] = [];
  const onEscape = (error: unknown) => escaped.push(error);
  before(async () => {
    harness = await SessionHarness.create(NO_RATE_LIMITS);
    process.on('uncaughtException', onEscape);
    process.on('unhandledRejection', onEscape);
  });
  after(async () => {
    process.off('uncaughtException', onEscape);
    process.off('unhandledRejection', onEscape);
    await harness.close();
  });

  it('no exception escapes, no server error, the server never breaks the protocol, closes only for protocol errors', async () => {
    const statesSeen = new Set<string>();
    const friendlySeen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(chunk, { minLength: 1, maxLength: 14 }), { minLength: 2, maxLength: 3 }),
        fc.boolean(),
        async (plans, seekFirst) => {
          const connections = plans.map((_, i) => harness.connect(`127.6.0.${i + 1}`));
          try {
            plans.forEach((_, i) => {
              const [username, password] = FUZZ_ACCOUNTS[i] ?? ['', ''];
              connections[i]?.send(encodeMessage({ type: 'Connect', version: 2, username, password }));
            });
            await harness.until(() => connections.every((c) => c.session.machine.state !== 'Unauthenticated'));
            // Most runs start with everyone seeking one time control, so that a game is under way from the start.
            if (seekFirst) {
              for (const connection of connections) {
                if (connection.session.machine.state === 'Lobby') {
                  connection.send(encodeMessage({ type: 'Seek', initialSeconds: 180, incrementSeconds: 2 }));
                }
              }
              await harness.settle(1);
              harness.matchmake();
            }
            const longest = Math.max(...plans.map((pieces) => pieces.length));
            for (let step = 0; step < longest; step++) {
              plans.forEach((pieces, i) => {
                const piece = pieces[step];
                const connection = connections[i];
                if (piece && connection) connection.send(withLastOffer(piece, connection));
              });
              await harness.settle(1);
              harness.matchmake();
              await harness.settle(1);
              for (const connection of connections) statesSeen.add(connection.session.machine.state);
            }
            await harness.settle();
            assert.deepEqual(escaped, []);
            assert.deepEqual(harness.errors, []);
            for (const connection of connections) {
              for (const message of serverMessages(connection)) friendlySeen.add(message.type);
              const reason = connection.closedBecause();
              assert.ok(reason === undefined || reason === 'protocol-error', `closed for ${reason}`);
            }
          } finally {
            // Connections drop: games wait (and the next run's logins take them over).
            for (const connection of connections) connection.session.close('shutdown');
            await harness.settle(1);
          }
        },
      ),
      // A fixed seed (FUZZ_SEED to explore others): the reach asserted below must not depend on the draw.
      { numRuns: RUNS, seed: SEED },
    );
    for (const state of ['Lobby', 'InQueue', 'Waiting', 'Moving', 'GameEnd'])
      assert.ok(statesSeen.has(state), `${state} never reached`);
    for (const type of ['ChallengeOffered', 'ChallengeDeclined', 'InviteCreated', 'InviteRefused', 'GameStart2'])
      assert.ok(friendlySeen.has(type), `${type} never sent`);
  });
});
