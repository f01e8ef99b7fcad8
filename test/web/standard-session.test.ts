import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toWireBoard } from '../../src/common/wire.js';
import { BLACK, INITIAL_POSITION, type Position, WHITE } from '../../src/game/position.js';
import { applyMove, legalMoves, type Move } from '../../src/game/standard.js';
import { InvalidLoginReason } from '../../src/protocol/index.js';
import { pathText } from '../../src/web/play/path-text.js';
import { PlayClient, VERSION_1_NOTICE } from '../../src/web/play/play-client.js';
import type { PlayView } from '../../src/web/play/play-commands.js';
import { PlaySession } from '../../src/web/play/play-session.js';
import { RESUME_KEY } from '../../src/web/play/resume-token.js';
import { STANDARD_GAME_KEY, TIME_CONTROL_KEY } from '../../src/web/play/standard-session.js';
import { logIn, setup, startGame, TOKEN, turn } from './session-support.js';
import { firstCaptureChoice, MemoryStorage } from './standard-support.js';

describe('the version-2 play session', () => {
  it('logs in with the password once, keeps only the resume token, and waits in the lobby for a time control', () => {
    const t = setup();
    logIn(t);
    assert.deepEqual(t.link().sent[0], { command: 'Connect', args: ['cam', 'mac'] });
    assert.equal(t.last().phase, 'lobby');
    const kept = t.storage.getItem(RESUME_KEY) ?? '';
    assert.match(kept, /"username":"cam"/);
    assert.doesNotMatch(kept, /mac/);
    assert.equal([...t.storage.items.values(), ...t.tab.items.values()].join(' ').includes('"mac"'), false);
    t.session.chooseTimeControl({ initialSeconds: 600, incrementSeconds: 5 });
    assert.equal(t.storage.getItem(TIME_CONTROL_KEY), '600+5');
    t.session.joinQueue();
    assert.deepEqual(t.link().sent.at(-1), { command: 'Seek', args: [600, 5] });
    t.link().events.queuePosition({ size: 1, position: 1, rating: 1210 });
    assert.equal(t.last().phase, 'queue');
    assert.match(t.last().status, /Waiting for an opponent \(10\+5\)/);
  });

  it('a reload logs in with the token alone, and a refused token sends the player to the login form', () => {
    const t = setup();
    logIn(t);
    const again = setup({ storage: t.storage });
    assert.equal(again.session.resume(), true);
    again.link().events.open();
    assert.deepEqual(again.link().sent[0], { command: 'Resume', args: ['cam', [...TOKEN]] });
    again.link().events.invalidLogin(InvalidLoginReason.AlreadyLoggedIn + 1);
    assert.equal(again.last().phase, 'login');
    assert.match(again.last().error ?? '', /saved login is no longer valid/);
    assert.equal(again.storage.getItem(RESUME_KEY), null);
    assert.equal(setup({ storage: again.storage }).session.resume(), false);
  });

  it('plays a capture chosen among two, shows both clocks, and animates the opponent’s path', () => {
    const t = setup();
    logIn(t);
    const choice = firstCaptureChoice();
    const me = choice.sequence.length % 2 === 0 ? BLACK : WHITE;
    startGame(t, me);
    assert.equal(t.last().game?.color, me);
    // The server replays the opening: the side to move gets YourMove, the other TheirMove.
    let position: Position = INITIAL_POSITION;
    let previous: Move | undefined;
    for (const move of choice.sequence) {
      const mine = position.turn === me;
      const path = previous ? [previous.from, ...previous.path].map((bit) => bit + 1) : null;
      t.link().events.turn(turn(position, me, path), mine);
      if (mine) {
        assert.equal(t.session.play(move), undefined);
        assert.deepEqual(t.link().sent.at(-1), {
          command: 'MovePath',
          args: [[move.from + 1, ...move.path.map((b) => b + 1)]],
        });
      }
      position = applyMove(position, move);
      previous = move;
    }
    const lastPath = previous ? [previous.from, ...previous.path].map((bit) => bit + 1) : null;
    t.link().events.turn(turn(position, me, lastPath, 150_000, 170_000), true);
    assert.equal(t.plies.at(-1), 1, 'the opponent’s last move animates');
    const view = t.last();
    assert.equal(view.game?.myTurn, true);
    assert.deepEqual(view.game?.legal.map(pathText).sort(), choice.captures.map(pathText).sort());
    assert.deepEqual(
      view.standard?.clocks && [view.standard.clocks.myMs, view.standard.clocks.opponentMs],
      [150_000, 170_000],
    );
    assert.equal(view.standard?.clocks?.running, 'me');
    const chosen = choice.captures[1] as Move;
    assert.equal(t.session.moveText(pathText(chosen)), undefined);
    assert.equal(t.last().game?.record.at(-1)?.text, pathText(chosen));
    assert.match(t.last().status, new RegExp(`You played ${pathText(chosen)}\\. jen's move\\.`));
    assert.equal(t.tab.getItem(STANDARD_GAME_KEY)?.includes(pathText(chosen)), true);
  });

  it('offers a draw once per own move, answers an offer, and reads the result with both ratings', () => {
    const t = setup();
    logIn(t);
    startGame(t, BLACK);
    t.link().events.turn(turn(INITIAL_POSITION, BLACK, null), true);
    t.session.offerDraw();
    t.session.offerDraw();
    assert.deepEqual(
      t
        .link()
        .commands()
        .filter((c) => c === 'OfferDraw'),
      ['OfferDraw'],
    );
    assert.equal(t.last().standard?.draw, 'offered-by-me');
    assert.equal(t.last().standard?.mayOfferDraw, false);
    t.link().events.drawDeclined();
    assert.match(t.last().status, /jen declined your draw offer/);
    t.link().events.drawOffered();
    assert.equal(t.last().standard?.draw, 'offered-by-opponent');
    t.session.answerDraw(true);
    assert.deepEqual(t.link().sent.at(-1), { command: 'AnswerDraw', args: [true] });
    t.link().events.gameOver({
      result: 2,
      reason: 2,
      newRating: 1205,
      oldRating: 1210,
      rated: true,
      lastPath: null,
      board: toWireBoard(INITIAL_POSITION, BLACK),
    });
    const view = t.last();
    assert.equal(view.phase, 'over');
    assert.deepEqual(view.ending, { outcome: 'draw', how: 'Drawn by agreement', oldRating: 1210, newRating: 1205 });
    assert.equal(view.status, 'Draw: drawn by agreement.');
  });

  it('resigning keeps the session: after the game the player queues again on the same connection', () => {
    const t = setup();
    logIn(t);
    startGame(t, WHITE);
    t.link().events.turn(turn(INITIAL_POSITION, WHITE, null), false);
    assert.equal(t.last().game?.myTurn, false);
    t.session.resign();
    t.link().events.gameOver({
      result: 0,
      reason: 1,
      newRating: 1199,
      oldRating: 1210,
      rated: true,
      lastPath: null,
      board: toWireBoard(INITIAL_POSITION, WHITE),
    });
    assert.equal(t.last().ending?.how, 'You resigned');
    t.session.joinQueue();
    assert.equal(t.links.length, 1, 'the same connection');
    assert.deepEqual(t.link().commands(), ['Connect', 'Resign', 'Seek']);
    assert.equal(t.last().phase, 'queue');
  });

  it('plays the computer in the chosen time control; while it asks, nothing else is sent; busy says so', () => {
    const t = setup();
    logIn(t);
    t.session.chooseTimeControl({ initialSeconds: 300, incrementSeconds: 3 });
    t.session.chooseOptions({ rated: true });
    t.session.playComputer(4);
    assert.deepEqual(t.link().sent.at(-1), { command: 'PlayComputer', args: [4, 300, true, 'black', 'standard'] });
    assert.equal(t.last().askingComputer, true);
    assert.match(t.last().status, /Asking the computer \(level 4\)/);
    t.session.playComputer(4);
    t.session.joinQueue();
    assert.deepEqual(t.link().commands(), ['Connect', 'PlayComputer'], 'one question at a time');
    t.link().events.computerBusy();
    assert.equal(t.last().askingComputer, false);
    assert.equal(t.last().phase, 'lobby');
    assert.match(t.last().status, /computer is busy.*Try again in a minute, or join the queue/);
    t.session.playComputer(1);
    t.link().events.gameStart({
      opponent: 'checkers-bot',
      opponentRating: 1200,
      color: 0,
      timeControl: { initialSeconds: 300, incrementSeconds: 3 },
      rated: false,
      gameId: 7,
    });
    assert.equal(t.last().phase, 'game');
    assert.equal(t.last().askingComputer, false);
    assert.match(t.last().status, /Game against checkers-bot .*5\+3\. You play Black and move first\./);
  });

  it('a rematch: offered, accepted by the other side, the new game starts with colours swapped', () => {
    const t = setup();
    logIn(t);
    startGame(t, BLACK, 1);
    t.link().events.gameOver({
      result: 1,
      reason: 5,
      newRating: 1220,
      oldRating: 1210,
      rated: true,
      lastPath: null,
      board: toWireBoard(INITIAL_POSITION, BLACK),
    });
    assert.match(t.last().status, /You won: jen ran out of time/);
    t.link().events.rematchOffered();
    assert.equal(t.last().standard?.rematch, 'asked-by-opponent');
    t.session.rematch();
    t.session.rematch();
    assert.deepEqual(
      t
        .link()
        .commands()
        .filter((c) => c === 'Rematch'),
      ['Rematch'],
    );
    startGame(t, WHITE, 2);
    assert.equal(t.last().phase, 'game');
    assert.equal(t.last().game?.color, WHITE);
    assert.match(t.last().status, /^Rematch against jen/);
  });

  it('a dropped connection in a game comes back with the token and no password', () => {
    const t = setup();
    logIn(t);
    startGame(t, BLACK, 9);
    t.link().events.turn(turn(INITIAL_POSITION, BLACK, null), true);
    t.link().drop();
    assert.equal(t.last().phase, 'reconnecting');
    t.timers.advance(500);
    assert.equal(t.links.length, 2);
    t.link().events.open();
    assert.deepEqual(t.link().sent[0], { command: 'Resume', args: ['cam', [...TOKEN]] });
    t.link().events.loggedIn({ token: TOKEN, rating: 1210, validSeconds: 86_400, gameFollows: true });
    startGame(t, BLACK, 9);
    assert.match(t.last().status, /Back in your game against jen/);
    t.link().events.turn(turn(INITIAL_POSITION, BLACK, null), true);
    assert.equal(t.last().game?.myTurn, true);
  });

  it('another window taking over keeps the shared token but does not take the game back', () => {
    const t = setup();
    logIn(t);
    startGame(t, BLACK);
    t.link().drop('takeover');
    t.timers.advance(60_000);
    assert.equal(t.links.length, 1);
    assert.equal(t.last().phase, 'login');
    assert.match(t.last().error ?? '', /took over/);
    assert.notEqual(t.storage.getItem(RESUME_KEY), null);
  });

  it('logging out forgets the token', () => {
    const t = setup();
    logIn(t);
    t.session.logOut();
    assert.equal(t.link().commands().at(-1), 'LogOut');
    assert.equal(t.storage.getItem(RESUME_KEY), null);
    assert.equal(t.last().phase, 'login');
  });

  it('a server that offers only version 1 hands the login over to version 1, with a notice', () => {
    const t = setup();
    t.session.login('cam', 'mac');
    t.link().events.open();
    t.link().events.invalidVersion(1, 1);
    assert.deepEqual(t.fallbacks, [['cam', 'mac']]);
  });

  it('the play client switches to a version-1 session that keeps the password in memory only', () => {
    const t = setup();
    const memory = new MemoryStorage();
    const sockets: string[] = [];
    const client = new PlayClient(
      t.session,
      () =>
        new PlaySession({
          url: 'ws://127.0.0.1:1/play',
          createSocket: (url) => {
            sockets.push(url);
            return {
              binaryType: 'blob',
              send() {},
              close() {},
              onopen: null,
              onmessage: null,
              onclose: null,
              onerror: null,
            };
          },
          storage: memory,
          timers: t.timers,
        }),
    );
    const views: PlayView[] = [];
    client.subscribe((view) => views.push(view));
    client.fallBack('cam', 'mac');
    assert.equal(client.version, 1);
    assert.equal(sockets.length, 1);
    assert.equal(views.at(-1)?.notice, VERSION_1_NOTICE);
    assert.equal(views.at(-1)?.version, 1);
    assert.deepEqual(views.at(-1)?.timeControls, []);
    assert.equal(t.storage.items.size + t.tab.items.size, 0);
    client.dispose();
  });

  it('no legal move is offered while the opponent moves, and a refused move comes back', () => {
    const t = setup();
    logIn(t);
    startGame(t, BLACK);
    t.link().events.turn(turn(INITIAL_POSITION, BLACK, null), true);
    const move = legalMoves(INITIAL_POSITION)[0] as Move;
    t.session.play(move);
    assert.deepEqual(t.last().game?.legal, []);
    assert.match(t.session.play(move) ?? '', /not your move/);
    t.link().events.illegalMove([move.from + 1, (move.path[0] as number) + 1], 0);
    assert.match(t.last().status, /refused .*not a legal move here\. It is still your move\./);
    assert.equal(t.last().game?.myTurn, true);
    assert.deepEqual(t.last().game?.position, { ...INITIAL_POSITION, turn: BLACK });
  });
});

describe('the version-2 play session, refused versions', () => {
  it('says in words why a version the page speaks was refused, and which versions the server speaks otherwise', () => {
    const t = setup();
    t.session.login('cam', 'mac');
    t.link().events.open();
    t.link().events.invalidVersion(2, 2);
    assert.match(t.last().error ?? '', /serves encrypted connections only\. Open the page with https:\/\//);
    t.session.login('cam', 'mac');
    t.link().events.open();
    t.link().events.invalidVersion(4, 3);
    assert.match(t.last().error ?? '', /speaks protocol versions 3 to 4/);
    assert.deepEqual(t.fallbacks, []);
  });
});

describe('the version-2 play session after a reload', () => {
  it('keeps the move list and position, and the opponent’s capture made during the reload joins the list', () => {
    const t = setup();
    logIn(t);
    startGame(t, BLACK, 12);
    const byText = (position: Position, text: string) =>
      legalMoves(position).find((move) => pathText(move) === text) as Move;
    let position: Position = INITIAL_POSITION;
    t.link().events.turn(turn(position, BLACK, null), true);
    t.session.play(byText(position, '11-15'));
    position = applyMove(position, byText(position, '11-15'));
    t.link().events.turn(turn(position, BLACK, [11, 15]), false);
    position = applyMove(position, byText(position, '22-18'));
    t.link().events.turn(turn(position, BLACK, [22, 18]), true);
    t.session.play(byText(position, '15x22'));
    position = applyMove(position, byText(position, '15x22'));
    t.link().events.turn(turn(position, BLACK, [15, 22]), false);
    // The page reloads (the same tab's storage); meanwhile White takes back, a capture only legal here.
    const recapture = legalMoves(position)[0] as Move;
    const after = applyMove(position, recapture);
    const again = setup({ storage: t.storage, tab: t.tab });
    assert.equal(again.session.resume(), true);
    again.link().events.open();
    again.link().events.loggedIn({ token: TOKEN, rating: 1210, validSeconds: 86_400, gameFollows: true });
    startGame(again, BLACK, 12);
    again.link().events.turn(turn(after, BLACK, [recapture.from + 1, ...recapture.path.map((b) => b + 1)]), true);
    assert.deepEqual(
      again.last().game?.record.map((entry) => entry.text),
      ['11-15', '22-18', '15x22', pathText(recapture)],
    );
    assert.match(again.last().status, new RegExp(`jen played ${pathText(recapture)}\\. Your move`));
  });
});

describe('the version-2 play session, joining the queue', () => {
  it('a second click while queued sends nothing; after the connection closed it logs in with the token, then seeks', () => {
    const t = setup();
    logIn(t);
    t.session.joinQueue();
    t.session.joinQueue();
    assert.deepEqual(t.link().commands(), ['Connect', 'Seek']);
    assert.equal(t.links.length, 1);
    t.session.leaveQueue();
    t.link().drop();
    assert.equal(t.last().phase, 'lobby');
    t.session.joinQueue();
    assert.equal(t.links.length, 2);
    t.link().events.open();
    assert.equal(t.link().commands()[0], 'Resume');
    t.link().events.loggedIn({ token: TOKEN, rating: 1210, validSeconds: 86_400, gameFollows: false });
    assert.deepEqual(t.link().commands(), ['Resume', 'Seek']);
    assert.equal(t.last().phase, 'queue');
  });
});
