import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PhaseStats, SimPlayer, type StatsSink } from '../../bench/load/sim-player.js';
import type { HonestWait } from '../../bench/load/waits.js';
import { addPlayers, TEST_PASSWORD } from '../support/accounts.js';
import { RawClient } from '../support/raw-client.js';
import { startTestServer } from '../support/test-server.js';

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('bench:load simulated players', () => {
  it('keep a move against an attacker out of the latency figures, and report the wait with its opponent', async () => {
    const server = await startTestServer();
    const waits: HonestWait[] = [];
    const sink: StatsSink = {
      current: new PhaseStats('attack no-read'),
      window: new PhaseStats(),
      onWait: (honest) => waits.push(honest),
    };
    let player: SimPlayer | undefined;
    let attacker: RawClient | undefined;
    try {
      const [honest] = await addPlayers(server.store, 'p', 1);
      const [hostile] = await addPlayers(server.store, 'atk', 1);
      assert.ok(honest && hostile);
      player = new SimPlayer({
        port: server.port,
        localAddress: '127.0.0.1',
        name: honest,
        password: TEST_PASSWORD,
        thinkMs: [0, 0],
        random: () => 0,
        stats: sink,
        registry: new Map(),
      });
      // The player who waited longer moves first: the simulated one.
      await player.start();
      attacker = await RawClient.connect(server.port);
      attacker.send({ type: 'Connect', version: 1, username: hostile, password: TEST_PASSWORD });
      // The attacker hears the player's move, then leaves: the player's only answer is OpponentDisconnect.
      await attacker.next(['QueuePosition', 'GameStart'], 10_000);
      attacker.send({ type: 'LogOut' });
      await until(() => waits.length === 1, "the player's wait");

      assert.deepEqual(sink.current.latencies, []);
      assert.equal(sink.current.movesAgainstAttackers, 1);
      assert.equal(sink.window?.movesAgainstAttackers, 1);
      assert.equal(sink.current.longestWaitOnAttackerMs, waits[0]?.waitedMs);
      assert.equal(waits[0]?.player, honest);
      assert.equal(waits[0]?.opponent, hostile);
      assert.equal(waits[0]?.opponentSimulated, false);
      assert.equal(waits[0]?.settledBy, 'OpponentDisconnect');
      assert.equal(waits[0]?.phase, 'attack no-read');
    } finally {
      player?.stop();
      attacker?.socket.destroy();
      await server.stop();
    }
  });

  it('time a move between two simulated players, in the phase and in the soak window', async () => {
    const server = await startTestServer();
    const waits: HonestWait[] = [];
    const sink: StatsSink = {
      current: new PhaseStats('no attack'),
      window: new PhaseStats(),
      onWait: (w) => waits.push(w),
    };
    const registry = new Map<string, SimPlayer>();
    const players: SimPlayer[] = [];
    try {
      for (const name of await addPlayers(server.store, 'p', 2)) {
        players.push(
          new SimPlayer({
            port: server.port,
            localAddress: '127.0.0.1',
            name,
            password: TEST_PASSWORD,
            thinkMs: [0, 0],
            random: () => 0,
            stats: sink,
            registry,
          }),
        );
      }
      await Promise.all(players.map((player) => player.start()));
      await until(() => waits.length >= 3, 'three moves');
      assert.ok(sink.current.latencies.length >= 3);
      assert.equal(sink.current.movesAgainstAttackers, 0);
      assert.ok((sink.window?.latencies.length ?? 0) >= 3);
      assert.ok(waits.every((w) => w.opponentSimulated && w.waitedMs >= 0 && w.phase === 'no attack'));
    } finally {
      for (const player of players) player.stop();
      await server.stop();
    }
  });
});
