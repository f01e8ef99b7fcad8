import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BLACK, WHITE } from '../../../src/game/position.js';
import { InvalidLoginReason } from '../../../src/protocol/index.js';
import { TEST_HASH_COST } from '../../support/accounts.js';
import { startGame } from '../../support/game-setup.js';
import { legalMoveByte, nextTurn } from '../../support/player.js';
import { RawClient } from '../../support/raw-client.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { WatchClient } from '../../support/watch-client.js';

/** A request to the test server over HTTP; the body parsed as JSON when it is JSON. */
async function request(
  server: TestServer,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; headers: Headers; json: Record<string, unknown>; text: string }> {
  const response = await fetch(`http://127.0.0.1:${server.port}${path}`, {
    method,
    signal: AbortSignal.timeout(5000),
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
  });
  const text = await response.text();
  const json = (response.headers.get('content-type') ?? '').startsWith('application/json') ? JSON.parse(text) : {};
  return { status: response.status, headers: response.headers, json, text };
}

describe('community API over HTTP on the game port (real server, real SQLite)', () => {
  let server: TestServer;
  let finishedId = 0;
  let names: [string, string] = ['', ''];

  before(async () => {
    server = await startTestServer({
      community: {
        registration: 'open',
        signup: { signupRatePerAddress: { perSecond: 0.01, burst: 6 }, signupRate: { perSecond: 0.01, burst: 8 } },
        hashCost: TEST_HASH_COST,
      },
    });
    // One game played and forfeited (black logs out after a few turns), one still in progress.
    const game = await startGame(server);
    names = game.names;
    const clients = [game.black, game.white] as const;
    game.black.send({ type: 'MakeMove', move: legalMoveByte(game.firstTurn.board, BLACK) });
    for (let turn = 1; turn < 4; turn++) {
      const { index, turn: yourTurn } = await nextTurn(clients);
      clients[index]?.send({ type: 'MakeMove', move: legalMoveByte(yourTurn.board, index === 0 ? BLACK : WHITE) });
    }
    await nextTurn(clients);
    game.black.send({ type: 'LogOut' });
    // The referee's forced jumps (CompulsoryMove) may still be on their way to white.
    assert.equal((await game.white.next(['QueuePosition', 'CompulsoryMove', 'YourTurn'])).type, 'OpponentDisconnect');
    game.close();
    const [stored] = await server.store.gamesPage({ limit: 1 });
    finishedId = stored?.id ?? 0;
  });
  after(() => server.stop());

  it('GET /api/leaderboard answers JSON; 400 for a bad limit; unknown API paths 404', async () => {
    const board = await request(server, 'GET', '/api/leaderboard?list=provisional&limit=100');
    assert.equal(board.status, 200);
    const players = board.json.players as Array<{ name: string; games: number }>;
    assert.equal(players.find((player) => player.name === names[1])?.games, 1);
    assert.equal((await request(server, 'GET', '/api/leaderboard?limit=101')).status, 400);
    assert.equal((await request(server, 'GET', '/api/nothing-here')).status, 404);
  });

  it('GET /api/players/NAME and its 404', async () => {
    const player = await request(server, 'GET', `/api/players/${names[1].toUpperCase()}`);
    assert.equal(player.status, 200);
    assert.equal(player.json.wins, 1);
    assert.equal((player.json.history as unknown[]).length, 1);
    assert.equal((player.json.recentGames as Array<{ id: number }>)[0]?.id, finishedId);
    const missing = await request(server, 'GET', '/api/players/nobody%20here');
    assert.equal(missing.status, 404);
    assert.match(String(missing.json.error), /no player named "nobody here"/);
  });

  it('GET /api/games, /api/games/ID, /api/games/ID.pdn; 400 and 404', async () => {
    const list = await request(server, 'GET', `/api/games?player=${names[0]}&limit=5`);
    assert.equal(list.status, 200);
    assert.deepEqual(
      (list.json.games as Array<{ id: number }>).map((game) => game.id),
      [finishedId],
    );
    assert.equal(list.json.next, null);
    const game = await request(server, 'GET', `/api/games/${finishedId}`);
    assert.equal(game.json.termination, 'logout');
    assert.equal(game.json.winner, 'white');
    assert.equal((game.json.moves as string[]).length, game.json.plies);
    assert.ok((game.json.moves as string[]).length >= 4);
    const pdn = await request(server, 'GET', `/api/games/${finishedId}.pdn`);
    assert.equal(pdn.status, 200);
    assert.match(pdn.headers.get('content-type') ?? '', /^application\/x-chess-pdn/);
    assert.match(pdn.headers.get('content-disposition') ?? '', /attachment; filename="checkers-game-\d+\.pdn"/);
    assert.match(pdn.text, /\[Result "0-1"\]/);
    assert.equal((await request(server, 'GET', '/api/games?before=zzz')).status, 400);
    assert.equal((await request(server, 'GET', '/api/games/424242')).status, 404);
    assert.equal((await request(server, 'GET', '/api/games/x.pdn')).status, 400);
  });

  it('GET /api/live lists a game in progress, and /watch/ID on the game port follows it', async () => {
    const game = await startGame(server);
    try {
      const live = await request(server, 'GET', '/api/live');
      const games = live.json.games as Array<{ id: number; black: { name: string }; moveNumber: number }>;
      const listed = games.find((entry) => entry.black.name === game.names[0]);
      assert.ok(listed);
      assert.equal(listed.moveNumber, 1);
      const watcher = await WatchClient.open(`ws://127.0.0.1:${server.port}/watch/${listed.id}`);
      await watcher.until((messages) => messages[0]?.type === 'game');
      game.black.send({ type: 'MakeMove', move: legalMoveByte(game.firstTurn.board, BLACK) });
      await watcher.until(() => watcher.moves().length === 1);
      watcher.close();
    } finally {
      game.close();
    }
  });

  it('GET /healthz and /readyz answer 200 while serving', async () => {
    const health = await request(server, 'GET', '/healthz');
    assert.equal(health.status, 200);
    assert.deepEqual(health.json, { status: 'ok', storage: 'writing' });
    assert.deepEqual((await request(server, 'GET', '/readyz')).json, { ready: true });
  });

  it('POST /api/accounts: the account logs in from a raw version-1 TCP client; names ignore case', async () => {
    const created = await request(server, 'POST', '/api/accounts', { name: 'WebUser', password: 'web-pass' });
    assert.equal(created.status, 201);
    const again = await request(server, 'POST', '/api/accounts', { name: 'webuser', password: 'other' });
    assert.equal(again.status, 409);
    assert.match(String(again.json.error), /names ignore case/);
    const client = await RawClient.connect(server.port);
    try {
      const queued = await client.login('webuser', 'web-pass');
      assert.equal(queued.type, 'QueuePosition');
    } finally {
      client.close();
    }
    const wrong = await RawClient.connect(server.port);
    try {
      wrong.send({ type: 'Connect', version: 1, username: 'WebUser', password: 'nope' });
      const refused = await wrong.expect('InvalidLogin');
      assert.equal(refused.reason, InvalidLoginReason.WrongPassword);
    } finally {
      wrong.close();
    }
  });

  it('POST /api/password changes the password; the new one logs in over version 1', async () => {
    await request(server, 'POST', '/api/accounts', { name: 'changer', password: 'old-pass' });
    const changed = await request(server, 'POST', '/api/password', {
      name: 'changer',
      password: 'old-pass',
      newPassword: 'new-pass',
    });
    assert.equal(changed.status, 200);
    const client = await RawClient.connect(server.port);
    try {
      assert.equal((await client.login('changer', 'new-pass')).type, 'QueuePosition');
    } finally {
      client.close();
    }
    const bad = await request(server, 'POST', '/api/password', { name: 'changer', password: 'x', newPassword: 'y' });
    assert.equal(bad.status, 403);
  });

  it('a registration flood is held by the limits: 429 with Retry-After, accounts bounded', async () => {
    const before = (await server.store.listAccounts()).length;
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      const answer = await request(server, 'POST', '/api/accounts', { name: `flood${i}`, password: 'pw' });
      statuses.push(answer.status);
      if (answer.status === 429) assert.match(answer.headers.get('retry-after') ?? '', /^\d+$/);
    }
    // Three sign-up attempts came earlier from this address; the per-address burst is 6.
    assert.deepEqual(statuses.slice(0, 3), [201, 201, 201]);
    assert.ok(statuses.slice(3).every((status) => status === 429));
    assert.equal((await server.store.listAccounts()).length, before + 3);
  });
});

describe('sign-up on a server with registration closed (the default)', () => {
  it('answers 403 with a clear error and creates nothing', async () => {
    const server = await startTestServer();
    try {
      const answer = await request(server, 'POST', '/api/accounts', { name: 'nobody1', password: 'pw' });
      assert.equal(answer.status, 403);
      assert.match(String(answer.json.error), /sign-up is closed on this server/);
      assert.equal(await server.store.findAccount('nobody1'), undefined);
    } finally {
      await server.stop();
    }
  });
});
