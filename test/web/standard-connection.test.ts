import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toWireBoard } from '../../src/common/wire.js';
import { BLACK, INITIAL_POSITION } from '../../src/game/position.js';
import { type AnyMessage, decodeMessageAt, encodeMessage } from '../../src/protocol/index.js';
import type { SocketLike } from '../../src/web/play/socket-connection.js';
import { StandardConnection } from '../../src/web/play/standard-connection.js';
import type { StandardLinkEvents } from '../../src/web/play/standard-link.js';

class FakeSocket implements SocketLike {
  binaryType = 'blob';
  sent: AnyMessage[] = [];
  closedWith: number | undefined;
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: (() => void) | null = null;
  send(data: Uint8Array): void {
    this.sent.push(decodeMessageAt(data, 0, 2));
  }
  close(code?: number): void {
    this.closedWith = code;
  }
  deliver(...messages: AnyMessage[]): void {
    const parts = messages.map(encodeMessage);
    const joined = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
    let at = 0;
    for (const part of parts) {
      joined.set(part, at);
      at += part.length;
    }
    this.onmessage?.({ data: joined.buffer });
  }
}

/** Every event as [name, argument] in order. */
function recorder(): { events: StandardLinkEvents; seen: Array<[string, unknown]> } {
  const seen: Array<[string, unknown]> = [];
  const events = new Proxy({} as StandardLinkEvents, {
    get:
      (_, name: string) =>
      (...args: unknown[]) =>
        seen.push([name, args.length > 1 ? args : args[0]]),
  });
  return { events, seen };
}

const TOKEN = Uint8Array.from({ length: 16 }, (_, i) => i + 1);

describe('the version-2 connection of the browser', () => {
  it('speaks version 2 on the wire: Connect, LoggedIn, Seek, GameStart2, YourMove, MovePath, GameOver2', () => {
    const socket = new FakeSocket();
    const { events, seen } = recorder();
    const connection = new StandardConnection('ws://127.0.0.1:1/play', events, () => socket);
    assert.equal(socket.binaryType, 'arraybuffer');
    connection.connect('cam', 'mac');
    assert.deepEqual(socket.sent.at(-1), { type: 'Connect', version: 2, username: 'cam', password: 'mac' });
    socket.deliver({ type: 'LoggedIn', token: TOKEN, rating: 1210, tokenSeconds: 2_592_000, flags: 0 });
    assert.deepEqual(seen.at(-1), [
      'loggedIn',
      { token: TOKEN, rating: 1210, validSeconds: 2_592_000, gameFollows: false },
    ]);
    connection.seek({ initialSeconds: 180, incrementSeconds: 2 });
    assert.deepEqual(socket.sent.at(-1), { type: 'Seek', initialSeconds: 180, incrementSeconds: 2 });
    socket.deliver(
      { type: 'QueuePosition', queueSize: 2, position: 1, rating: 1210 },
      {
        type: 'GameStart2',
        opponent: 'jen',
        opponentRating: 1190,
        colour: 0,
        initialSeconds: 180,
        incrementSeconds: 2,
        rated: true,
        gameId: 77,
      },
      {
        type: 'YourMove',
        lastPath: null,
        board: toWireBoard(INITIAL_POSITION, BLACK),
        yourClockMs: 180_000,
        opponentClockMs: 180_000,
        flags: 1,
      },
    );
    assert.deepEqual(
      seen.slice(-3).map(([name]) => name),
      ['queuePosition', 'gameStart', 'turn'],
    );
    const [, start] = seen.at(-2) ?? [];
    assert.deepEqual(start, {
      opponent: 'jen',
      opponentRating: 1190,
      color: 0,
      timeControl: { initialSeconds: 180, incrementSeconds: 2 },
      rated: true,
      gameId: 77,
    });
    const [, [turn, mine]] = seen.at(-1) as [string, [{ opponentOffersDraw: boolean; myClockMs: number }, boolean]];
    assert.equal(mine, true);
    assert.equal(turn.opponentOffersDraw, true);
    assert.equal(turn.myClockMs, 180_000);
    // A Rematch in a game is tolerated (it may cross an accepted challenge); the page offers it at the end only.
    assert.equal(connection.canSend('Connect'), false, 'no second login during a game');
    connection.movePath([11, 15]);
    assert.deepEqual(socket.sent.at(-1), { type: 'MovePath', path: [11, 15] });
    connection.offerDraw();
    socket.deliver({
      type: 'GameOver2',
      result: 1,
      reason: 1,
      newRating: 1220,
      oldRating: 1210,
      rated: true,
      lastPath: null,
      board: toWireBoard(INITIAL_POSITION, BLACK),
    });
    assert.equal(seen.at(-1)?.[0], 'gameOver');
    assert.equal(connection.canSend('Rematch'), true);
    connection.rematch();
    assert.deepEqual(socket.sent.at(-1), { type: 'Rematch' });
  });

  it('closes on a message the state machine does not allow, and says the server broke the protocol', () => {
    const socket = new FakeSocket();
    const { events, seen } = recorder();
    const connection = new StandardConnection('ws://127.0.0.1:1/play', events, () => socket);
    connection.resume('cam', TOKEN);
    assert.deepEqual(socket.sent.at(-1), { type: 'Resume', version: 2, username: 'cam', token: TOKEN });
    socket.deliver({ type: 'DrawOffered' });
    assert.equal(socket.closedWith, 4000);
    const [name, [reason, protocolError]] = seen.at(-1) as [string, [string, boolean]];
    assert.equal(name, 'closed');
    assert.match(reason, /the server broke the protocol/);
    assert.equal(protocolError, true);
    assert.equal(connection.ended, true);
  });

  it('hands InvalidVersion(1, 1) to the session, so that it can fall back to version 1', () => {
    const socket = new FakeSocket();
    const { events, seen } = recorder();
    const connection = new StandardConnection('ws://127.0.0.1:1/play', events, () => socket);
    connection.connect('cam', 'mac');
    socket.onmessage?.({ data: Uint8Array.from([0x0d, 1, 1]).buffer });
    assert.deepEqual(seen.at(-1), ['invalidVersion', [1, 1]]);
  });
});

describe('the browser connection and the friends messages', () => {
  const choices = {
    control: { initialSeconds: 180, incrementSeconds: 2 },
    colour: 'random',
    rated: false,
    opening: 'three-move',
  } as const;

  it('logs in as a guest, then sends challenges, invites and hints with the wire values', () => {
    const socket = new FakeSocket();
    const { events, seen } = recorder();
    const connection = new StandardConnection('ws://127.0.0.1:1/play', events, () => socket);
    connection.guest();
    assert.deepEqual(socket.sent.at(-1), { type: 'Guest', version: 2 });
    socket.deliver({ type: 'GuestLoggedIn', name: 'guest-12345', token: TOKEN, tokenSeconds: 86_400 });
    assert.deepEqual(seen.at(-1), ['guestLoggedIn', { name: 'guest-12345', token: TOKEN, validSeconds: 86_400 }]);
    connection.playComputer({ level: 3, ...choices });
    assert.deepEqual(socket.sent.at(-1), {
      type: 'PlayComputer',
      level: 3,
      initialSeconds: 180,
      incrementSeconds: 2,
      rated: false,
      colour: 2,
      opening: 1,
    });
    socket.deliver({ type: 'ComputerBusy' });
    connection.challenge('jen', { ...choices, colour: 'white', opening: 'standard' });
    assert.deepEqual(socket.sent.at(-1), {
      type: 'Challenge',
      opponent: 'jen',
      initialSeconds: 180,
      incrementSeconds: 2,
      colour: 1,
      rated: false,
      opening: 0,
    });
    connection.createInvite(choices);
    assert.deepEqual(socket.sent.at(-1), {
      type: 'CreateInvite',
      initialSeconds: 180,
      incrementSeconds: 2,
      colour: 2,
      rated: false,
      opening: 1,
    });
    socket.deliver(
      { type: 'ChallengeDeclined', reason: 2 },
      { type: 'InviteCreated', code: TOKEN, validSeconds: 600 },
      {
        type: 'ChallengeOffered',
        challengeId: 7,
        challenger: 'cam',
        challengerRating: 1200,
        initialSeconds: 300,
        incrementSeconds: 3,
        colour: 1,
        rated: true,
        opening: 1,
      },
      { type: 'ChallengeGone', challengeId: 7 },
      { type: 'InviteRefused', reason: 3 },
    );
    assert.deepEqual(seen.slice(-5), [
      ['challengeDeclined', 2],
      ['inviteCreated', { code: TOKEN, validSeconds: 600 }],
      [
        'challengeOffered',
        {
          id: 7,
          from: 'cam',
          rating: 1200,
          control: { initialSeconds: 300, incrementSeconds: 3 },
          colour: 'white',
          rated: true,
          opening: 'three-move',
        },
      ],
      ['challengeGone', 7],
      ['inviteRefused', 3],
    ]);
    connection.withdrawOffer();
    connection.answerChallenge(8, false);
    connection.joinInvite(TOKEN);
    assert.deepEqual(socket.sent.slice(-3), [
      { type: 'WithdrawOffer' },
      { type: 'AnswerChallenge', challengeId: 8, accept: false },
      { type: 'JoinInvite', code: TOKEN },
    ]);
  });
});
