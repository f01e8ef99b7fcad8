import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Gate } from '../../support/commit-gate.js';
import { ServiceHarness } from '../../support/service-harness.js';

describe('version 2 keeps the reply-after-commit barrier', () => {
  it('a path is answered (TheirMove to the mover, YourMove to the opponent) only once its commit resolves', async () => {
    const gate = new Gate();
    gate.open();
    const harness = await ServiceHarness.create(['vic', 'wes'], { wrapStore: (real) => gate.wrap(real) });
    try {
      const vic = await harness.loginV2('vic');
      const wes = await harness.loginV2('wes');
      vic.send({ type: 'Seek', initialSeconds: 300, incrementSeconds: 3 });
      await harness.until(() => vic.types().includes('QueuePosition'), 'vic queued');
      wes.send({ type: 'Seek', initialSeconds: 300, incrementSeconds: 3 });
      await harness.until(() => wes.types().includes('QueuePosition'), 'wes queued');
      await harness.advance(1000);
      await harness.until(() => vic.types().includes('YourMove') && wes.types().includes('TheirMove'), 'the game');
      gate.closed = true;
      const commitsBefore = gate.commits.length;
      vic.send({ type: 'MovePath', path: [11, 15] });
      await harness.until(() => gate.commits.length > commitsBefore, 'the move to be committing');
      vic.send({ type: 'OfferDraw' });
      await harness.settle(20);
      assert.equal(vic.types().filter((type) => type === 'TheirMove').length, 0, 'no acceptance before the commit');
      assert.equal(
        wes.types().filter((type) => type === 'YourMove').length,
        0,
        'the move is not told before it is stored',
      );
      assert.equal(vic.session.input, 'awaiting-commit', 'the next message waits for the commit');
      const committed = gate.commits.at(-1)?.live.find((game) => game.moves.length === 1);
      assert.deepEqual(committed?.moves, ['11-15']);
      gate.open();
      await harness.until(() => wes.types().includes('YourMove') && vic.types().includes('TheirMove'), 'released');
      await harness.until(() => wes.types().includes('DrawOffered'), 'the draw offer, handled after');
    } finally {
      gate.open();
      await harness.close();
    }
  });
});
