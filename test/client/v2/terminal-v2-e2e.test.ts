import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { addPlayers, TEST_PASSWORD } from '../../support/accounts.js';
import { skipUnless } from '../../support/capability.js';
import { RawClient } from '../../support/raw-client.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { TmuxSession, tmuxAvailable } from '../../support/tmux.js';
import { loginV2, seek } from '../../support/v2-game.js';
import { Version1Front } from '../../support/version1-front.js';

const CLIENT = fileURLToPath(new URL('../../../src/client/cli.js', import.meta.url));
const skip = skipUnless(tmuxAvailable() ? undefined : 'tmux is not installed');

function clientCommand(port: number, extra: string): string {
  return `LANG=C.UTF-8 ${process.execPath} ${CLIENT} --host 127.0.0.1 --port ${port} --plain ${extra}`;
}

/**
 * Openings (found with src/game/standard.ts) after which the side to move
 * chooses between two captures, one of them a double jump: `plies` are
 * played in turn from the start, then `choice` is the double jump's whole
 * path, `partial` its first jump only, and `other` the single capture.
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

/** `text` as a regular expression matching it literally. */
function literally(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
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
  /** Without `--time-control` the player is asked, and Enter takes 5+3. */
  async function startGame(name: string, timeControl: '5+3' | 'asked' = '5+3') {
    const [user = '', opponentName = ''] = await addPlayers(server.store, name, 2);
    const option = timeControl === 'asked' ? '' : ` --time-control ${timeControl}`;
    const tty = TmuxSession.start(
      name,
      clientCommand(server.port, `--username ${user} --password ${TEST_PASSWORD}${option}`),
    );
    sessions.push(tty);
    if (timeControl === 'asked') {
      await tty.waitFor(/Time control \(3\+2, 5\+3, 10\+5, 15\+10, none\) \[5\+3\]: $/m);
      tty.type('4+4');
      await tty.waitFor(/4\+4 is not offered: the server offers 3\+2, 5\+3, 10\+5, 15\+10, none/);
      tty.type('');
    }
    await tty.waitFor(/Waiting for an opponent \(5\+3\)/);
    const opponent = await RawClient.connectV2(server.port);
    await loginV2(opponent, opponentName);
    await seek(opponent, 300, 3);
    const start = await opponent.expect('GameStart2');
    const screen = await tty.waitFor(/You play (Black|White)/);
    const colour = /You play Black/.test(screen) ? 'black' : 'white';
    assert.equal(start.colour, colour === 'black' ? 1 : 0, 'the two sides see opposite colours');
    return { tty, opponent, colour, opponentName } as const;
  }

  async function quit(tty: TmuxSession, inGame: boolean): Promise<void> {
    tty.type('quit');
    if (inGame) {
      await tty.waitFor(/Really leave\? \[y\/N\] >\s*$/);
      tty.type('y');
    }
    await tty.waitFor(/Logged out\. Bye\.[\s\S]*EXIT=0/);
  }

  it('plays a game in which the player chooses a double jump, typing its whole path after a partial one', async () => {
    const { tty, opponent, colour, opponentName } = await startGame('capture');
    const opening = OPENINGS[colour];
    // The terminal moves on even plies when it plays Black, on odd ones as White.
    const mine = (ply: number) => (ply % 2 === 0) === (colour === 'black');
    let typed = 0;
    for (const [ply, move] of opening.plies.entries()) {
      if (mine(ply)) {
        await tty.waitFor(new RegExp(`(Your move \\[[^\\]]*\\] >[\\s\\S]*){${typed + 1}}`));
        tty.type(move);
        typed++;
        await tty.waitFor(new RegExp(`You played ${literally(move)}\\.`));
        await opponent.expectSkipping('YourMove', ['TheirMove']);
      } else {
        if (ply === 0) await opponent.expectSkipping('YourMove');
        opponent.send({ type: 'MovePath', path: squaresOf(move) });
        await opponent.expectSkipping('TheirMove');
      }
    }
    await tty.waitFor(new RegExp(`(Your move \\[[^\\]]*\\] >[\\s\\S]*){${typed + 1}}`));
    tty.type('moves');
    await tty.waitFor(new RegExp(`Legal moves: .*${literally(opening.other)}.*`));
    tty.type(opening.partial);
    await tty.waitFor(
      new RegExp(
        `Not sent: ${literally(opening.partial)} stops short: the capture can go on, so give the whole path \\(${literally(opening.choice)}\\)`,
      ),
    );
    tty.type(opening.choice);
    await tty.waitFor(new RegExp(`You played ${literally(opening.choice)}\\.`));
    const seen = await opponent.expectSkipping('YourMove');
    assert.deepEqual(seen.lastPath, squaresOf(opening.choice), 'the opponent sees the path the player chose');
    await tty.waitFor(new RegExp(`Clocks: you \\d:\\d\\d \\| ${opponentName} \\*\\d:\\d\\d`));
    await quit(tty, true);
    opponent.close();
  });

  it('resign ends the game, shows the rating change, and the player stays logged in to play again', async () => {
    const { tty, opponent, opponentName } = await startGame('resign');
    tty.type('resign');
    await tty.waitFor(/You resign\./);
    const over = await opponent.expectSkipping('GameOver2', ['YourMove', 'TheirMove']);
    assert.equal(over.result, 1);
    assert.equal(over.reason, 1);
    assert.equal((await server.store.listGames()).at(-1)?.termination, 'resignation');
    await tty.waitFor(
      new RegExp(
        `\\*\\*\\* You lost against ${opponentName}: you resigned\\. \\*\\*\\*\\nRating 1200 -> 1\\d{3} \\(-\\d+\\)\\.`,
      ),
    );
    await tty.waitFor(/Play again\? \[Y\/n, or rematch\] >\s*$/);
    tty.type('y');
    await tty.waitFor(/Waiting for an opponent \(5\+3\): 1st of 1 in the queue, your rating 1\d{3}/);
    opponent.close();
    await quit(tty, false);
  });

  it('asks for the time control; a draw offered by the opponent and accepted ends the game as a draw by agreement', async () => {
    const { tty, opponent, opponentName } = await startGame('draw', 'asked');
    opponent.send({ type: 'OfferDraw' });
    await tty.waitFor(new RegExp(`${opponentName} offers a draw: type accept or decline`));
    tty.type('accept');
    await tty.waitFor(/You accept the draw\./);
    const over = await opponent.expectSkipping('GameOver2', ['YourMove', 'TheirMove']);
    assert.equal(over.result, 2);
    assert.equal(over.reason, 2);
    assert.equal((await server.store.listGames()).at(-1)?.termination, 'draw-agreed');
    await tty.waitFor(
      new RegExp(`\\*\\*\\* Draw with ${opponentName}: agreed\\. \\*\\*\\*\\nRating 1200 -> \\d{4} \\([+-]\\d+\\)\\.`),
    );
    opponent.close();
    tty.type('n');
    await tty.waitFor(/Logged out\. Bye\.[\s\S]*EXIT=0/);
  });

  it('a rematch agreed after the game starts a new one with the colours swapped', async () => {
    const { tty, opponent, colour, opponentName } = await startGame('rematch');
    opponent.send({ type: 'Resign' });
    await opponent.expectSkipping('GameOver2', ['YourMove', 'TheirMove']);
    await tty.waitFor(new RegExp(`\\*\\*\\* You won against ${opponentName}: ${opponentName} resigned\\. \\*\\*\\*`));
    opponent.send({ type: 'Rematch' });
    await tty.waitFor(new RegExp(`${opponentName} offers a rematch: type rematch to accept\\.`));
    tty.type('rematch');
    await tty.waitFor(/You accept the rematch\./);
    const again = await opponent.expectSkipping('GameStart2', ['RematchOffered']);
    assert.equal(again.colour, colour === 'black' ? 0 : 1, 'the opponent now has the colour the player had');
    await tty.waitFor(
      new RegExp(`=== Rematch \\(5\\+3, rated\\): [\\s\\S]*You play ${colour === 'black' ? 'White' : 'Black'}`),
    );
    await quit(tty, true);
    opponent.close();
  });

  it('against a server that speaks version 1 only, says so in one line and plays version 1', async (t) => {
    const front = await Version1Front.start(server.port);
    t.after(() => front.stop());
    const [user = '', opponentName = ''] = await addPlayers(server.store, 'fallback', 2);
    const tty = TmuxSession.start(
      'fallback',
      clientCommand(front.port, `--username ${user} --password ${TEST_PASSWORD}`),
    );
    sessions.push(tty);
    await tty.waitFor(
      /This server speaks protocol version 1 only: playing by its rules \(the server plays every capture for you; no clocks, draw offers or rematches\)\.\n[\s\S]*Waiting for an opponent: 1st of 1 in the queue/,
    );
    assert.equal(front.refusedConnects, 1);
    const opponent = await RawClient.connect(server.port);
    await opponent.login(opponentName, TEST_PASSWORD);
    await opponent.expect('GameStart');
    await tty.waitFor(new RegExp(`New game: you \\(1200\\) against ${opponentName}`));
    tty.type('quit');
    await tty.waitFor(/Really leave\? \[y\/N\] >\s*$/);
    tty.type('y');
    await tty.waitFor(/Logged out\. Bye\.[\s\S]*EXIT=0/);
    opponent.close();
  });
});
