import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { addPlayers, TEST_PASSWORD } from '../../support/accounts.js';
import { skipUnless } from '../../support/capability.js';
import { RawClient } from '../../support/raw-client.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { TmuxSession, tmuxAvailable } from '../../support/tmux.js';
import { loginV2 } from '../../support/v2-game.js';

const CLIENT = fileURLToPath(new URL('../../../src/client/cli.js', import.meta.url));
const skip = skipUnless(tmuxAvailable() ? undefined : 'tmux is not installed');
const BOT = 'checkers-bot';

function clientCommand(port: number, extra: string): string {
  return `LANG=C.UTF-8 ${process.execPath} ${CLIENT} --host 127.0.0.1 --port ${port} --plain ${extra}`;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/**
 * The terminal client plays friends, guests and the computer's colours
 * against a real server, in a real terminal: raw version-2 clients are the friends.
 */
describe('the terminal client plays a friend, as a guest, and the computer as White, in a real terminal', {
  skip,
}, () => {
  let server: TestServer;
  const sessions: TmuxSession[] = [];
  const raws: RawClient[] = [];
  before(async () => {
    server = await startTestServer({ houseBot: { name: BOT, maxGames: 2, pauseMs: [0, 2], threads: 1 } });
  });
  after(async () => {
    for (const session of sessions) session.kill();
    for (const raw of raws) raw.close();
    await server.stop();
  });

  function terminal(name: string, extra: string): TmuxSession {
    const tty = TmuxSession.start(name, clientCommand(server.port, extra));
    sessions.push(tty);
    return tty;
  }

  async function friend(name: string): Promise<RawClient> {
    const raw = await RawClient.connectV2(server.port);
    raws.push(raw);
    await loginV2(raw, name);
    return raw;
  }

  async function leaveGame(tty: TmuxSession): Promise<void> {
    tty.type('quit');
    await tty.waitFor(/Really leave\? \[y\/N\] >\s*$/);
    tty.type('y');
    await tty.waitFor(/Logged out\. Bye\.[\s\S]*EXIT=0/);
  }

  it('accepts a challenge announced while it waits in the queue, and plays on as the colour it was given', async () => {
    const [user = '', friendName = ''] = await addPlayers(server.store, 'accepter', 2);
    const tty = terminal('accept', `--username ${user} --password ${TEST_PASSWORD} --time-control 5+3`);
    await tty.waitFor(/Waiting for an opponent \(5\+3\)/);
    const raw = await friend(friendName);
    raw.send({
      type: 'Challenge',
      opponent: user,
      initialSeconds: 600,
      incrementSeconds: 5,
      colour: 0,
      rated: false,
      opening: 0,
    });
    await tty.waitFor(
      new RegExp(
        `${friendName} \\(1200\\) challenges you to a casual game \\(10\\+5, you would play White, standard start\\)\\.\\nType accept to play, or decline\\.`,
      ),
    );
    tty.type('accept');
    await tty.waitFor(new RegExp(`You accept ${friendName}'s challenge\\.`));
    const start = await raw.expectSkipping('GameStart2');
    assert.equal(start.colour, 0, 'the challenger plays the colour it chose');
    assert.equal(start.rated, false);
    await tty.waitFor(
      new RegExp(`=== New game \\(10\\+5, unrated\\): you \\(1200\\) against ${friendName} \\(1200\\) ===`),
    );
    await tty.waitFor(new RegExp(`You play White; ${friendName} plays Black and moves first\\.`));
    await raw.expectSkipping('YourMove');
    raw.send({ type: 'MovePath', path: [9, 14] });
    await tty.waitFor(/Last move: 9-14[\s\S]*Your move\./);
    tty.type('22-18');
    await tty.waitFor(/You played 22-18\./);
    const seen = await raw.expectSkipping('YourMove', ['TheirMove']);
    assert.deepEqual(seen.lastPath, [22, 18], 'the game goes on with the move typed in the terminal');
    await leaveGame(tty);
  });

  it('declines a challenge: the challenger is told, and the player stays in the queue', async () => {
    const [user = '', friendName = ''] = await addPlayers(server.store, 'decliner', 2);
    const tty = terminal('decline', `--username ${user} --password ${TEST_PASSWORD} --time-control 5+3`);
    await tty.waitFor(/Waiting for an opponent \(5\+3\)/);
    const raw = await friend(friendName);
    raw.send({
      type: 'Challenge',
      opponent: user,
      initialSeconds: 300,
      incrementSeconds: 3,
      colour: 2,
      rated: true,
      opening: 1,
    });
    await tty.waitFor(/challenges you to a rated game \(5\+3, colours drawn at random, a three-move opening\)/);
    tty.type('decline');
    await tty.waitFor(new RegExp(`You decline ${friendName}'s challenge\\.`));
    const declined = await raw.expect('ChallengeDeclined');
    assert.equal(declined.reason, 0);
    await tty.waitFor(/Waiting for an opponent \(5\+3\): 1st of 1 in the queue/);
    tty.type('quit');
    await tty.waitFor(/Logged out\. Bye\.[\s\S]*EXIT=0/);
  });

  it('--challenge says when it is declined; an invite made at the prompt starts a game when the friend joins it', async () => {
    const [user = '', friendName = ''] = await addPlayers(server.store, 'challenger', 2);
    const raw = await friend(friendName);
    const tty = terminal(
      'challenger',
      `--username ${user} --password ${TEST_PASSWORD} --challenge ${friendName} --time-control 3+2 --colour white`,
    );
    const offered = await raw.expect('ChallengeOffered');
    assert.equal(offered.challenger, user);
    assert.deepEqual([offered.initialSeconds, offered.incrementSeconds, offered.colour], [180, 2, 0]);
    await tty.waitFor(new RegExp(`You challenge ${friendName} \\(3\\+2, casual, you play White, standard start\\)`));
    raw.send({ type: 'AnswerChallenge', challengeId: offered.challengeId, accept: false });
    await tty.waitFor(new RegExp(`${friendName} declined your challenge\\.`));
    await tty.waitFor(/Lobby: type play, challenge NAME, invite, join CODE, help or quit >\s*$/);
    tty.type('invite');
    const screen = await tty.waitFor(
      new RegExp(
        `A friend opens this link in a browser:\\n  http://127\\.0\\.0\\.1:${server.port}/invite/([0-9a-f]{32})`,
      ),
    );
    const code = /\/invite\/([0-9a-f]{32})/.exec(screen)?.[1] ?? '';
    await tty.waitFor(new RegExp(`runs checkers-client --join ${code} \\(or types join ${code}\\)`));
    raw.send({ type: 'JoinInvite', code: Uint8Array.from(Buffer.from(code, 'hex')) });
    const start = await raw.expect('GameStart2');
    assert.equal(start.colour, 0, 'the friend plays the other colour than the one the maker chose');
    assert.deepEqual([start.initialSeconds, start.incrementSeconds], [180, 2]);
    await tty.waitFor(new RegExp(`${friendName} joined your invite\\.\\n\\n=== New game \\(3\\+2, unrated\\)`));
    await leaveGame(tty);
  });

  it('--join takes an invite made by a friend and starts the game at once', async () => {
    const [user = '', friendName = '', third = ''] = await addPlayers(server.store, 'joiner', 3);
    const raw = await friend(friendName);
    raw.send({ type: 'CreateInvite', initialSeconds: 600, incrementSeconds: 5, colour: 1, rated: false, opening: 0 });
    const invite = await raw.expect('InviteCreated');
    assert.equal(invite.validSeconds, 600);
    const tty = terminal('joiner', `--username ${user} --password ${TEST_PASSWORD} --join ${hex(invite.code)}`);
    await tty.waitFor(new RegExp(`You joined ${friendName}'s invite\\.\\n\\n=== New game \\(10\\+5, unrated\\)`));
    await tty.waitFor(/You play Black and move first\./);
    assert.equal((await raw.expect('GameStart2')).colour, 1);
    // The same invite serves one game: a second join is refused, and the client says why.
    const again = terminal(
      'joiner-again',
      `--username ${third} --password ${TEST_PASSWORD} --join http://127.0.0.1:${server.port}/invite/${hex(invite.code)}`,
    );
    await again.waitFor(/That invite is unknown, already used or expired/);
    await again.waitFor(/Lobby: type play, challenge NAME, invite, join CODE, help or quit >\s*$/);
    again.type('quit');
    await again.waitFor(/Logged out\. Bye\.[\s\S]*EXIT=0/);
    await leaveGame(tty);
  });

  it('--guest plays the computer without an account, as White, with a hint counted in the result', async () => {
    const tty = terminal('guest', '--guest --computer 1 --colour white --time-control 10+5');
    await tty.waitFor(/You play as guest-\d{5,9}, a guest: casual games, no rating\./);
    await tty.waitFor(new RegExp(`=== New game \\(10\\+5, unrated\\): you \\(guest\\) against ${BOT} \\(\\d+\\) ===`));
    await tty.waitFor(new RegExp(`You play White; ${BOT} plays Black and moves first\\.`));
    await tty.waitFor(/Last move: \d+-\d+[\s\S]*Your move\./, 30_000);
    tty.type('hint');
    const screen = await tty.waitFor(/Hint: (\d+[-x]\d+(?:x\d+)*) \(hint 1 in this game\)\./, 30_000);
    const suggested = /Hint: (\S+) \(hint 1/.exec(screen)?.[1] ?? '';
    tty.type(suggested);
    await tty.waitFor(new RegExp(`You played ${suggested}\\.`));
    tty.type('resign');
    await tty.waitFor(new RegExp(`You lost against ${BOT}: you resigned\\.`));
    const result = await tty.waitFor(/You took 1 hint in this game\./);
    assert.doesNotMatch(result, /your rating stays/, 'a guest is shown no rating');
    const games = await server.store.listGames();
    assert.equal(games.at(-1)?.black.name, BOT, 'the computer played Black');
    tty.type('n');
    await tty.waitFor(/Logged out\. Bye\.[\s\S]*EXIT=0/);
  });
});
