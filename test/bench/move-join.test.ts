import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { joinMoves, MoveLog, type MovesSent, monotonicMs, playerIndex } from '../../bench/load/move-join.js';
import { PhaseStats, SimPlayer } from '../../bench/load/sim-player.js';
import { addPlayers, TEST_PASSWORD } from '../support/accounts.js';
import { startTestServer } from '../support/test-server.js';

/** Moves as rows: [mover, opponent, sent at, settled here at (NaN: nothing heard here)]. */
function sent(rows: ReadonlyArray<readonly [number, number, number, number]>): MovesSent {
  return {
    mover: rows.map((row) => row[0]),
    opponent: rows.map((row) => row[1]),
    at: rows.map((row) => row[2]),
    settledAt: rows.map((row) => row[3]),
  };
}

function heard(rows: ReadonlyArray<readonly [number, number]>) {
  return { mover: rows.map((row) => row[0]), at: rows.map((row) => row[1]) };
}

const onNodeOf3 = (player: number) => player % 3;

describe('bench:load --nodes move join', () => {
  it('times a move by the YourTurn its opponent heard in another process', () => {
    // Player 0 (node 0) in process A moves against player 3 (node 0) in process B.
    const joined = joinMoves([sent([[0, 3, 100, Number.NaN]]), sent([])], [heard([]), heard([[0, 103.5]])], onNodeOf3);
    assert.deepEqual(joined.latencies, [3.5]);
    assert.deepEqual(joined.sameNode, [3.5]);
    assert.deepEqual(joined.crossNode, []);
    assert.equal(joined.unsettled, 0);
  });

  it('ends a jump at its CompulsoryMove, heard by the mover, and the last jump at the YourTurn', () => {
    // Player 1 (node 1) jumps twice against player 2 (node 2): CompulsoryMove after the first jump.
    const joined = joinMoves(
      [sent([[1, 2, 200, 201]]), sent([[1, 2, 205, Number.NaN]])],
      [heard([[1, 209]])],
      onNodeOf3,
    );
    assert.deepEqual(
      joined.latencies.sort((a, b) => a - b),
      [1, 4],
    );
    assert.deepEqual(joined.crossNode.length, 2);
  });

  it('matches each YourTurn to the latest move before it, whatever order the logs arrive in', () => {
    // Player 4 moved three times; its opponent 5 heard the turns in another process, logged out of order,
    // and process B's log comes before process A's.
    const joined = joinMoves(
      [
        sent([[5, 4, 107, Number.NaN]]),
        sent([
          [4, 5, 120, Number.NaN],
          [4, 5, 100, Number.NaN],
          [4, 5, 110, Number.NaN],
        ]),
      ],
      [
        heard([
          [4, 125],
          [4, 103],
        ]),
        heard([
          [5, 109],
          [4, 114],
        ]),
      ],
      onNodeOf3,
    );
    assert.deepEqual(
      joined.latencies.sort((a, b) => a - b),
      [2, 3, 4, 5],
    );
    assert.equal(joined.crossNode.length, 4);
  });

  it('takes the earlier of the consequence heard here and the one heard elsewhere', () => {
    // The move ended the game: the mover heard GameOver at 302, its opponent (in the other process) a late YourTurn.
    const joined = joinMoves([sent([[6, 9, 300, 302]])], [heard([[6, 305]])], onNodeOf3);
    assert.deepEqual(joined.latencies, [2]);
    assert.deepEqual(joined.sameNode, [2]);
  });

  it('leaves out turns heard before a mover logged any move, and counts moves nothing answered', () => {
    const joined = joinMoves(
      [
        sent([
          [7, 8, 400, Number.NaN],
          [8, 7, 402, Number.NaN],
        ]),
      ],
      [
        heard([
          [7, 390],
          [8, 405],
          [11, 500],
        ]),
      ],
      onNodeOf3,
    );
    assert.deepEqual(joined.latencies, [3]);
    assert.equal(joined.unsettled, 1);
  });

  it('logs moves of the measured window only, their local consequences, and the turns heard meanwhile', () => {
    let now = 0;
    const log = new MoveLog(() => now);
    log.moveSent('c1', 'c2');
    log.turnHeard('c1', 'c2');
    log.start();
    now = 10;
    // c1's move before the window is not logged, so its answer here is not either.
    log.settledLocally('c1');
    log.moveSent('c1', 'c2');
    now = 12;
    log.settledLocally('c1');
    log.moveSent('c1', 'c2');
    now = 13;
    log.turnHeard('c1', 'c2');
    // c1 heard a YourTurn: its own last move was answered elsewhere; a later GameOver is no answer to it.
    log.turnHeard('c2', 'c1');
    now = 20;
    log.settledLocally('c1');
    log.stopSending();
    log.moveSent('c2', 'c1');
    log.turnHeard('c2', 'c1');
    assert.deepEqual(log.sent, {
      mover: [1, 1],
      opponent: [2, 2],
      at: [10, 12],
      settledAt: [12, Number.NaN],
    });
    assert.deepEqual(log.heard, { mover: [1, 2, 2], at: [13, 13, 20] });
    assert.equal(playerIndex('c17'), 17);
    assert.equal(playerIndex('house-bot'), -1);
  });

  it('times moves between simulated players that do not know each other, as in two processes', async () => {
    const server = await startTestServer();
    const logs = [new MoveLog(), new MoveLog()];
    const players: SimPlayer[] = [];
    try {
      const names = await addPlayers(server.store, 'c', 2);
      for (const [i, name] of names.entries()) {
        players.push(
          new SimPlayer({
            port: server.port,
            localAddress: '127.0.0.1',
            name,
            password: TEST_PASSWORD,
            thinkMs: [0, 0],
            random: () => 0,
            stats: { current: new PhaseStats() },
            recorder: logs[i],
          }),
        );
      }
      for (const log of logs) log.start();
      const started = monotonicMs();
      await Promise.all(players.map((player) => player.start()));
      const deadline = Date.now() + 10_000;
      while (logs.reduce((sum, log) => sum + log.sent.mover.length, 0) < 6) {
        if (Date.now() > deadline) throw new Error('timed out waiting for six moves');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      for (const log of logs) log.stopSending();
      for (const player of players) player.stop();
      const joined = joinMoves(
        logs.map((log) => log.sent),
        logs.map((log) => log.heard),
        () => 0,
      );
      // All but maybe the last move were answered, each after it was sent and within the test.
      assert.ok(joined.latencies.length >= 5);
      assert.ok(joined.unsettled <= 1);
      const elapsed = monotonicMs() - started;
      assert.ok(joined.latencies.every((latency) => latency >= 0 && latency <= elapsed));
    } finally {
      for (const player of players) player.stop();
      await server.stop();
    }
  });
});
