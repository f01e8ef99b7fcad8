import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { addPlayers, TEST_PASSWORD } from '../../support/accounts.js';
import { skipUnless } from '../../support/capability.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { TmuxSession, tmuxAvailable } from '../../support/tmux.js';

const CLIENT = fileURLToPath(new URL('../../../src/client/cli.js', import.meta.url));
const skip = skipUnless(tmuxAvailable() ? undefined : 'tmux is not installed');
const BOT = 'checkers-bot';

function clientCommand(port: number, extra: string): string {
  return `LANG=C.UTF-8 ${process.execPath} ${CLIENT} --host 127.0.0.1 --port ${port} --plain ${extra}`;
}

/** `checkers-client --computer LEVEL` against a real server with --bot-after 0 and --max-bot-games 1. */
describe('the terminal client plays the computer (--computer), in a real terminal', { skip }, () => {
  let server: TestServer;
  const sessions: TmuxSession[] = [];
  before(async () => {
    server = await startTestServer({ houseBot: { name: BOT, maxGames: 1, pauseMs: [0, 2], threads: 1 } });
  });
  after(async () => {
    for (const session of sessions) session.kill();
    await server.stop();
  });

  it('--computer 1 starts a casual game at once, moves are answered, and y after it asks the computer again', async () => {
    const [user = '', other = ''] = await addPlayers(server.store, 'termbot', 2);
    const tty = TmuxSession.start(
      'computer',
      clientCommand(server.port, `--username ${user} --password ${TEST_PASSWORD} --computer 1 --time-control 10+5`),
    );
    sessions.push(tty);
    await tty.waitFor(/Asking the computer \(level 1\) for a casual game \(10\+5/);
    await tty.waitFor(new RegExp(`=== New game \\(10\\+5.*, unrated\\): you \\(1200\\) against ${BOT} \\(\\d+\\) ===`));
    await tty.waitFor(/You play Black and move first\./);
    // A few moves, each the first legal one the client lists; the computer answers each.
    for (let move = 1; move <= 4; move++) {
      // "Your move." once per turn, when the computer has answered (or at the start).
      await tty.waitFor(new RegExp(`(^Your move\\.$[\\s\\S]*){${move}}`, 'm'), 30_000);
      tty.type('moves');
      const screen = await tty.waitFor(new RegExp(`(Legal moves: [^\\n]*[\\s\\S]*){${move}}`));
      const lists = [...screen.matchAll(/Legal moves: ([^\n]*)/g)];
      const first = lists.at(-1)?.[1]?.trim().split(/\s+/)[0];
      assert.ok(first, 'the client lists a legal move');
      tty.type(first);
      await tty.waitFor(new RegExp(`(You played [^\\n]*[\\s\\S]*){${move}}`));
    }
    // While this game goes on, the only bot game allowed is in use: a second client is told so and exits 1.
    const busy = TmuxSession.start(
      'computer-busy',
      clientCommand(server.port, `--username ${other} --password ${TEST_PASSWORD} --computer 3 --time-control 10+5`),
    );
    sessions.push(busy);
    await busy.waitFor(/The computer is busy: every game it may play at once is in progress\./);
    await busy.waitFor(/Try again in a minute, or run without --computer to join the queue\.[\s\S]*EXIT=1/);
    tty.type('resign');
    await tty.waitFor(new RegExp(`You lost against ${BOT}: you resigned\\.`));
    const ended = await tty.waitFor(/Play again\? \[Y\/n, or rematch\] >\s*$/);
    assert.doesNotMatch(ended, /Rating 1200 -> 1\d{3} \(-/, 'a casual game changes no rating');
    tty.type('y');
    await tty.waitFor(/(Asking the computer \(level 1\)[\s\S]*){2}/);
    await tty.waitFor(/(=== New game[\s\S]*){2}/);
    const games = await server.store.listGames({ user });
    assert.equal(games.at(-1)?.white.name, BOT);
    assert.equal(games.at(-1)?.termination, 'resignation');
    tty.type('quit');
    await tty.waitFor(/Really leave\? \[y\/N\] >\s*$/);
    tty.type('y');
    await tty.waitFor(/Logged out\. Bye\.[\s\S]*EXIT=0/);
  });
});
