import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { pino } from 'pino';
import { BLACK, INITIAL_POSITION } from '../../src/game/position.js';
import type { LiveGame } from '../../src/server/domain/games.js';
import { DEFAULT_RATING } from '../../src/server/domain/rating.js';
import { openSqliteStore, type SqliteStore } from '../../src/server/store/sqlite-store.js';
import { type HeldOutput, TurnBatch } from '../../src/server/turn-batch.js';
import { Gate } from '../support/commit-gate.js';
import { ManualClock } from '../support/manual-clock.js';
import { legalMoveByte } from '../support/player.js';
import { ServiceHarness } from '../support/service-harness.js';

const turns = async (count = 5) => {
  for (let i = 0; i < count; i++) await new Promise((resolve) => setImmediate(resolve));
};

function liveGame(id: number): LiveGame {
  return {
    id,
    black: { accountId: 1, name: 'cam', rating: DEFAULT_RATING },
    white: { accountId: 2, name: 'jen', rating: DEFAULT_RATING },
    position: INITIAL_POSITION,
    quietPlies: 0,
    lastMove: 0,
    moves: [],
    startedAt: new Date(0),
  };
}

function output(name: string, released: string[]): HeldOutput {
  return { concernsGame: true, flushOutput: () => released.push(name), abandonOutput: () => {} };
}

describe('TurnBatch over an asynchronous store', () => {
  let store: SqliteStore | undefined;
  afterEach(() => store?.close());

  it('releases held replies only once their commit resolves; later turns wait for the next commit', async () => {
    store = await openSqliteStore(':memory:');
    const gate = new Gate();
    const batch = new TurnBatch(gate.wrap(store), pino({ level: 'silent' }), { clock: new ManualClock() });
    const released: string[] = [];
    batch.changed({ id: 1, snapshot: () => liveGame(1) });
    batch.hold(output('first', released));
    await turns();
    assert.equal(gate.commits.length, 1);
    assert.equal(batch.holdsBack, true);
    assert.deepEqual(released, [], 'nothing goes out while the commit is in flight');

    batch.changed({ id: 2, snapshot: () => liveGame(2) });
    batch.hold(output('second', released));
    await turns();
    assert.equal(gate.commits.length, 1, 'one commit in flight at a time');

    gate.pass();
    await turns();
    assert.deepEqual(released, ['first']);
    assert.equal(gate.commits.length, 2, 'the next turn commits once the first has resolved');
    assert.deepEqual(
      gate.commits[1]?.live.map((game) => game.id),
      [2],
    );

    gate.pass();
    await turns();
    assert.deepEqual(released, ['first', 'second']);
    assert.equal(batch.holdsBack, false);
    assert.deepEqual(
      (await store.loadLiveGames()).map((game) => game.id),
      [1, 2],
    );
  });

  it("a session's next message waits until the commit of its move resolves", async () => {
    const gate = new Gate();
    const harness = await ServiceHarness.create(['avi', 'bea'], { wrapStore: (real) => gate.wrap(real) });
    try {
      const avi = await harness.login('avi');
      const bea = await harness.login('bea');
      gate.open();
      await harness.advance(1000);
      await harness.until(() => avi.types().includes('GameStart') && bea.types().includes('GameStart'), 'pairing');
      const [black, white] = avi.types().includes('YourTurn') ? [avi, bea] : [bea, avi];
      const turn = black.received().find((message) => message.type === 'YourTurn');
      assert.ok(turn?.type === 'YourTurn');
      gate.closed = true;
      const commitsBefore = gate.commits.length;
      black.send({ type: 'MakeMove', move: legalMoveByte(turn.board, BLACK) });
      await harness.until(() => gate.commits.length > commitsBefore, 'the move to be committing');
      black.send({ type: 'LogOut' });
      await harness.settle(20);
      assert.equal(black.session.input, 'awaiting-commit');
      assert.equal(harness.service.onlineCount, 2, 'the LogOut waits for the move to be stored');
      assert.ok(!white.types().includes('YourTurn'), 'the move is not answered before it is stored');
      gate.open();
      await harness.until(() => white.types().includes('YourTurn'), 'the move to reach white');
      await harness.until(() => harness.service.onlineCount === 1, 'the LogOut to be handled');
    } finally {
      gate.open();
      await harness.close();
    }
  });

  it('a commit that fences a game off says so while its output is still held; the game is not committed again', async () => {
    store = await openSqliteStore(':memory:');
    await store.fenceGames([{ id: 1, fence: 9 }]);
    const gate = new Gate();
    const released: string[] = [];
    const told: Array<{ gameIds: readonly number[]; released: string[]; holdsBack: boolean }> = [];
    const batch: TurnBatch = new TurnBatch(gate.wrap(store), pino({ level: 'silent' }), {
      clock: new ManualClock(),
      fencedOff: (gameIds) => told.push({ gameIds, released: [...released], holdsBack: batch.holdsBack }),
    });
    const stale = { id: 1, snapshot: () => ({ ...liveGame(1), fence: 3 }) };
    batch.changed(stale);
    batch.changed({ id: 2, snapshot: () => ({ ...liveGame(2), fence: 3 }) });
    batch.hold(output('turn', released));
    await turns();
    batch.changed(stale);
    gate.pass();
    await turns();
    assert.deepEqual(told, [{ gameIds: [1], released: [], holdsBack: true }]);
    assert.deepEqual(released, ['turn']);
    assert.equal(gate.commits.length, 1, 'the fenced-off game, changed again meanwhile, is not committed again');
    assert.deepEqual(
      (await store.loadLiveGames()).map((game) => game.id),
      [2],
    );
  });

  it('with a minimum commit interval, moves of turns inside it share one commit; without, each turn commits', async () => {
    store = await openSqliteStore(':memory:');
    const counts: number[] = [];
    for (const minCommitIntervalMs of [0, 200]) {
      const gate = new Gate();
      gate.open();
      const clock = new ManualClock();
      const batch = new TurnBatch(gate.wrap(store), pino({ level: 'silent' }), { clock, minCommitIntervalMs });
      const released: string[] = [];
      for (let id = 1; id <= 4; id++) {
        batch.changed({ id, snapshot: () => liveGame(id) });
        batch.hold(output(`move ${id}`, released));
        await turns();
        clock.advance(10);
      }
      if (minCommitIntervalMs > 0) {
        // The first commit went at once; the next three wait, together, for the interval to pass.
        assert.deepEqual(released, ['move 1']);
        clock.advance(minCommitIntervalMs - 50);
        await turns();
        assert.deepEqual(released, ['move 1'], 'still inside the interval');
        clock.advance(10);
        await turns();
      }
      assert.deepEqual(released, ['move 1', 'move 2', 'move 3', 'move 4']);
      counts.push(gate.commits.length);
    }
    assert.deepEqual(counts, [4, 2]);
  });
});
