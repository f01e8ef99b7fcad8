import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { toWireBoard } from '../../src/common/wire.js';
import { BLACK, INITIAL_POSITION, positionFromSquares } from '../../src/game/position.js';
import { type Message, NO_MOVE } from '../../src/protocol/index.js';
import { type FakePeer, rawGameStart } from '../support/fake-server.js';
import { FakeServers, pipedClient } from '../support/scripted-client.js';

const start = toWireBoard(INITIAL_POSITION, BLACK);
const queued: Message = { type: 'QueuePosition', queueSize: 1, position: 1, rating: 1200 };
const jen: Message = { type: 'GameStart', opponent: 'jen', opponentRating: 1250 };
const firstTurn: Message = { type: 'YourTurn', lastMove: NO_MOVE, board: start };
/** A YourTurn whose board is 24 bytes of 0xFF: pieces on every light square. */
const unreadableTurn = Uint8Array.from([0x05, 0x36, ...new Array<number>(24).fill(0xff)]);
const stuckBoard = toWireBoard(positionFromSquares({ black: [25], white: [29, 30] }), BLACK);
const crowdedBoard = toWireBoard(
  positionFromSquares({
    black: Array.from({ length: 16 }, (_, i) => i + 1),
    white: Array.from({ length: 16 }, (_, i) => i + 17),
  }),
  BLACK,
);
/** Escape sequences that would clear the screen and set the window title, and a C1 CSI, as an opponent's name. */
const hostileName = Uint8Array.from([...Buffer.from('\x1b[2J\x1b]0;pwned\x07', 'latin1'), 0x9b, 0x41]);

const servers = new FakeServers();
const fake = (serve: (peer: FakePeer) => void | Promise<void>) => servers.start(serve);

/** These fake servers speak version 1 (the client's own version 2 is tested in test/client/v2/). */
function client(port: number, ...extra: string[]) {
  return pipedClient(port, '--protocol', '1', ...extra);
}

function bot(port: number, ...extra: string[]) {
  return client(port, '--bot', '--username', 'cam', '--password', 'mac', '--level', '1', ...extra);
}

function assertNoControls(text: string): void {
  // Only newlines may be control characters; no ESC, BEL or C1 byte reaches the terminal.
  const control = [...text].find((char) => {
    const code = char.charCodeAt(0);
    return char !== '\n' && (code < 0x20 || (code >= 0x7f && code <= 0x9f));
  });
  assert.equal(control, undefined, `a control character 0x${control?.charCodeAt(0).toString(16)} got through`);
}

describe('the client against a hostile or broken server', () => {
  after(() => servers.closeAll());

  it('keeps a GameStart and YourTurn that arrive in the same read as the login answer', async () => {
    const server = await fake(async (peer) => {
      await peer.next('Connect');
      // What the server sends a player coming back to a waiting game: 03 04 05 in one write, 60 bytes.
      peer.send(queued, jen, firstTurn);
    });
    const player = client(server.port, '--username', 'cam', '--password', 'mac');
    await player.waitFor(
      /=== Back in your game: you \(1200\) against jen \(1250\) ===\nIt was already in progress; another client logged in to this account, if any, was disconnected\./,
    );
    await player.waitFor(/Your move, Black\. Legal: 9-13 9-14 10-14 10-15 11-15 11-16 12-16/);
    player.end();
    assert.equal(await player.exited, 0);
    assert.equal((await server.peers[0]?.next('LogOut'))?.type, 'LogOut');
  });

  it('escapes control characters in the opponent name, in the terminal client', async () => {
    const server = await fake(async (peer) => {
      await peer.next('Connect');
      peer.send(queued, rawGameStart(hostileName, 1250), firstTurn);
      peer.send({ type: 'OpponentDisconnect' });
    });
    // ASCII pieces: a UTF-8 piece has bytes in the C1 range too.
    const player = client(server.port, '--username', 'cam', '--password', 'mac', '--ascii');
    await player.waitFor(/left the game: you win by forfeit/);
    player.end();
    await player.exited;
    const shown = player.rawOutput().stdout;
    assertNoControls(shown);
    assert.match(shown, /against \\x1b\[2J\\x1b\]0;pwned\\x07\\x9bA \(1250\)/);
    assert.match(shown, /\\x1b\[2J\\x1b\]0;pwned\\x07\\x9bA left the game/);
  });

  it('escapes control characters in the opponent name, in the bot, and in --verbose', async () => {
    const server = await fake(async (peer) => {
      await peer.next('Connect');
      peer.send(queued, rawGameStart(hostileName, 1250));
      peer.send({ type: 'OpponentDisconnect' });
    });
    const player = bot(server.port, '--verbose');
    assert.equal(await player.exited, 0);
    const { stdout, stderr } = player.rawOutput();
    assertNoControls(stdout);
    assertNoControls(stderr);
    assert.match(stdout, /cam: game 1: won: \\x1b\[2J\\x1b\]0;pwned\\x07\\x9bA \(1250\) left the game/);
  });

  it('gives up with one line on a server that accepts the connection and never answers the login', async () => {
    const server = await fake(() => {});
    const player = client(server.port, '--username', 'cam', '--password', 'mac', '--timeout', '1');
    const robot = bot(server.port, '--timeout', '1');
    assert.equal(await player.exited, 1);
    assert.equal(await robot.exited, 1);
    const expected =
      /the server did not answer the login within 1 s \(it may be overloaded, or not a checkers server\)/;
    assert.match(player.output().stdout, expected);
    assert.match(robot.output().stdout, expected);
  });

  it('says that a server which closes during login may be limiting logins', async () => {
    const server = await fake(async (peer) => {
      await peer.next('Connect');
      peer.close();
    });
    const player = client(server.port, '--username', 'cam', '--password', 'mac');
    const robot = bot(server.port);
    assert.equal(await player.exited, 1);
    assert.equal(await robot.exited, 1);
    const expected =
      /the server closed the connection during login; it may be limiting login attempts from your address: wait a minute and try again/;
    assert.match(player.output().stdout, expected);
    assert.match(robot.output().stdout, expected);
  });

  for (const [what, turn, expected] of [
    [
      'no legal move',
      { type: 'YourTurn', lastMove: 0x36, board: stuckBoard } as Message,
      'the server says it is your move, but you have no legal move on its board',
    ],
    ['an unreadable board', unreadableTurn, 'the server sent a board that cannot be read (a piece on the light square'],
    [
      'an impossible board',
      { type: 'YourTurn', lastMove: 0x36, board: crowdedBoard } as Message,
      'the server sent a board that cannot happen in a game (more than 12 pieces of one colour)',
    ],
  ] as const) {
    it(`says what is wrong with a turn with ${what}, instead of asking for a move`, async () => {
      const server = await fake(async (peer) => {
        await peer.next('Connect');
        peer.send(queued, jen, firstTurn);
        await peer.next('MakeMove');
        peer.send(turn);
      });
      const player = client(server.port, '--username', 'cam', '--password', 'mac');
      player.type('11-15', '12-16');
      const shown = await player.waitFor(/Cannot play on: .*\n/);
      assert.ok(shown.includes(`Cannot play on: ${expected}`), shown);
      await player.waitFor(/Not sent: /);
      const afterProblem = shown.slice(shown.indexOf('Cannot play on'));
      assert.doesNotMatch(afterProblem, /Your move|It is not your turn/);
      player.end();
      assert.equal(await player.exited, 0);
      assert.equal(server.peers[0]?.received.filter((message) => message.type === 'MakeMove').length, 0);
    });
  }

  for (const [what, turn, expected] of [
    ['no legal move', { type: 'YourTurn', lastMove: 0x36, board: stuckBoard } as Message, 'I have no legal move'],
    ['an unreadable board', unreadableTurn, 'cannot read the board the server sent'],
    [
      'an impossible board',
      { type: 'YourTurn', lastMove: 0x36, board: crowdedBoard } as Message,
      'more than 12 pieces of one colour',
    ],
  ] as const) {
    it(`the bot logs out of a turn with ${what} and says why`, async () => {
      const server = await fake(async (peer) => {
        await peer.next('Connect');
        peer.send(queued, jen, firstTurn);
        await peer.next('MakeMove');
        peer.send(turn);
      });
      const robot = bot(server.port);
      assert.equal(await robot.exited, 1);
      assert.ok(robot.output().stdout.includes(expected), robot.output().stdout);
      assert.match(robot.output().stdout, /; logging out\n/);
      assert.equal((await server.peers[0]?.next('LogOut'))?.type, 'LogOut');
    });
  }

  it('the bot stops a game in which the server refuses every move', async () => {
    const server = await fake(async (peer) => {
      await peer.next('Connect');
      peer.send(queued, jen, firstTurn);
      for (;;) {
        const move = await peer.next('MakeMove');
        if (move.type === 'MakeMove') peer.send({ type: 'InvalidMove', move: move.move, board: start });
      }
    });
    const robot = bot(server.port);
    assert.equal(await robot.exited, 1);
    assert.match(robot.output().stdout, /the server refused 3 moves in a row in one turn; logging out/);
    const peer = server.peers[0];
    assert.ok(peer);
    assert.equal(peer.received.filter((message) => message.type === 'LogOut').length, 1);
  });

  it("shows the opponent's step before the capture it forced, then the capture", async () => {
    const server = await fake(async (peer) => {
      await peer.next('Connect');
      peer.send(queued, jen, firstTurn);
      await peer.next('MakeMove');
      // Black played 11-15, White 22-18 (never sent), and the server plays Black's 15x22.
      const { playV1Step, legalSteps, newV1Game } = await import('../../src/game/v1.js');
      const { bitOfSquare } = await import('../../src/game/squares.js');
      const { moveByteOf } = await import('../../src/common/wire.js');
      let game = newV1Game();
      for (const [from, to] of [
        [11, 15],
        [22, 18],
      ] as const) {
        const found = legalSteps(game).find((s) => s.from === bitOfSquare(from) && s.to === bitOfSquare(to));
        assert.ok(found);
        const outcome = playV1Step(game, found.from, found.direction);
        assert.ok(outcome.ok);
        game = outcome.game;
        const jump = outcome.events.find((event) => event.kind === 'jump');
        if (jump?.kind === 'jump') {
          peer.send({
            type: 'CompulsoryMove',
            move: moveByteOf(jump.from, jump.direction),
            board: toWireBoard(jump.position, BLACK),
          });
        }
      }
    });
    const player = client(server.port, '--username', 'cam', '--password', 'mac');
    player.type('11-15');
    const shown = await player.waitFor(/Forced capture: you 15x22/);
    assert.match(shown, /You played 11-15\.[\s\S]*jen played 22-18\.\nForced capture: you 15x22/);
    player.end();
    await player.exited;
  });

  it('tells the new rating after a win by forfeit, from the next QueuePosition', async () => {
    const server = await fake(async (peer) => {
      await peer.next('Connect');
      // jen moves first and leaves: the scripted "y" waits for the question it answers.
      peer.send(queued, { type: 'GameStart', opponent: 'jen', opponentRating: 1150 });
      peer.send({ type: 'OpponentDisconnect' });
      await peer.next('ReQueue');
      peer.send({ type: 'QueuePosition', queueSize: 1, position: 1, rating: 1214 });
    });
    const player = client(server.port, '--username', 'cam', '--password', 'mac');
    player.type('y');
    await player.waitFor(/Rating 1200 -> 1214 \(\+14\) after the win by forfeit\./);
    player.end();
    assert.equal(await player.exited, 0);
  });

  it('without a terminal, an interrupt mid-game leaves at once and says the game was forfeited', async () => {
    const server = await fake(async (peer) => {
      await peer.next('Connect');
      peer.send(queued, jen, firstTurn);
    });
    const player = client(server.port, '--username', 'cam', '--password', 'mac');
    await player.waitFor(/Your move, Black/);
    player.child.kill('SIGINT');
    assert.equal(await player.exited, 0);
    assert.match(
      player.output().stdout,
      /Interrupted; logging out\.\nYou forfeited the game against jen: it counts as a loss\. Your rating was 1200; the server tells the new one at your next login\.\nLogged out\. Bye\./,
    );
    assert.equal((await server.peers[0]?.next('LogOut'))?.type, 'LogOut');
  });

  it('stops reconnecting when the rejoin is refused because another client is logged in', async () => {
    const server = await fake(async (peer) => {
      await peer.next('Connect');
      if (server.peers.length === 1) {
        peer.send(queued, jen, firstTurn);
        await new Promise((resolve) => setTimeout(resolve, 100));
        peer.close();
      } else {
        peer.send({ type: 'InvalidLogin', reason: 2 });
      }
    });
    const player = client(server.port, '--username', 'cam', '--password', 'mac');
    assert.equal(await player.exited, 1);
    assert.match(
      player.output().stdout,
      /Disconnected: the server closed the connection\.\nReconnecting in 1 s \(attempt 1 of 3\)\.\.\.[\s\S]*Could not log in again: another client is logged in to this account now\. Not reconnecting\./,
    );
    assert.equal(server.peers.length, 2);
  });

  it('stops reconnecting by itself after 5 rejoins in one game, however the connections end', async () => {
    const server = await fake(async (peer) => {
      await peer.next('Connect');
      peer.send(queued, jen, firstTurn);
      await new Promise((resolve) => setTimeout(resolve, 50));
      // A reset, not an orderly close: this is not recognised as a takeover.
      peer.socket.resetAndDestroy();
    });
    const player = client(server.port, '--username', 'cam', '--password', 'mac');
    assert.equal(await player.exited, 1);
    const { stdout } = player.output();
    assert.equal(stdout.match(/Reconnected; logging in again/g)?.length, 5, stdout);
    assert.match(stdout, /The connection was lost 6 times in this game; not reconnecting by itself\./);
    assert.equal(server.peers.length, 6);
  });

  it('warns before the move clock runs out (--move-timeout)', async () => {
    const server = await fake(async (peer) => {
      await peer.next('Connect');
      peer.send(queued, jen, firstTurn);
    });
    const player = client(server.port, '--username', 'cam', '--password', 'mac', '--move-timeout', '11');
    await player.waitFor(/Your move, Black/);
    await player.waitFor(/About 10 s left to move!/, 5000);
    player.end();
    assert.equal(await player.exited, 0);
  });
});
