import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type MemoryClient, ServiceHarness } from '../../support/service-harness.js';

const GRACE_MS = 7_000;

/** Two version-2 players paired in 5+3 on the harness's manual clock; the first is Black. */
async function standardGame(harness: ServiceHarness, names: [string, string]): Promise<[MemoryClient, MemoryClient]> {
  const black = await harness.loginV2(names[0]);
  const white = await harness.loginV2(names[1]);
  for (const client of [black, white]) {
    client.send({ type: 'Seek', initialSeconds: 300, incrementSeconds: 3 });
    await harness.until(() => client.types().includes('QueuePosition'), 'queued');
  }
  await harness.advance(1000);
  await harness.until(() => black.types().includes('YourMove') && white.types().includes('TheirMove'), 'the game');
  return [black, white];
}

describe('version 2: an away player’s grace, on the manual clock', () => {
  it('runs out: the present opponent wins (GameOver2 reason 6 with the new rating), recorded as a disconnect', async () => {
    const harness = await ServiceHarness.create(['ga', 'gb'], { reconnectGraceMs: GRACE_MS });
    try {
      const [black, white] = await standardGame(harness, ['ga', 'gb']);
      black.drop();
      await harness.until(() => white.types().includes('OpponentAway'), 'told of the drop');
      assert.deepEqual(white.received().at(-1), { type: 'OpponentAway', graceSeconds: 7 });
      await harness.advance(GRACE_MS - 1000);
      assert.ok(!white.types().includes('GameOver2'), 'not before the grace is over');
      await harness.advance(1000);
      await harness.until(() => white.types().includes('GameOver2'), 'the forfeit');
      const over = white.received().find((message) => message.type === 'GameOver2');
      assert.ok(over?.type === 'GameOver2');
      assert.deepEqual([over.result, over.reason], [1, 6]);
      assert.ok(over.newRating > over.oldRating);
      const game = (await harness.store.listGames()).at(-1);
      assert.deepEqual([game?.winner, game?.termination, game?.rules], ['white', 'disconnect', 'standard']);
    } finally {
      await harness.close();
    }
  });

  it('both away until both graces run out: abandoned, no rating change', async () => {
    const harness = await ServiceHarness.create(['gc', 'gd'], { reconnectGraceMs: GRACE_MS });
    try {
      const [black, white] = await standardGame(harness, ['gc', 'gd']);
      black.drop();
      white.drop();
      await harness.advance(GRACE_MS + 1000);
      await harness.until(() => harness.batch.pending.results === 0, 'recorded');
      const game = (await harness.store.listGames()).at(-1);
      assert.deepEqual([game?.winner, game?.termination], ['abandoned', 'both-away']);
      assert.equal((await harness.store.findAccount('gc'))?.standard.rating.rating, 1200);
      assert.equal((await harness.store.findAccount('gc'))?.standard.games, 0);
    } finally {
      await harness.close();
    }
  });
});
