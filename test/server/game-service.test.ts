import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { BLACK, INITIAL_POSITION, WHITE } from '../../src/game/position.js';
import type { AnyMessage } from '../../src/protocol/index.js';
import type { FinishedGame, LiveGame } from '../../src/server/domain/games.js';
import { DEFAULT_RATING } from '../../src/server/domain/rating.js';
import { abandonedRecord } from '../../src/server/game-service.js';
import type { Session } from '../../src/server/session.js';
import { legalMoveByte } from '../support/player.js';
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

  it("a move's path goes one way: nothing is delivered into the mover's session while the service handles its move", async () => {
    harness = await ServiceHarness.create(['avi', 'bea']);
    const h = harness;
    const [black, white] = await pairedGame(h);
    let mover: Session | undefined;
    const intoMover: string[] = [];
    const afterMove: string[] = [];
    const move = h.service.move.bind(h.service);
    h.service.move = (session, byte) => {
      mover = session;
      try {
        return move(session, byte);
      } finally {
        mover = undefined;
      }
    };
    for (const client of [black, white]) {
      const deliver = client.session.deliver.bind(client.session);
      client.session.deliver = (message: AnyMessage) => {
        if (mover === client.session) intoMover.push(message.type);
        else if (message.type === 'CompulsoryMove' || message.type === 'GameOver') afterMove.push(message.type);
        deliver(message);
      };
    }
    // Both play their first legal step until the game ends: captures the server plays (CompulsoryMove) and the
    // GameOver reach the mover too, each after the service has returned.
    const answered = new Map<MemoryClient, number>([
      [black, 0],
      [white, 0],
    ]);
    for (let moves = 0; moves < 400 && !black.types().includes('GameOver'); moves++) {
      await h.until(
        () =>
          black.types().includes('GameOver') ||
          [black, white].some(
            (client) => client.types().filter((type) => type === 'YourTurn').length > (answered.get(client) ?? 0),
          ),
        'a YourTurn or the GameOver',
      );
      for (const [client, color] of [
        [black, BLACK],
        [white, WHITE],
      ] as const) {
        const turns = client.received().filter((message) => message.type === 'YourTurn');
        const turn = turns[answered.get(client) ?? 0];
        if (turn?.type !== 'YourTurn' || black.types().includes('GameOver')) continue;
        answered.set(client, (answered.get(client) ?? 0) + 1);
        client.send({ type: 'MakeMove', move: legalMoveByte(turn.board, color) });
      }
    }
    assert.ok(black.types().includes('GameOver'), 'the game ended');
    assert.ok(
      afterMove.includes('GameOver') && afterMove.includes('CompulsoryMove'),
      "the mover heard its move's results",
    );
    assert.deepEqual(intoMover, []);
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
