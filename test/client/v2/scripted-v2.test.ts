import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { toWireBoard } from '../../../src/common/wire.js';
import { BLACK, INITIAL_POSITION, positionFromSquares } from '../../../src/game/position.js';
import type { MessageV2 } from '../../../src/protocol/index.js';
import { passwordHashesComputed } from '../../../src/server/passwords.js';
import { addPlayers, TEST_PASSWORD } from '../../support/accounts.js';
import { DroppingProxy } from '../../support/proxy.js';
import { RawClient } from '../../support/raw-client.js';
import {
  FakeServers,
  gameStartV2,
  loggedInV2,
  pipedClient,
  SCRIPTED_TOKEN,
  yourMoveV2,
} from '../../support/scripted-client.js';
import { startTestServer } from '../../support/test-server.js';
import { loginV2, seek } from '../../support/v2-game.js';

const queued: MessageV2 = { type: 'QueuePosition', queueSize: 1, position: 1, rating: 1200 };
const gameStart = gameStartV2();
const yourMove = (board = toWireBoard(INITIAL_POSITION, BLACK), lastPath: number[] | null = null) =>
  yourMoveV2({ board, lastPath });
const servers = new FakeServers();

describe('the terminal client on protocol version 2, scripted against a fake server', () => {
  after(() => servers.closeAll());

  it('logs in with version 2, seeks 5+3 by default, sends a typed path, and explains a path that stops short', async () => {
    // Black on 13 must take 17 and then 26: 13x22x31.
    const capture = toWireBoard(positionFromSquares({ black: [13, 1], white: [17, 26, 32] }), BLACK);
    let seek: MessageV2 | undefined;
    let move: MessageV2 | undefined;
    const server = await servers.start(async (peer) => {
      const connect = await peer.nextV2('Connect');
      assert.equal(connect.type === 'Connect' && connect.version, 2);
      peer.send(loggedInV2());
      seek = await peer.nextV2('Seek');
      peer.send(queued);
      peer.send(gameStart, yourMove(capture, [30, 26]));
      move = await peer.nextV2('MovePath');
      peer.send({ ...yourMove(capture), type: 'TheirMove', lastPath: [13, 22, 31] });
      await peer.nextV2('LogOut');
    });
    const player = pipedClient(server.port, '--username', 'cam', '--password', 'mac');
    player.type('13x22', '13x22x31');
    await player.waitFor(/You played 13x22x31\./);
    player.end();
    assert.equal(await player.exited, 0);
    assert.deepEqual(seek, { type: 'Seek', initialSeconds: 300, incrementSeconds: 3 });
    assert.deepEqual(move, { type: 'MovePath', path: [13, 22, 31] });
    const { stdout } = player.output();
    assert.match(stdout, /=== New game \(5\+3, rated\): you \(1200\) against jen \(1210\) ===/);
    assert.match(stdout, /Clocks: you \*5:00 \| jen 4:58/);
    assert.match(stdout, /Your move\. Legal: 13x22x31/);
    assert.match(stdout, /Not sent: 13x22 stops short: the capture can go on, so give the whole path \(13x22x31\)\./);
    assert.match(stdout, /Input ended; logging out\.\nYou forfeited the game against jen/);
  });

  it('answers a draw offer, shows the result with the rating change, and offers a rematch', async () => {
    const sent: MessageV2[] = [];
    const server = await servers.start(async (peer) => {
      await peer.nextV2('Connect');
      peer.send(loggedInV2());
      await peer.nextV2('Seek');
      peer.send(gameStart, yourMove());
      peer.send({ type: 'DrawOffered' });
      sent.push(await peer.nextV2('AnswerDraw'));
      peer.send({
        type: 'GameOver2',
        result: 2,
        reason: 2,
        newRating: 1203,
        oldRating: 1200,
        rated: true,
        lastPath: null,
        board: toWireBoard(INITIAL_POSITION, BLACK),
      });
      sent.push(await peer.nextV2('Rematch'));
      peer.send({ type: 'RematchOffered' }, { ...gameStart, colour: 1 });
      await peer.nextV2('LogOut');
    });
    const player = pipedClient(server.port, '--username', 'cam', '--password', 'mac', '--time-control', '10+5');
    player.type('accept', 'rematch');
    await player.waitFor(/=== Rematch \(5\+3, rated\)/);
    player.end();
    assert.equal(await player.exited, 0);
    assert.deepEqual(sent, [{ type: 'AnswerDraw', accept: true }, { type: 'Rematch' }]);
    const { stdout } = player.output();
    assert.match(stdout, /jen offers a draw: type accept or decline/);
    assert.match(stdout, /\*\*\* Draw with jen: agreed\. \*\*\*\nRating 1200 -> 1203 \(\+3\)\./);
    assert.match(stdout, /You play White; jen plays Black and moves first\./);
  });

  it('reconnects after a drop with the resume token, never the password', async () => {
    const logins: MessageV2[] = [];
    const server = await servers.start(async (peer) => {
      const login = await peer.nextV2();
      logins.push(login);
      if (login.type === 'Connect') {
        peer.send(loggedInV2());
        await peer.nextV2('Seek');
        peer.send(gameStart, yourMove());
        await new Promise((resolve) => setTimeout(resolve, 200));
        peer.socket.destroy();
        return;
      }
      peer.send(loggedInV2(1), gameStart, yourMove());
      await peer.nextV2('LogOut');
    });
    const player = pipedClient(server.port, '--username', 'cam', '--password', 'mac', '--verbose');
    await player.waitFor(/Back in your game/, 15_000);
    player.end();
    assert.equal(await player.exited, 0);
    assert.equal(logins.length, 2);
    const resume = logins[1];
    assert.equal(resume?.type, 'Resume');
    if (resume?.type === 'Resume') {
      assert.equal(resume.username, 'cam');
      assert.deepEqual([...resume.token], [...SCRIPTED_TOKEN], 'the token LoggedIn gave');
    }
    assert.match(player.output().stdout, /Reconnecting in 1 s[\s\S]*Reconnected; resuming the session with its token/);
    // --verbose hides the token as it hides the password: it logs in as well as a password does.
    const { stderr } = player.output();
    assert.match(stderr, /-> \{"type":"Resume","version":2,"username":"cam","token":"\*\*\*"\}/);
    assert.match(stderr, /<- \{"type":"LoggedIn","token":"\*\*\*"/);
    assert.doesNotMatch(stderr, /160/, 'no byte of the token');
  });

  it('falls back to version 1 on the same connection, with a one-line notice, when the server speaks only version 1', async () => {
    const versions: number[] = [];
    const server = await servers.start(async (peer) => {
      const first = await peer.nextV2('Connect');
      if (first.type === 'Connect') versions.push(first.version);
      peer.send(Uint8Array.of(0x0d, 0x01, 0x01));
      const second = await peer.next('Connect');
      if (second.type === 'Connect') versions.push(second.version);
      peer.send({ type: 'QueuePosition', queueSize: 1, position: 1, rating: 1200 });
      await peer.next('LogOut');
    });
    const player = pipedClient(server.port, '--username', 'cam', '--password', 'mac');
    await player.waitFor(/Waiting for an opponent: 1st of 1/);
    player.end();
    assert.equal(await player.exited, 0);
    assert.deepEqual(versions, [2, 1]);
    const lines = player.output().stdout.split('\n');
    const notice = lines.filter((line) => line.includes('version 1 only'));
    assert.deepEqual(notice, [
      'This server speaks protocol version 1 only: playing by its rules (the server plays every capture for you; no clocks, draw offers or rematches).',
    ]);
  });
});

describe('the terminal client on protocol version 2, reconnecting to a real server', () => {
  it('resumes its game after a drop with the resume token: the server computes no password hash', async (t) => {
    const server = await startTestServer();
    t.after(() => server.stop());
    const proxy = await DroppingProxy.start(server.port);
    t.after(() => proxy.close());
    const [user = '', opponentName = ''] = await addPlayers(server.store, 'drop', 2);
    const player = pipedClient(proxy.port, '--username', user, '--password', TEST_PASSWORD);
    t.after(() => player.child.kill('SIGKILL'));
    await player.waitFor(/Waiting for an opponent \(5\+3\)/);
    const opponent = await RawClient.connectV2(server.port);
    t.after(() => opponent.close());
    await loginV2(opponent, opponentName);
    await seek(opponent, 300, 3);
    await opponent.expect('GameStart2');
    await player.waitFor(/=== New game/);
    const hashes = passwordHashesComputed();
    proxy.dropAll();
    await player.waitFor(/Reconnected; resuming the session with its token/, 15_000);
    await player.waitFor(
      new RegExp(`=== Back in your game \\(5\\+3, rated\\): you \\(1200\\) against ${opponentName}`),
    );
    assert.equal(passwordHashesComputed(), hashes, 'the resume cost no password hash');
    player.end();
    assert.equal(await player.exited, 0);
  });

  it('a client whose game another login took over says so and stops; the game is not bounced back and forth', async (t) => {
    const server = await startTestServer();
    t.after(() => server.stop());
    const [user = '', opponentName = ''] = await addPlayers(server.store, 'twice', 2);
    const args = ['--username', user, '--password', TEST_PASSWORD];
    const first = pipedClient(server.port, ...args);
    t.after(() => first.child.kill('SIGKILL'));
    await first.waitFor(/Waiting for an opponent/);
    const opponent = await RawClient.connectV2(server.port);
    t.after(() => opponent.close());
    await loginV2(opponent, opponentName);
    await seek(opponent, 300, 3);
    await first.waitFor(/=== New game/);
    const second = pipedClient(server.port, ...args);
    t.after(() => second.child.kill('SIGKILL'));
    // The first client takes the game back once by itself, the second one too; then the first stops.
    assert.equal(await first.exited, 1);
    assert.match(
      first.output().stdout,
      /Disconnected again right after taking the game back: another client is logged in to this account and keeps taking the game over\.\nNot reconnecting\./,
    );
    await second.waitFor(/Reconnected; resuming the session with its token[\s\S]*=== Back in your game/);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    assert.equal(second.output().stdout.match(/Reconnecting in/g)?.length, 1, second.output().stdout);
    assert.equal(second.child.exitCode, null, 'the second client plays on');
    second.end();
    assert.equal(await second.exited, 0);
  });
});
