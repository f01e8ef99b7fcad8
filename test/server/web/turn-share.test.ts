import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TurnShare } from '../../../src/server/web/turn-share.js';

/** Resolves after `turns` turns of the event loop. */
async function turnsPass(turns: number): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

describe('API work takes turns of the event loop', () => {
  it('starts one piece of work per turn, round-robin between addresses', async () => {
    const share = new TurnShare();
    const started: string[] = [];
    const runs = [
      ...['a1', 'a2', 'a3', 'a4'].map((name) => share.run('127.0.0.1', async () => started.push(name))),
      ...['b1', 'b2'].map((name) => share.run('127.0.0.2', async () => started.push(name))),
    ];
    await turnsPass(1);
    assert.ok(started.length <= 1, `${started.join(',')} started in the first turn`);
    await Promise.all(runs);
    assert.deepEqual(started, ['a1', 'a2', 'b1', 'a3', 'b2', 'a4']);
  });

  it('work that waits does not hold up the next start', async () => {
    const share = new TurnShare();
    const never = share.run('127.0.0.1', () => new Promise<void>(() => {}));
    const done = await share.run('127.0.0.2', async () => 'answered');
    assert.equal(done, 'answered');
    assert.equal(share.waiting, 0);
    void never;
  });
});
