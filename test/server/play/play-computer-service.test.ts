import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InlineThinker, type ThinkRequest } from '../../../src/server/bot-thinker.js';
import { ServiceHarness } from '../../support/service-harness.js';

/** Records the level of every search it is asked for, then searches as the house bot does on the loop. */
class RecordingThinker extends InlineThinker {
  readonly levels: number[] = [];
  override think(request: ThinkRequest, answer: Parameters<InlineThinker['think']>[1]): () => void {
    this.levels.push(request.level);
    return super.think(request, answer);
  }
}

describe('PlayComputer in the game service (manual clock, --bot-after 0)', () => {
  it('the bot searches at the level asked for, not the one its rating table would pick', async () => {
    const thinker = new RecordingThinker(() => 0.5);
    const harness = await ServiceHarness.create(['pa'], { houseBot: { afterMs: 0, maxGames: 2, thinker } });
    try {
      const player = await harness.loginV2('pa');
      // Rating 1200 would give level 7 (levelForRating); the player asks for 2.
      player.send({
        type: 'PlayComputer',
        level: 2,
        initialSeconds: 600,
        incrementSeconds: 5,
        rated: false,
        colour: 0,
        opening: 0,
      });
      await harness.until(() => player.types().includes('YourMove'), 'the game against the computer');
      player.send({ type: 'MovePath', path: [11, 15] });
      await harness.until(() => player.types().includes('TheirMove'), 'the move accepted');
      // The bot's pause (0 ms here) runs on the manual clock.
      await harness.advance(1000);
      await harness.until(() => player.types().filter((type) => type === 'YourMove').length === 2, 'its answer');
      assert.deepEqual([...new Set(thinker.levels)], [2]);
    } finally {
      await harness.close();
    }
  });

  it('with --bot-after 0 a player waiting alone is never given the bot unasked', async () => {
    const harness = await ServiceHarness.create(['pb'], { houseBot: { afterMs: 0, maxGames: 2 } });
    try {
      const player = await harness.loginV2('pb');
      player.send({ type: 'Seek', initialSeconds: 300, incrementSeconds: 3 });
      await harness.until(() => player.types().includes('QueuePosition'), 'queued');
      await harness.advance(120_000);
      assert.ok(!player.types().includes('GameStart2'), 'still waiting for a person');
      assert.ok(player.types().filter((type) => type === 'QueuePosition').length > 60, 'told its place all along');
    } finally {
      await harness.close();
    }
  });
});
