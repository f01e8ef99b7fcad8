import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { toWireBoard } from '../../../src/common/wire.js';
import { BLACK, INITIAL_POSITION } from '../../../src/game/position.js';
import type { MessageV2 } from '../../../src/protocol/index.js';
import {
  FakeServers,
  gameStartV2,
  loggedInV2,
  pipedClient,
  SCRIPTED_TOKEN,
  yourMoveV2,
} from '../../support/scripted-client.js';

const CODE = Uint8Array.from({ length: 16 }, (_, i) => i);
const HEX = '000102030405060708090a0b0c0d0e0f';
const loggedIn = loggedInV2();
const gameStart = (colour: number, rated: boolean) =>
  gameStartV2({ colour, rated, initialSeconds: 600, incrementSeconds: 5 });
const yourMove = yourMoveV2({ yourClockMs: 600_000, opponentClockMs: 600_000 });
const servers = new FakeServers();

/** The terminal client's challenges, invites, guest login and hints, message by message against a scripted server. */
describe('the terminal client plays a friend, scripted against a fake server', () => {
  after(() => servers.closeAll());

  it('--challenge sends the choices, says the challenge expired; invite prints the link and the code', async () => {
    const sent: MessageV2[] = [];
    let port = 0;
    const server = await servers.start(async (peer) => {
      await peer.nextV2('Connect');
      peer.send(loggedIn);
      sent.push(await peer.nextV2('Challenge'));
      peer.send({ type: 'ChallengeDeclined', reason: 3 });
      sent.push(await peer.nextV2('CreateInvite'));
      peer.send({ type: 'InviteCreated', code: CODE, validSeconds: 600 });
      peer.send(gameStart(1, false), { ...yourMove, type: 'TheirMove' });
      await peer.nextV2('LogOut');
    });
    port = server.port;
    const player = pipedClient(
      port,
      ...['--username', 'cam', '--password', 'mac', '--challenge', 'jen', '--time-control', '10+5'],
      ...['--colour', 'black', '--opening', 'three-move', '--rated'],
    );
    await player.waitFor(/jen did not answer within 60 s: the challenge expired\./);
    await player.waitFor(/Lobby: type play, challenge NAME, invite, join CODE, help or quit/);
    player.type('invite');
    await player.waitFor(/jen joined your invite\.\n\n=== New game \(10\+5, unrated\)/);
    player.end();
    assert.equal(await player.exited, 0);
    const terms = { initialSeconds: 600, incrementSeconds: 5, colour: 0, rated: true, opening: 1 };
    assert.deepEqual(sent, [
      { type: 'Challenge', opponent: 'jen', ...terms },
      { type: 'CreateInvite', ...terms },
    ]);
    const { stdout } = player.output();
    assert.match(stdout, /You challenge jen \(10\+5, rated, you play Black, a three-move opening drawn at random\)/);
    assert.match(
      stdout,
      new RegExp(
        `Your invite \\(10\\+5, rated, you play Black, a three-move opening drawn at random\\) is valid for 10 minutes, for one game\\.\\nA friend opens this link in a browser:\\n  http://127\\.0\\.0\\.1:${port}/invite/${HEX}\\nor, in a terminal, runs checkers-client --join ${HEX}`,
      ),
    );
  });

  it('--guest --join logs in as a guest, joins by the code, and says why the invite was refused', async () => {
    const sent: MessageV2[] = [];
    const server = await servers.start(async (peer) => {
      sent.push(await peer.nextV2('Guest'));
      peer.send({ type: 'GuestLoggedIn', name: 'guest-12345', token: SCRIPTED_TOKEN, tokenSeconds: 86_400 });
      sent.push(await peer.nextV2('JoinInvite'));
      peer.send({ type: 'InviteRefused', reason: 3 });
      await peer.nextV2('LogOut');
    });
    const player = pipedClient(server.port, '--guest', '--join', `http://127.0.0.1:8864/invite/${HEX.toUpperCase()}`);
    await player.waitFor(/That invite is for a rated game: log in with an account to play it/);
    await player.waitFor(/Lobby: type challenge NAME, invite, join CODE, help or quit/);
    player.end();
    assert.equal(await player.exited, 0);
    assert.deepEqual(sent[0], { type: 'Guest', version: 2 });
    const join = sent[1];
    assert.equal(join?.type, 'JoinInvite');
    assert.deepEqual(join?.type === 'JoinInvite' && [...join.code], [...CODE], 'the code the link carries');
    assert.match(player.output().stdout, /You play as guest-12345, a guest: casual games, no rating\./);
    assert.doesNotMatch(player.output().stdout, /Time control/, 'a join asks for no time control');
  });

  it('a server with guests off: the client says so and exits 1', async () => {
    const server = await servers.start(async (peer) => {
      await peer.nextV2('Guest');
      peer.send({ type: 'InvalidLogin', reason: 4 });
    });
    const player = pipedClient(server.port, '--guest', '--computer', '1');
    assert.equal(await player.exited, 1);
    assert.match(player.output().stdout, /Guest login refused: this server does not allow guests; log in or sign up\./);
  });

  it('announces a challenge made while it waits in the lobby, and accepts it by its number', async () => {
    const sent: MessageV2[] = [];
    const server = await servers.start(async (peer) => {
      await peer.nextV2('Guest');
      peer.send({ type: 'GuestLoggedIn', name: 'guest-00042', token: SCRIPTED_TOKEN, tokenSeconds: 86_400 });
      const offer = { type: 'ChallengeOffered', challenger: 'jen', challengerRating: 1210 } as const;
      const terms = { initialSeconds: 300, incrementSeconds: 3, colour: 1, rated: false, opening: 0 } as const;
      peer.send({ ...offer, challengeId: 4, ...terms }, { ...offer, challengeId: 5, challenger: 'kim', ...terms });
      peer.send({ type: 'ChallengeGone', challengeId: 4 });
      sent.push(await peer.nextV2('AnswerChallenge'));
      peer.send(gameStart(1, false));
      await peer.nextV2('LogOut');
    });
    const player = pipedClient(server.port, '--guest');
    await player.waitFor(/jen's challenge is off: withdrawn, expired, or jen left\./);
    player.type('accept 5');
    await player.waitFor(/You accept kim's challenge\.\nThe game of jen's challenge begins\.|=== New game/);
    player.end();
    assert.equal(await player.exited, 0);
    assert.deepEqual(sent, [{ type: 'AnswerChallenge', challengeId: 5, accept: true }]);
    assert.match(player.output().stdout, /Type accept 5 to play, or decline 5 \(2 challenges are open\)\./);
  });

  it('--computer with --colour random asks the server to draw the colour; hint shows the suggestion and the result counts it', async () => {
    const sent: MessageV2[] = [];
    const server = await servers.start(async (peer) => {
      await peer.nextV2('Connect');
      peer.send(loggedIn);
      sent.push(await peer.nextV2('PlayComputer'));
      peer.send({ ...gameStart(0, false), opponent: 'checkers-bot' }, yourMove);
      sent.push(await peer.nextV2('Hint'));
      peer.send({ type: 'HintMove', path: [11, 15] });
      sent.push(await peer.nextV2('MovePath'));
      peer.send({
        type: 'GameOver2',
        result: 0,
        reason: 1,
        newRating: 1200,
        oldRating: 1200,
        rated: false,
        lastPath: null,
        board: toWireBoard(INITIAL_POSITION, BLACK),
      });
      await peer.nextV2('LogOut');
    });
    const player = pipedClient(
      server.port,
      ...['--username', 'cam', '--password', 'mac', '--computer', '2', '--colour', 'random', '--time-control', '10+5'],
    );
    player.type('hint');
    await player.waitFor(/Hint: 11-15 \(hint 1 in this game\)\./);
    player.type('11-15');
    await player.waitFor(/You took 1 hint in this game\./);
    player.end();
    assert.equal(await player.exited, 0);
    assert.deepEqual(sent, [
      { type: 'PlayComputer', level: 2, initialSeconds: 600, incrementSeconds: 5, rated: false, colour: 2, opening: 0 },
      { type: 'Hint' },
      { type: 'MovePath', path: [11, 15] },
    ]);
  });

  it('a guest plays the computer from the lobby with computer LEVEL; a busy computer leaves them in the lobby', async () => {
    const sent: MessageV2[] = [];
    const server = await servers.start(async (peer) => {
      await peer.nextV2('Guest');
      peer.send({ type: 'GuestLoggedIn', name: 'guest-12345', token: SCRIPTED_TOKEN, tokenSeconds: 86_400 });
      sent.push(await peer.nextV2('PlayComputer'));
      peer.send({ type: 'ComputerBusy' });
      sent.push(await peer.nextV2('PlayComputer'));
      peer.send({ ...gameStart(1, false), opponent: 'checkers-bot' }, { ...yourMove, type: 'TheirMove' });
      await peer.nextV2('LogOut');
    });
    const player = pipedClient(server.port, '--guest', '--opening', 'three-move', '--time-control', '10+5');
    await player.waitFor(/Lobby: type challenge NAME, invite, join CODE, help or quit/);
    player.type('computer 3');
    await player.waitFor(/The computer is busy[^\n]*\nTry again in a minute, or play a friend\./);
    player.type('computer 2');
    await player.waitFor(/=== New game \(10\+5, unrated\)/);
    player.end();
    assert.equal(await player.exited, 0);
    const request = { type: 'PlayComputer', initialSeconds: 600, incrementSeconds: 5, rated: false, opening: 1 };
    assert.deepEqual(sent, [
      { ...request, level: 3, colour: 0 },
      { ...request, level: 2, colour: 0 },
    ]);
    assert.match(player.output().stdout, /Asking the computer \(level 2\) for a casual game \(10\+5\)/);
  });

  it("a guest's dropped game is resumed with the guest's name and token, no password", async () => {
    let resume: MessageV2 | undefined;
    let connections = 0;
    const server = await servers.start(async (peer) => {
      connections++;
      if (connections === 1) {
        await peer.nextV2('Guest');
        peer.send({ type: 'GuestLoggedIn', name: 'guest-31337', token: SCRIPTED_TOKEN, tokenSeconds: 86_400 });
        await peer.nextV2('JoinInvite');
        peer.send(gameStart(0, false), yourMove);
        // The connection drops in the middle of the game.
        setTimeout(() => peer.socket.destroy(), 200);
        return;
      }
      resume = await peer.nextV2('Resume');
      peer.send({ ...loggedIn, rating: 0, flags: 1 }, gameStart(0, false), yourMove);
      await peer.nextV2('LogOut');
    });
    const player = pipedClient(server.port, '--guest', '--join', HEX);
    await player.waitFor(/Reconnected; resuming the session with its token/);
    await player.waitFor(/=== Back in your game/);
    player.end();
    assert.equal(await player.exited, 0);
    assert.deepEqual(resume && { ...resume, token: [...(resume.type === 'Resume' ? resume.token : [])] }, {
      type: 'Resume',
      version: 2,
      username: 'guest-31337',
      token: [...SCRIPTED_TOKEN],
    });
  });
});
