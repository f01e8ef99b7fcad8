import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { WHITE } from '../../src/game/position.js';
import { legalMoveByte } from '../support/player.js';
import { DroppingProxy } from '../support/proxy.js';
import { RawClient } from '../support/raw-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { TmuxSession, tmuxAvailable } from '../support/tmux.js';

const CLIENT = fileURLToPath(new URL('../../src/client/cli.js', import.meta.url));
const skip = tmuxAvailable() ? false : 'tmux is not installed (.ci/run installs it)';

function clientCommand(port: number, extra = ''): string {
  return `LANG=C.UTF-8 ${process.execPath} ${CLIENT} --host 127.0.0.1 --port ${port} ${extra}`;
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
    server = await startTestServer({ moveTimeoutSeconds: 3 });
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
      const screen = await tty.waitFor(/(Your move >|Play again\? \[Y\/n\] >)\s*$/, 10_000);
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

  it('Ctrl-C mid-game logs out cleanly: the opponent gets OpponentDisconnect and the client exits 0', async () => {
    const tty = TmuxSession.start('interrupt', clientCommand(server.port, '--username kain --password niak'));
    sessions.push(tty);
    await tty.waitFor(/Waiting for an opponent/);
    const andrei = await RawClient.connect(server.port);
    await andrei.login('andrei', 'ierdna');
    await andrei.expect('GameStart');
    await tty.waitFor(/Your move >/);
    tty.key('C-c');
    await andrei.expect('OpponentDisconnect');
    await tty.waitFor(/Logged out\. Bye\.[\s\S]*EXIT=0/);
    const game = server.store.listGames().at(-1);
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
    await tty.waitFor(/Your move >/);
    tty.type('resign');
    await tty.waitFor(/Leaving now forfeits the game\.[\s\S]*Really leave\? \[y\/N\]/);
    tty.type('n');
    await tty.waitFor(/Playing on\./);
    tty.type('quit');
    await tty.waitFor(/Really leave\?[\s\S]*Really leave\?/);
    tty.type('y');
    await safa.expect('OpponentDisconnect');
    await tty.waitFor(/You resigned\.[\s\S]*EXIT=0/);
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
      await tty.waitFor(/Your move >/);
      proxy.dropAll();
      await tty.waitFor(
        /Disconnected: the server closed the connection\.[\s\S]*Reconnecting in 1 s \(attempt 1 of 3\)/,
      );
      await tty.waitFor(/Back in your game against khanh\./, 5000);
      await tty.waitFor(/Your move >\s*$/);
      tty.type('moves');
      const [move] = legalMoves(await tty.waitFor(/Legal moves: .+/));
      assert.ok(move);
      tty.type(move);
      const turn = await khanh.expect('YourTurn');
      assert.notEqual(turn.lastMove, 0, 'the opponent saw only a pause, then the move');
      assert.equal(server.store.listGames().filter((game) => game.black.name === 'colbert').length, 0, 'no forfeit');
      khanh.close();
    } finally {
      proxy.close();
    }
  });
});
