import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { toWireBoard } from '../../src/common/wire.js';
import { BLACK, INITIAL_POSITION, WHITE } from '../../src/game/position.js';
import { type Message, NO_MOVE } from '../../src/protocol/index.js';
import { skipUnless } from '../support/capability.js';
import { FakeServer } from '../support/fake-server.js';
import { legalMoveByte } from '../support/player.js';
import { DroppingProxy } from '../support/proxy.js';
import { RawClient } from '../support/raw-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { TmuxSession, tmuxAvailable } from '../support/tmux.js';

const CLIENT = fileURLToPath(new URL('../../src/client/cli.js', import.meta.url));
const start = toWireBoard(INITIAL_POSITION, BLACK);
const queued: Message = { type: 'QueuePosition', queueSize: 1, position: 1, rating: 1200 };
const firstTurn: Message = { type: 'YourTurn', lastMove: NO_MOVE, board: start };
const skip = skipUnless(tmuxAvailable() ? undefined : 'tmux is not installed');

function clientCommand(port: number, extra = ''): string {
  // Version 1 as it always was (version 2 in a real terminal: test/client/v2/terminal-v2-e2e.test.ts).
  return `LANG=C.UTF-8 ${process.execPath} ${CLIENT} --host 127.0.0.1 --port ${port} --protocol 1 ${extra}`;
}

/** The last "Legal moves:" list on the screen. */
function legalMoves(screen: string): string[] {
  const lines = screen.split('\n').filter((line) => line.startsWith('Legal moves: '));
  return (lines.at(-1) ?? '').replace('Legal moves: ', '').trim().split(/\s+/);
}

describe('the terminal client in a real terminal', { skip }, () => {
  let server: TestServer;
  const sessions: TmuxSession[] = [];
  before(async () => {
    // A short move clock lets the test end a game by letting the scripted opponent stall.
    server = await startTestServer({ timing: { moveTimeoutMs: 3000 } });
  });
  after(async () => {
    for (const session of sessions) session.kill();
    await server.stop();
  });

  it('logs in after a wrong password, waits, plays to GameOver, plays again, quits', async () => {
    const tty = TmuxSession.start('play', clientCommand(server.port));
    sessions.push(tty);
    await tty.waitFor(/Username/);
    tty.type('cam');
    await tty.waitFor(/Password/);
    tty.type('wrong');
    await tty.waitFor(/Login refused: wrong password\. Try again\./);
    await tty.waitFor(/Username.*cam/);
    tty.type('');
    await tty.waitFor(/Password(?![\s\S]*Login refused)/);
    tty.type('mac');
    await tty.waitFor(/Waiting for an opponent: 1st of 1 in the queue, your rating 1200/);

    const jen = await RawClient.connect(server.port);
    await jen.login('jen', 'nej');
    await jen.expect('GameStart');
    await tty.waitFor(/New game: you \(1200\) against jen \(1200\)/);
    await tty.waitFor(/You play Black/);

    // jen answers her first two turns, then stalls until her move clock runs out.
    const jenGame = (async () => {
      for (let answered = 0; ; ) {
        const message = await jen.next(['QueuePosition', 'CompulsoryMove'], 15_000);
        if (message.type === 'GameOver') return message;
        if (message.type === 'YourTurn' && answered++ < 2) {
          jen.send({ type: 'MakeMove', move: legalMoveByte(message.board, WHITE) });
        }
      }
    })();
    let listed = 0;
    for (;;) {
      const screen = await tty.waitFor(/(Your move \[\d+:\d\d of 5:00\] >|Play again\? \[Y\/n\] >)\s*$/, 10_000);
      if (/Play again\? \[Y\/n\] >\s*$/.test(screen)) break;
      tty.type('moves');
      listed++;
      const [move] = legalMoves(await tty.waitFor(new RegExp(`(Legal moves: .*\\n[\\s\\S]*){${listed}}`)));
      assert.ok(move, 'the client listed legal moves');
      tty.type(move);
      await tty.waitFor(new RegExp(`(You played .*\\.\\n[\\s\\S]*){${listed}}`));
    }
    const over = tty.screen();
    assert.match(over, /\*\*\* You won against jen: jen's move clock ran out\. \*\*\*/);
    assert.match(over, /Rating 1200 -> 1\d{3} \(\+\d+\)\./);
    assert.equal((await jenGame).won, false);
    await tty.waitFor(/Play again\? \[Y\/n\]/);
    tty.type('y');
    await tty.waitFor(/Waiting for an opponent: 1st of 1 in the queue, your rating 1\d{3}/);
    tty.type('quit');
    await tty.waitFor(/Logged out\. Bye\.[\s\S]*EXIT=0/);
    jen.close();
  });

  it('Ctrl-C and Ctrl-D mid-game ask first, as quit does; a second Ctrl-C leaves, and says what it cost', async () => {
    const tty = TmuxSession.start('interrupt', clientCommand(server.port, '--username kain --password niak'));
    sessions.push(tty);
    await tty.waitFor(/Waiting for an opponent/);
    const andrei = await RawClient.connect(server.port);
    await andrei.login('andrei', 'ierdna');
    await andrei.expect('GameStart');
    await tty.waitFor(/Your move \[/);
    tty.key('C-d');
    await tty.waitFor(/Leaving now forfeits the game\.\nReally leave\? \[y\/N\] >\s*$/);
    tty.type('n');
    await tty.waitFor(/Playing on\.\nYour move \[.*\] >\s*$/);
    tty.key('C-c');
    await tty.waitFor(/Playing on\.[\s\S]*Leaving now forfeits the game\.\nReally leave\? \[y\/N\] >\s*$/);
    tty.key('C-c');
    await andrei.expect('OpponentDisconnect');
    await tty.waitFor(
      /You forfeited the game against andrei: it counts as a loss\. Your rating was 1200; the server tells the new one at your next login\.\nLogged out\. Bye\.[\s\S]*EXIT=0/,
    );
    const game = (await server.store.listGames()).at(-1);
    assert.equal(game?.termination, 'logout');
    assert.equal(game?.winner, 'white');
    andrei.close();
  });

  it('asks before resigning mid-game, and plays on after "n"', async () => {
    const tty = TmuxSession.start('resign', clientCommand(server.port, '--username neil --password lien'));
    sessions.push(tty);
    await tty.waitFor(/Waiting for an opponent/);
    const safa = await RawClient.connect(server.port);
    await safa.login('safa', 'afas');
    await safa.expect('GameStart');
    await tty.waitFor(/Your move \[/);
    tty.type('resign');
    await tty.waitFor(/Leaving now forfeits the game\.[\s\S]*Really leave\? \[y\/N\]/);
    tty.type('n');
    await tty.waitFor(/Playing on\./);
    tty.type('quit');
    await tty.waitFor(/Really leave\?[\s\S]*Really leave\?/);
    tty.type('y');
    await safa.expect('OpponentDisconnect');
    const screen = await tty.waitFor(/You forfeited the game against safa[\s\S]*EXIT=0/);
    assert.doesNotMatch(screen.slice(screen.indexOf('You forfeited')), /Really leave/, 'no stale prompt after leaving');
    safa.close();
  });

  it('reconnects by itself when its connection drops mid-game, and the game goes on', async () => {
    const proxy = await DroppingProxy.start(server.port);
    const tty = TmuxSession.start('reconnect', clientCommand(proxy.port, '--username colbert --password trebloc'));
    sessions.push(tty);
    try {
      await tty.waitFor(/Waiting for an opponent/);
      const khanh = await RawClient.connect(server.port);
      await khanh.login('khanh', 'hnahk');
      await khanh.expect('GameStart');
      await tty.waitFor(/Your move \[/);
      proxy.dropAll();
      await tty.waitFor(
        /Disconnected: the server closed the connection\.[\s\S]*Reconnecting in 1 s \(attempt 1 of 3\)/,
      );
      await tty.waitFor(/Back in your game against khanh\./, 5000);
      await tty.waitFor(/Your move \[.*\] >\s*$/);
      tty.type('moves');
      const [move] = legalMoves(await tty.waitFor(/Legal moves: .+/));
      assert.ok(move);
      tty.type(move);
      const turn = await khanh.expect('YourTurn');
      assert.notEqual(turn.lastMove, 0, 'the opponent saw only a pause, then the move');
      assert.equal(
        (await server.store.listGames()).filter((game) => game.black.name === 'colbert').length,
        0,
        'no forfeit',
      );
      khanh.close();
    } finally {
      proxy.close();
    }
  });

  it('prompts: one "Play again?", the prompt back after an empty Enter, none left over after a disconnect', async () => {
    const fake = await FakeServer.start(async (peer) => {
      await peer.next('Connect');
      peer.send(queued, { type: 'GameStart', opponent: 'jen', opponentRating: 1250 }, firstTurn);
      await peer.next('MakeMove');
      peer.send({ type: 'GameOver', won: true, newRating: 1216, oldRating: 1200, lastMove: 0x36, board: start });
      await peer.next('ReQueue');
      peer.send(queued);
      await new Promise((resolve) => setTimeout(resolve, 300));
      peer.close();
    });
    const tty = TmuxSession.start('prompts', clientCommand(fake.port, '--plain --username cam --password mac'));
    sessions.push(tty);
    try {
      await tty.waitFor(/Your move \[0:0\d of 5:00\] >\s*$/);
      tty.type('');
      tty.type('');
      await tty.waitFor(/Your move \[.*\] >\s*\n\s*Your move \[.*\] >\s*\n\s*Your move \[.*\] >\s*$/);
      tty.type('11-15');
      const over = await tty.waitFor(/Play again\? \[Y\/n\] >\s*$/);
      assert.equal(over.match(/Play again\?/g)?.length, 1, over);
      tty.type('y');
      const closed = await tty.waitFor(/Disconnected: the server closed the connection\.[\s\S]*EXIT=1/);
      assert.doesNotMatch(closed.slice(closed.indexOf('Disconnected:')), /Waiting for an opponent/, closed);
    } finally {
      await fake.close();
    }
  });
});
