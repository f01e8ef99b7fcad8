import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PhaseStats, SimPlayer, type StatsSink } from '../../bench/load/sim-player.js';
import { latencyByVersion, versionOf } from '../../bench/load/versions.js';
import { addPlayers, TEST_PASSWORD } from '../support/accounts.js';
import { startTestServer } from '../support/test-server.js';

async function until(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('bench:load with version-2 players (--v2-share)', () => {
  it('spreads the version-2 share evenly over the players', () => {
    const versions = Array.from({ length: 10 }, (_, i) => versionOf(i, 0.3));
    assert.equal(versions.filter((version) => version === 2).length, 3);
    assert.deepEqual(
      Array.from({ length: 4 }, (_, i) => versionOf(i, 0)),
      [1, 1, 1, 1],
    );
    assert.deepEqual(
      Array.from({ length: 4 }, (_, i) => versionOf(i, 1)),
      [2, 2, 2, 2],
    );
  });

  it('two version-2 players play legal paths on a real server, timed apart from version 1', async () => {
    const server = await startTestServer();
    const sink: StatsSink = { current: new PhaseStats('no attack') };
    const registry = new Map<string, SimPlayer>();
    const players: SimPlayer[] = [];
    try {
      for (const name of await addPlayers(server.store, 'v', 2)) {
        players.push(
          new SimPlayer({
            port: server.port,
            localAddress: '127.0.0.1',
            name,
            password: TEST_PASSWORD,
            thinkMs: [0, 0],
            random: Math.random,
            stats: sink,
            registry,
            version: 2,
          }),
        );
      }
      await Promise.all(players.map((player) => player.start()));
      await until(() => sink.current.byVersion[2].length >= 10, 'ten timed version-2 moves');
      assert.equal(sink.current.errors, 0, 'no IllegalMove: every path was legal');
      assert.deepEqual(sink.current.byVersion[1], []);
      const figures = latencyByVersion(sink.current);
      assert.ok(figures[2].samples >= 10);
      assert.ok(figures[2].p50 <= figures[2].p99);
      assert.equal(figures[1].samples, 0);
    } finally {
      for (const player of players) player.stop();
      await server.stop();
    }
  });
});
