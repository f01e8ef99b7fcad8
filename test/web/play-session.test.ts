import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { moveByteOf, toWireBoard } from '../../src/common/wire.js';
import { BLACK, INITIAL_POSITION, positionFromSquares, WHITE } from '../../src/game/position.js';
import { bitOfSquare } from '../../src/game/squares.js';
import { decodeMessageAt, encodeMessage, InvalidLoginReason, type Message, NO_MOVE } from '../../src/protocol/index.js';
import { numberedMoves } from '../../src/web/play/move-record.js';
import {
  CREDENTIALS_KEY,
  GAME_KEY,
  PlaySession,
  type PlaySnapshot,
  type ShownPly,
} from '../../src/web/play/play-session.js';
import { playUrl, type SocketLike } from '../../src/web/play/socket-connection.js';
import { ManualTimers } from './session-support.js';
import { MemoryStorage } from './standard-support.js';

class FakeSocket implements SocketLike {
  binaryType = 'blob';
  sent: Message[] = [];
  closed = false;
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: (() => void) | null = null;

  constructor(readonly url: string) {}

  send(data: Uint8Array): void {
    this.sent.push(decodeMessageAt(data, 0));
  }

  close(): void {
    this.closed = true;
  }

  open(): void {
    this.onopen?.();
  }

  /** Delivers server messages, all in one WebSocket message. */
  deliver(...messages: Message[]): void {
    const parts = messages.map(encodeMessage);
    const joined = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
    let at = 0;
    for (const part of parts) {
      joined.set(part, at);
      at += part.length;
    }
    this.onmessage?.({ data: joined.buffer });
  }

  drop(code = 1006, reason = ''): void {
    this.onclose?.({ code, reason });
  }
}

function setup(storage = new MemoryStorage()) {
  const sockets: FakeSocket[] = [];
  const timers = new ManualTimers(0);
  const session = new PlaySession({
    url: 'ws://127.0.0.1:8864/play',
    createSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    storage,
    timers,
  });
  const seen: Array<{ snapshot: PlaySnapshot; plies: readonly ShownPly[] }> = [];
  session.subscribe((snapshot, plies) => seen.push({ snapshot, plies }));
  const socket = () => {
    const last = sockets[sockets.length - 1];
    assert.ok(last, 'a socket was opened');
    return last;
  };
  return { session, sockets, socket, storage, timers, seen, last: () => session.snapshot() };
}

const queued: Message = { type: 'QueuePosition', queueSize: 2, position: 1, rating: 1200 };
const startBoard = toWireBoard(INITIAL_POSITION, BLACK);

function loggedInAsBlack() {
  const harness = setup();
  harness.session.login('cam', 'mac');
  harness.socket().open();
  harness.socket().deliver(queued, { type: 'GameStart', opponent: 'jen', opponentRating: 1250 });
  harness.socket().deliver({ type: 'YourTurn', lastMove: NO_MOVE, board: startBoard });
  return harness;
}

describe('the browser play session', () => {
  it('connects to /play on the page host, ws: for http and wss: for https', () => {
    assert.equal(playUrl({ protocol: 'http:', host: 'localhost:8864' }), 'ws://localhost:8864/play');
    assert.equal(playUrl({ protocol: 'https:', host: 'example.org' }), 'wss://example.org/play');
  });

  it('logs in, asks for bytes as an ArrayBuffer, and shows the queue', () => {
    const { session, socket, storage, last } = setup();
    session.login('cam', 'mac');
    assert.equal(last().phase, 'connecting');
    assert.equal(socket().binaryType, 'arraybuffer');
    socket().open();
    assert.deepEqual(socket().sent, [{ type: 'Connect', version: 1, username: 'cam', password: 'mac' }]);
    socket().deliver(queued);
    assert.equal(last().phase, 'queue');
    assert.deepEqual(last().queue, { size: 2, position: 1, rating: 1200 });
    assert.match(last().status, /number 1 of 2/);
    assert.deepEqual(JSON.parse(storage.getItem(CREDENTIALS_KEY) ?? ''), { username: 'cam', password: 'mac' });
  });

  for (const [reason, words] of [
    [InvalidLoginReason.WrongPassword, /Wrong password/],
    [InvalidLoginReason.NoSuchAccount, /no account with that name/],
    [InvalidLoginReason.AlreadyLoggedIn, /already logged in elsewhere/],
  ] as const) {
    it(`explains refusal ${reason} in words and keeps no credentials`, () => {
      const { session, socket, storage, last } = setup();
      session.login('cam', 'nope');
      socket().open();
      socket().deliver({ type: 'InvalidLogin', reason });
      assert.equal(last().phase, 'login');
      assert.match(last().error ?? '', words);
      assert.equal(storage.getItem(CREDENTIALS_KEY), null);
    });
  }

  it('refuses a name the protocol cannot carry before connecting', () => {
    const { session, sockets, last } = setup();
    session.login('a-name-far-too-long', 'x');
    assert.equal(sockets.length, 0);
    assert.match(last().error ?? '', /longer than 16 characters/);
  });

  it('plays a clicked step, records it, and shows the legal steps only on its turn', () => {
    const { session, socket, last } = loggedInAsBlack();
    assert.equal(last().phase, 'game');
    assert.equal(last().game?.color, BLACK);
    assert.equal(last().game?.legal.length, 7);
    assert.match(last().status, /Your move/);
    assert.equal(
      session.moveStep(bitOfSquare(12), bitOfSquare(15)),
      '12-15 is not legal: 15 is not one diagonal step from 12; the piece on 12 can go to 16',
    );
    assert.equal(session.moveStep(bitOfSquare(11), bitOfSquare(15)), undefined);
    assert.deepEqual(socket().sent.at(-1), { type: 'MakeMove', move: moveByteOf(bitOfSquare(11), 0) });
    assert.deepEqual(
      last().game?.record.map((entry) => entry.text),
      ['11-15'],
    );
    assert.equal(last().game?.legal.length, 0);
    assert.match(session.moveStep(bitOfSquare(9), bitOfSquare(13)) ?? '', /not your turn/);
  });

  it('plays a typed move and explains one it cannot play', () => {
    const { session, socket } = loggedInAsBlack();
    assert.match(session.moveText('22x15') ?? '', /server plays every capture/);
    assert.match(session.moveText('hello') ?? '', /not a move/);
    assert.equal(session.moveText('9-13'), undefined);
    assert.equal(socket().sent.at(-1)?.type, 'MakeMove');
  });

  it("shows the opponent's step and the jump the server forced, one after another, in the record", () => {
    const { session, socket, seen, last } = loggedInAsBlack();
    session.moveStep(bitOfSquare(11), bitOfSquare(15));
    // White answers 24-19 (no message carries it), and the server jumps 15x24 for Black.
    const afterJump = positionFromSquares({
      black: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 24],
      white: [21, 22, 23, 25, 26, 27, 28, 29, 30, 31, 32],
    });
    const jump = moveByteOf(bitOfSquare(15), 2);
    socket().deliver({ type: 'CompulsoryMove', move: jump, board: toWireBoard(afterJump, BLACK) });
    const plies = seen.at(-1)?.plies ?? [];
    assert.deepEqual(
      plies.map((ply) => [ply.from + 1, ply.to + 1, ply.kind]),
      [
        [24, 19, 'step'],
        [15, 24, 'jump'],
      ],
    );
    assert.deepEqual(
      last().game?.record.map((entry) => entry.text),
      ['11-15', '24-19', '15x24'],
    );
    assert.deepEqual(numberedMoves(last().game?.record ?? []), [
      { number: 1, black: '11-15', white: '24-19' },
      { number: 2, black: '15x24' },
    ]);
    assert.match(last().status, /jumped for you: 15x24/);
  });

  it('ends the game with how it ended and the rating change, then plays again', () => {
    const { session, socket, storage, last } = loggedInAsBlack();
    const onlyBlack = toWireBoard(positionFromSquares({ black: [15] }), BLACK);
    socket().deliver({
      type: 'GameOver',
      won: true,
      newRating: 1210,
      oldRating: 1200,
      lastMove: NO_MOVE,
      board: onlyBlack,
    });
    assert.equal(last().phase, 'over');
    assert.deepEqual(
      { ...last().ending },
      { outcome: 'won', how: "You took all of jen's pieces", oldRating: 1200, newRating: 1210 },
    );
    assert.equal(storage.getItem(GAME_KEY), null);
    session.playAgain();
    assert.deepEqual(socket().sent.at(-1), { type: 'ReQueue' });
    assert.equal(last().phase, 'queue');
  });

  it('tells a win by the opponent leaving', () => {
    const { socket, last } = loggedInAsBlack();
    socket().deliver({ type: 'OpponentDisconnect' });
    assert.equal(last().phase, 'over');
    assert.match(last().status, /jen left the game/);
  });

  it('leaves the queue by logging out of the protocol, and can queue again on the same connection', () => {
    const { session, socket, sockets, last } = setup();
    session.login('cam', 'mac');
    socket().open();
    socket().deliver(queued);
    session.leaveQueue();
    assert.equal(last().phase, 'lobby');
    assert.deepEqual(socket().sent.at(-1), { type: 'LogOut' });
    session.playAgain();
    assert.equal(sockets.length, 1);
    assert.deepEqual(socket().sent.at(-1), { type: 'Connect', version: 1, username: 'cam', password: 'mac' });
  });

  it('after a dropped connection logs in again with the kept credentials and resumes the same game', () => {
    const { session, socket, sockets, timers, last } = loggedInAsBlack();
    session.moveStep(bitOfSquare(11), bitOfSquare(15));
    socket().drop();
    assert.equal(last().phase, 'reconnecting');
    assert.ok(last().game, 'the board stays on screen while reconnecting');
    timers.advance(500);
    assert.equal(sockets.length, 2);
    socket().drop();
    timers.advance(1000);
    assert.equal(sockets.length, 3);
    socket().open();
    assert.deepEqual(socket().sent, [{ type: 'Connect', version: 1, username: 'cam', password: 'mac' }]);
    socket().deliver(queued, { type: 'GameStart', opponent: 'jen', opponentRating: 1250 });
    assert.equal(last().phase, 'game');
    assert.equal(last().game?.color, BLACK);
    assert.deepEqual(
      last().game?.record.map((entry) => entry.text),
      ['11-15'],
    );
    assert.match(last().status, /Back in your game against jen/);
  });

  it('does not come back when another client took the game over, and says so', () => {
    const { socket, sockets, storage, timers, last } = loggedInAsBlack();
    socket().drop(1000, 'takeover: connection taken over by a new login');
    assert.equal(last().phase, 'login');
    assert.match(last().error ?? '', /another window or client, which took over/);
    assert.equal(storage.getItem(CREDENTIALS_KEY), null);
    timers.advance(60_000);
    assert.equal(sockets.length, 1);
  });

  it('comes back after the server restarted (close 1001)', () => {
    const { socket, sockets, timers, last } = loggedInAsBlack();
    socket().drop(1001, 'shutdown');
    assert.equal(last().phase, 'reconnecting');
    timers.advance(500);
    assert.equal(sockets.length, 2);
  });

  it('gives up reconnecting after the grace period and says so', () => {
    const { socket, sockets, timers, last } = loggedInAsBlack();
    socket().drop();
    for (let i = 0; i < 40 && last().phase === 'reconnecting'; i++) {
      timers.advance(5000);
      socket().drop();
    }
    assert.equal(last().phase, 'login');
    assert.match(last().error ?? '', /Could not reach the server again in time/);
    assert.ok(sockets.length < 20);
  });

  it('after a page reload resumes with the credentials of this tab, retrying while the old page is still logged in', () => {
    const first = loggedInAsBlack();
    const reloaded = setup(first.storage);
    assert.equal(reloaded.session.resume(), true);
    reloaded.socket().open();
    reloaded.socket().deliver({ type: 'InvalidLogin', reason: InvalidLoginReason.AlreadyLoggedIn });
    assert.notEqual(reloaded.last().phase, 'login');
    reloaded.timers.advance(500);
    assert.equal(reloaded.sockets.length, 2);
    reloaded.socket().open();
    reloaded.socket().deliver(queued, { type: 'GameStart', opponent: 'jen', opponentRating: 1250 });
    reloaded.socket().deliver({ type: 'YourTurn', lastMove: NO_MOVE, board: startBoard });
    assert.equal(reloaded.last().phase, 'game');
    assert.equal(reloaded.last().game?.myTurn, true);
  });

  it('after a reload into the queue (the game ended meanwhile) a later game does not take the old board', () => {
    const first = loggedInAsBlack();
    first.session.moveStep(bitOfSquare(11), bitOfSquare(15));
    const reloaded = setup(first.storage);
    reloaded.session.resume();
    reloaded.socket().open();
    reloaded.socket().deliver(queued);
    reloaded.socket().deliver({ ...queued, position: 1, queueSize: 1 });
    assert.equal(first.storage.getItem(GAME_KEY), null);
    reloaded.socket().deliver({ type: 'GameStart', opponent: 'jen', opponentRating: 1250 });
    assert.deepEqual(reloaded.last().game?.record, []);
    assert.equal(reloaded.last().game?.position, undefined);
  });

  it('after a drop from the queue comes back to the queue', () => {
    const { session, socket, sockets, timers, last } = setup();
    session.login('cam', 'mac');
    socket().open();
    socket().deliver(queued);
    socket().drop();
    assert.equal(last().phase, 'reconnecting');
    timers.advance(500);
    assert.equal(sockets.length, 2);
    socket().open();
    socket().deliver(queued);
    assert.equal(last().phase, 'queue');
    assert.match(last().status, /Waiting for an opponent/);
  });

  it('does not resume without kept credentials', () => {
    const { session, sockets } = setup();
    assert.equal(session.resume(), false);
    assert.equal(sockets.length, 0);
  });

  it('logging out sends LogOut, forgets the credentials and says a game would be forfeited first', () => {
    const { session, socket, storage, last } = loggedInAsBlack();
    assert.equal(session.logoutForfeits(), true);
    const opened = socket();
    session.logOut();
    assert.deepEqual(opened.sent.at(-1), { type: 'LogOut' });
    assert.equal(opened.closed, true);
    assert.equal(storage.getItem(CREDENTIALS_KEY), null);
    assert.equal(last().phase, 'login');
    assert.equal(session.logoutForfeits(), false);
  });

  it('closes the connection when the server breaks the protocol, and does not reconnect', () => {
    const { socket, sockets, timers, last } = loggedInAsBlack();
    socket().deliver({ type: 'GameStart', opponent: 'x', opponentRating: 1 });
    assert.equal(socket().closed, true);
    assert.match(last().error ?? '', /broke the protocol/);
    timers.advance(60_000);
    assert.equal(sockets.length, 1);
  });

  it('White sees the first move of Black when its first turn comes', () => {
    const { session, socket, last } = setup();
    session.login('jen', 'nej');
    socket().open();
    socket().deliver(queued, { type: 'GameStart', opponent: 'cam', opponentRating: 1150 });
    const afterBlack = positionFromSquares({
      black: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15],
      white: [21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32],
    });
    socket().deliver({
      type: 'YourTurn',
      lastMove: moveByteOf(bitOfSquare(11), 0),
      board: toWireBoard(afterBlack, WHITE),
    });
    assert.equal(last().game?.color, WHITE);
    assert.deepEqual(
      last().game?.record.map((entry) => entry.text),
      ['11-15'],
    );
    assert.match(last().status, /cam moved 11-15\. Your move/);
  });
});
