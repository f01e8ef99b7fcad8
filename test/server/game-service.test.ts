import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { INITIAL_POSITION } from '../../src/game/position.js';
import type { FinishedGame, LiveGame } from '../../src/server/domain/games.js';
import { DEFAULT_RATING } from '../../src/server/domain/rating.js';
import { abandonedRecord } from '../../src/server/game-service.js';
import { type MemoryClient, ServiceHarness } from '../support/service-harness.js';

const GRACE_MS = 10_000;

/** avi and bea logged in and paired by the first tick; returns [black, white]. */
async function pairedGame(harness: ServiceHarness): Promise<[MemoryClient, MemoryClient]> {
  const avi = await harness.login('avi');
  const bea = await harness.login('bea');
  await harness.advance(1000);
  await harness.until(
    () => avi.types().includes('GameStart') && bea.types().includes('GameStart'),
    'the first tick to pair avi and bea',
  );
  // Black moves first: its YourTurn follows GameStart.
  const camIsBlack = avi.types().includes('YourTurn');
  return camIsBlack ? [avi, bea] : [bea, avi];
}

describe('GameService on a manual clock over an in-memory store', () => {
  let harness: ServiceHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('a dropped player has the reconnect grace; then the opponent hears OpponentDisconnect and the game is recorded', async () => {
    harness = await ServiceHarness.create(['avi', 'bea'], { reconnectGraceMs: GRACE_MS });
    const h = harness;
    const [black, white] = await pairedGame(h);
    black.drop();
    await h.until(() => h.service.onlineCount === 1, 'the drop to reach the service');
    await h.advance(GRACE_MS - 1000);
    assert.ok(!white.types().includes('OpponentDisconnect'), 'not before the grace runs out');
    assert.deepEqual(await h.store.listGames(), []);
    await h.advance(1000);
    await h.until(() => white.types().includes('OpponentDisconnect'), 'OpponentDisconnect');
    await h.until(() => h.batch.commits > 0 && h.batch.pending.results === 0, 'the result to be committed');
    const games = await h.store.listGames();
    assert.equal(games.length, 1);
    assert.equal(games[0]?.termination, 'disconnect');
    assert.equal(games[0]?.winner, 'white');
    assert.deepEqual(await h.store.loadLiveGames(), [], 'the finished game left the games in progress');
  });

  it('a connection closed because this node no longer referees its game sends nothing it held, even between commits', async () => {
    harness = await ServiceHarness.create(['avi', 'bea'], { reconnectGraceMs: GRACE_MS });
    const h = harness;
    const [black, white] = await pairedGame(h);
    await h.settle();
    const sent = (client: MemoryClient) => client.types().length;
    const before = [sent(black), sent(white)];
    assert.equal(h.batch.holdsBack, false, 'no commit in flight');
    white.session.deliver({ type: 'OpponentDisconnect' });
    white.session.close('node-lost');
    black.session.deliver({ type: 'OpponentDisconnect' });
    black.session.close('takeover');
    await h.settle();
    assert.equal(sent(white), before[1], 'node-lost: the held reply is dropped');
    assert.equal(sent(black), (before[0] ?? 0) + 1, 'another reason: what was held still goes out first');
  });

  it('a second login takes over a player in a game: the old connection is closed, the game goes on', async () => {
    harness = await ServiceHarness.create(['avi', 'bea'], { reconnectGraceMs: GRACE_MS });
    const h = harness;
    const [black] = await pairedGame(h);
    const takeover = await h.login(nameOf(black));
    await h.until(() => black.closedByServer, 'the old connection to be closed');
    await h.until(() => takeover.types().includes('YourTurn'), 'the game to go on on the new connection');
    assert.deepEqual(takeover.types().slice(0, 3), ['QueuePosition', 'GameStart', 'YourTurn']);
    assert.equal(h.service.onlineCount, 2);
    await h.advance(GRACE_MS * 2);
    assert.deepEqual(await h.store.listGames(), [], 'no forfeit');
  });

  it('both away: the game is abandoned, unrated, once both graces have run out', async () => {
    harness = await ServiceHarness.create(['avi', 'bea'], { reconnectGraceMs: GRACE_MS });
    const h = harness;
    const [black, white] = await pairedGame(h);
    black.drop();
    white.drop();
    await h.until(() => h.service.onlineCount === 0, 'both drops to reach the service');
    await h.advance(GRACE_MS - 1000);
    assert.equal(h.batch.pending.results, 0);
    await h.advance(1000);
    await h.until(() => h.batch.commits > 0 && h.batch.pending.results === 0, 'the result to be committed');
    const [game] = await h.store.listGames();
    assert.equal(game?.termination, 'both-away');
    assert.equal(game?.winner, 'abandoned');
    assert.equal((await h.store.findAccount('avi'))?.rating.rating, DEFAULT_RATING.rating);
  });

  it('a player alone in the queue is offered the house bot after afterMs, not before', async () => {
    harness = await ServiceHarness.create(['avi'], { houseBot: { afterMs: 5000 } });
    const h = harness;
    const avi = await h.login('avi');
    await h.advance(4000);
    assert.ok(!avi.types().includes('GameStart'), 'not before afterMs');
    await h.advance(1000);
    await h.until(() => avi.types().includes('GameStart'), 'the house bot game');
    const start = avi.received().find((message) => message.type === 'GameStart');
    assert.equal(start?.type === 'GameStart' ? start.opponent : '', 'checkers-bot');
    assert.equal(h.service.activeMatches, 1);
  });

  it('no pairing while storage cannot write; pairing resumes once it writes again', async () => {
    harness = await ServiceHarness.create(['avi', 'bea']);
    const h = harness;
    // A game whose state SQLite refuses (NOT NULL), until it is mended: a real failed commit, retried.
    let mended = false;
    const broken: LiveGame = {
      id: 999,
      black: { accountId: 1, name: 'avi', rating: DEFAULT_RATING },
      white: { accountId: 2, name: 'bea', rating: DEFAULT_RATING },
      position: INITIAL_POSITION,
      quietPlies: 0,
      lastMove: 0,
      moves: [],
      startedAt: new Date(0),
    };
    h.batch.changed({
      id: 999,
      snapshot: () => (mended ? broken : { ...broken, black: { ...broken.black, name: null as unknown as string } }),
    });
    await h.until(() => h.batch.failing, 'the commit to fail');
    const avi = await h.login('avi');
    const bea = await h.login('bea');
    for (let second = 0; second < 5; second++) await h.advance(1000);
    assert.ok(!avi.types().includes('GameStart') && !bea.types().includes('GameStart'), 'nobody paired');
    assert.equal(h.service.lobby.size, 2);
    mended = true;
    await h.advance(2000);
    await h.until(() => !h.batch.failing, 'the retry to succeed');
    await h.advance(1000);
    await h.until(() => avi.types().includes('GameStart') && bea.types().includes('GameStart'), 'the pairing');
  });
});

/** The account a paired connection plays as: whichever of avi and bea its GameStart does not name. */
function nameOf(client: MemoryClient): string {
  const start = client.received().find((message) => message.type === 'GameStart');
  return start?.type === 'GameStart' && start.opponent === 'avi' ? 'bea' : 'avi';
}

describe('abandonedRecord', () => {
  it('records a result storage could not take as abandoned, for the same live game and with the same fencing token', () => {
    const player = (accountId: number) => ({
      accountId,
      name: `p${accountId}`,
      before: DEFAULT_RATING,
      after: { ...DEFAULT_RATING, rating: 1600 },
    });
    const game: FinishedGame = {
      black: player(1),
      white: player(2),
      winner: 'black',
      termination: 'no-pieces',
      moves: ['11-15'],
      startedAt: new Date(0),
      endedAt: new Date(1),
    };
    const replaced = abandonedRecord({ game, liveId: 9, fence: 4 });
    assert.deepEqual([replaced.liveId, replaced.fence], [9, 4]);
    assert.deepEqual([replaced.game.winner, replaced.game.termination], ['abandoned', 'storage-outage']);
    assert.deepEqual(replaced.game.black.after, DEFAULT_RATING, 'no rating change');
  });
});
