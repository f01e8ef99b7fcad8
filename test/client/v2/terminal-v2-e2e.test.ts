import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { bitOfSquare } from '../../../src/game/squares.js';
import { skipUnless } from '../../support/capability.js';
import { RawClient } from '../../support/raw-client.js';
import { RawClientV2 } from '../../support/raw-client-v2.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { TmuxSession, tmuxAvailable } from '../../support/tmux.js';
import { Version1Front } from '../../support/version1-front.js';

const CLIENT = fileURLToPath(new URL('../../../src/client/cli.js', import.meta.url));
const skip = skipUnless(tmuxAvailable() ? undefined : 'tmux is not installed');

function clientCommand(port: number, extra: string): string {
  return `LANG=C.UTF-8 ${process.execPath} ${CLIENT} --host 127.0.0.1 --port ${port} --plain ${extra}`;
}

/**
 * Openings (found with src/game/standard.ts) after which the side to move
 * chooses between two captures, one of them a double jump: `plies` are
 * played in turn from the start, then `choice` is the whole path and
 * `partial` its first jump only.
 */
const OPENINGS = {
  black: {
    plies: ['9-13', '21-17', '5-9', '23-18', '10-14', '17x10'],
    choice: '7x14x23',
    partial: '7x14',
    other: '6x15',
  },
  white: { plies: ['9-13', '21-17', '6-9', '17-14', '9x18'], choice: '22x15x6', partial: '22x15', other: '23x14' },
} as const;

function squaresOf(text: string): number[] {
  return text.split(/[-x]/).map(Number);
}

describe('the terminal client on protocol version 2, in a real terminal', { skip }, () => {
  let server: TestServer;
  const sessions: TmuxSession[] = [];
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    for (const session of sessions) session.kill();
    await server.stop();
  });

  /** The terminal player and a raw version-2 opponent in a new 5+3 game; the terminal's colour as the server chose it. */
  async function startGame(name: string, user: string, password: string, opponentName: string) {
    const tty = TmuxSession.start(
      name,
      clientCommand(server.port, `--username ${user} --password ${password} --time-control 5+3`),
    );
    sessions.push(tty);
    await tty.waitFor(/Waiting for an opponent \(5\+3\)/);
    const opponent = await RawClientV2.connect(server.port);
    await opponent.loginAndSeek(opponentName, [...opponentName].reverse().join(''));
    const start = await opponent.expect('GameStart2');
    const screen = await tty.waitFor(/You play (Black|White)/);
    const colour = /You play Black/.test(screen) ? 'black' : 'white';
    assert.equal(start.colour, colour === 'black' ? 1 : 0, 'the two sides see opposite colours');
    return { tty, opponent, colour } as const;
  }

  it('plays a game in which the player chooses a double jump, typing its whole path after a partial one', async () => {
    const { tty, opponent, colour } = await startGame('capture', 'cam', 'mac', 'jen');
    const opening = OPENINGS[colour];
    // The terminal moves on even plies when it plays Black, odd ones as White.
    const mine = (ply: number) => (ply % 2 === 0) === (colour === 'black');
    let typed = 0;
    for (const [ply, move] of opening.plies.entries()) {
      if (mine(ply)) {
        await tty.waitFor(new RegExp(`(Your move \\[[^\\]]*\\] >[\\s\\S]*){${typed + 1}}`));
        tty.type(move);
        typed++;
        await opponent.expect('YourMove', ['TheirMove']).catch(async (error) => {
          throw new Error(`${error}\n${tty.screen()}`);
        });
      } else {
        if (ply === 0) await opponent.expect('YourMove');
        opponent.send({ type: 'MovePath', path: squaresOf(move) });
        await opponent.expect('TheirMove');
      }
    }
    await tty.waitFor(/Legal moves|Your move \[/);
    tty.type('moves');
    await tty.waitFor(new RegExp(`Legal moves: .*${opening.other}.*`));
    tty.type(opening.partial);
    await tty.waitFor(
      new RegExp(
        `Not sent: ${opening.partial} stops short: the capture can go on, so give the whole path \\(${opening.choice}\\)`,
      ),
    );
    tty.type(opening.choice);
    await tty.waitFor(new RegExp(`You played ${opening.choice}\\.`));
    const seen = await opponent.expect('YourMove');
    assert.deepEqual(seen.lastPath, squaresOf(opening.choice), 'the opponent sees the path the player chose');
    const [, over] = squaresOf(opening.choice);
    assert.equal(bitOfSquare(over ?? 0) >= 0, true);
    await tty.waitFor(/Clocks: you \d:\d\d \| jen \*\d:\d\d/);
    opponent.close();
    tty.type('quit');
    tty.type('y');
    await tty.waitFor(/Logged out\. Bye\.[\s\S]*EXIT=0/);
  });

  it('resign ends the game, shows the rating change, and the player stays logged in to play again', async () => {
    const { tty, opponent } = await startGame('resign', 'neil', 'lien', 'safa');
    tty.type('resign');
    await tty.waitFor(/You resign\./);
    const over = await opponent.expect('GameOver2', ['YourMove', 'TheirMove']);
    assert.equal(over.result, 1);
    await tty.waitFor(/\*\*\* You lost against safa: you resigned\. \*\*\*\nRating 1200 -> 1\d{3} \(-\d+\)\./);
    await tty.waitFor(/Play again\? \[Y\/n, or rematch\] >\s*$/);
    tty.type('y');
    await tty.waitFor(/Waiting for an opponent \(5\+3\): 1st of 1 in the queue, your rating 1\d{3}/);
    const [game] = await server.store.gamesPage({ limit: 1 });
    assert.equal(game?.termination, 'resignation');
    opponent.close();
    tty.type('quit');
    await tty.waitFor(/Logged out\. Bye\.[\s\S]*EXIT=0/);
  });

  it('a draw offered by the opponent and accepted ends the game as a draw by agreement', async () => {
    const { tty, opponent } = await startGame('draw', 'kain', 'niak', 'andrei');
    opponent.send({ type: 'OfferDraw' });
    await tty.waitFor(/andrei offers a draw: type accept or decline/);
    tty.type('accept');
    await tty.waitFor(/You accept the draw\./);
    const over = await opponent.expect('GameOver2', ['YourMove', 'TheirMove']);
    assert.equal(over.result, 2);
    await tty.waitFor(/\*\*\* Draw with andrei: agreed\. \*\*\*\nRating 1200 -> \d{4} \([+-]\d+\)\./);
    opponent.close();
    tty.type('n');
    await tty.waitFor(/Logged out\. Bye\.[\s\S]*EXIT=0/);
  });

  it('a rematch agreed after the game starts a new one with the colours swapped', async () => {
    const { tty, opponent, colour } = await startGame('rematch', 'colbert', 'trebloc', 'khanh');
    opponent.send({ type: 'Resign' });
    await opponent.expect('GameOver2', ['YourMove', 'TheirMove']);
    await tty.waitFor(/\*\*\* You won against khanh: khanh resigned\. \*\*\*/);
    opponent.send({ type: 'Rematch' });
    await tty.waitFor(/khanh offers a rematch: type rematch to accept\./);
    tty.type('rematch');
    await tty.waitFor(/You accept the rematch\./);
    const again = await opponent.expect('GameStart2');
    assert.equal(again.colour, colour === 'black' ? 0 : 1, 'the opponent now has the colour the player had');
    await tty.waitFor(
      new RegExp(`=== Rematch \\(5\\+3, rated\\): [\\s\\S]*You play ${colour === 'black' ? 'White' : 'Black'}`),
    );
    opponent.close();
    tty.type('quit');
    tty.type('y');
    await tty.waitFor(/Logged out\. Bye\.[\s\S]*EXIT=0/);
  });

  it('against a server that speaks version 1 only, says so in one line and plays version 1', async (t) => {
    const front = await Version1Front.start(server.port);
    t.after(() => front.stop());
    const tty = TmuxSession.start('fallback', clientCommand(front.port, '--username wes --password sew'));
    sessions.push(tty);
    await tty.waitFor(
      /This server speaks protocol version 1 only: playing by its rules \(the server plays every capture for you; no clocks, draw offers or rematches\)\.\n[\s\S]*Waiting for an opponent: 1st of 1 in the queue/,
    );
    assert.equal(front.refusedConnects, 1);
    const zoe = await RawClient.connect(server.port);
    await zoe.login('zoe', 'eoz');
    await zoe.expect('GameStart');
    await tty.waitFor(/New game: you \(1200\) against zoe/);
    zoe.close();
    tty.type('quit');
    tty.type('y');
    await tty.waitFor(/Logged out\. Bye\.[\s\S]*EXIT=0/);
  });
});
