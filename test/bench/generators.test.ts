import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GeneratorProcess, type GeneratorSlice, phasePlan, slices } from '../../bench/load/generators.js';
import { joinMoves } from '../../bench/load/move-join.js';
import { addPlayers, TEST_PASSWORD } from '../support/accounts.js';
import { startTestServer } from '../support/test-server.js';

function slice(port: number, first: number, end: number): GeneratorSlice {
  return { ports: [port], first, end, perAddress: 16, thinkMs: [0, 0], password: TEST_PASSWORD, loginBatch: 200 };
}

describe('bench:load --nodes load generator processes', () => {
  it('split the players into consecutive slices that cover them all', () => {
    assert.deepEqual(slices(10, 3), [
      { first: 0, end: 3 },
      { first: 3, end: 6 },
      { first: 6, end: 10 },
    ]);
    assert.deepEqual(slices(5, 1), [{ first: 0, end: 5 }]);
  });

  it('hold at most 18,000 players on one node, a share plus 500 on each of several, 15,000 per process', () => {
    assert.deepEqual(phasePlan(50_000, 1), { players: 18_000, maxConnections: 18_100, generators: 2 });
    assert.deepEqual(phasePlan(50_000, 3), { players: 50_000, maxConnections: 17_167, generators: 4 });
    assert.deepEqual(phasePlan(54_000, 3, 3), { players: 54_000, maxConnections: 18_500, generators: 3 });
    assert.deepEqual(phasePlan(3_000, 1), { players: 3_000, maxConnections: 3_100, generators: 1 });
    assert.deepEqual(phasePlan(3_000, 3, 2), { players: 3_000, maxConnections: 1_500, generators: 2 });
    assert.equal(phasePlan(90_000, 2).maxConnections, 19_000);
  });

  it('leave out players whose connection the server refused, and measure the others', async () => {
    const server = await startTestServer({ limits: { maxConnections: 2 } });
    let generator: GeneratorProcess | undefined;
    try {
      await addPlayers(server.store, 'c', 4);
      generator = GeneratorProcess.start(slice(server.port, 1, 5));
      const ready = await generator.next('ready', 20_000);
      assert.equal(ready.loggedIn, 2);
      assert.equal(ready.failed, 2);
      assert.match(ready.firstFailure ?? '', /^c\d: /);
      generator.send({ type: 'measure' });
      // The log so far may be collected at any time; wait (bounded) for the two players' first moves.
      const deadline = Date.now() + 10_000;
      for (;;) {
        generator.send({ type: 'collect' });
        if ((await generator.next('results', 20_000)).sent.mover.length > 0) break;
        if (Date.now() > deadline) throw new Error('no move within 10 s');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      generator.send({ type: 'end' });
      generator.send({ type: 'collect' });
      const results = await generator.next('results', 20_000);
      assert.ok(results.sent.mover.length > 0);
      assert.ok(results.seconds > 0);
      const joined = joinMoves([results.sent], [results.heard], () => 0);
      assert.ok(joined.latencies.length >= results.sent.mover.length - 1);
      await generator.stop();
    } finally {
      await generator?.stop();
      await server.stop();
    }
  });

  it('leave out a player whose login is refused instead of waiting for it', async () => {
    const server = await startTestServer();
    let generator: GeneratorProcess | undefined;
    try {
      await addPlayers(server.store, 'c', 2);
      // c3 has no account.
      generator = GeneratorProcess.start(slice(server.port, 1, 4));
      const ready = await generator.next('ready', 20_000);
      assert.equal(ready.loggedIn, 2);
      assert.equal(ready.failed, 1);
      assert.match(ready.firstFailure ?? '', /^c3: login refused \(there is no account/);
    } finally {
      await generator?.stop();
      await server.stop();
    }
  });
});
