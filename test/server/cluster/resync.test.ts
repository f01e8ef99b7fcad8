import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Envelope } from '../../../src/server/cluster/envelope.js';
import { NOTHING, RelaySession } from '../../../src/server/cluster/relay-order.js';
import {
  RESYNC_WAIT_MS,
  type RelayedGame,
  receivedBeforeSync,
  resyncExpired,
  resyncOutcome,
  startResync,
} from '../../../src/server/cluster/resync.js';

function relayedGame(): RelayedGame {
  const relay = new RelaySession(500);
  relay.opening();
  relay.next();
  return { gameId: 4, owner: 'alpha', missing: 0, relay };
}

const synced = (receivedUpTo: number, position: number, from = 'alpha'): Extract<Envelope, { type: 'synced' }> => ({
  type: 'synced',
  gameId: 4,
  accountId: 9,
  from,
  receivedUpTo,
  sequence: { epoch: 3, position, direction: 'to-player' },
});

describe('resync after Redis lost its data', () => {
  it('asks the referee with the next position of the session, and starts the wait', () => {
    const game = relayedGame();
    const sync = startResync(game, 9, 'beta', 1_000);
    assert.deepEqual(sync, {
      type: 'sync',
      gameId: 4,
      accountId: 9,
      from: 'beta',
      sequence: { epoch: 500, position: 2, direction: 'to-referee' },
    });
    assert.equal(game.sentBeforeSync, 1);
    assert.ok(!resyncExpired(game, 1_000 + RESYNC_WAIT_MS - 1));
    assert.ok(resyncExpired(game, 1_000 + RESYNC_WAIT_MS));
    assert.ok(!resyncExpired(undefined, 10 ** 9));
  });

  it('keeps the game when the notes agree, and the wait ends', () => {
    const game = relayedGame();
    startResync(game, 9, 'beta', 0);
    const appliedBefore = { epoch: 3, position: 6, direction: 'to-player' } as const;
    assert.equal(resyncOutcome(game, synced(1, 7), appliedBefore), 'keep');
    assert.ok(!resyncExpired(game, 10 ** 9));
    assert.equal(resyncOutcome(game, synced(1, 8), appliedBefore), 'ignore', 'no longer awaited');
  });

  it('has the player rejoin when either side lost something', () => {
    const appliedBefore = { epoch: 3, position: 6, direction: 'to-player' } as const;
    for (const [answer, before] of [
      [synced(0, 7), appliedBefore],
      [synced(1, 8), appliedBefore],
      [synced(1, 7), undefined],
    ] as const) {
      const game = relayedGame();
      startResync(game, 9, 'beta', 0);
      assert.equal(resyncOutcome(game, answer, before), 'rejoin');
    }
  });

  it('ignores an answer from another node, for another game, or when none is awaited', () => {
    const game = relayedGame();
    assert.equal(resyncOutcome(game, synced(1, 7), undefined), 'ignore', 'nothing asked');
    startResync(game, 9, 'beta', 0);
    assert.equal(resyncOutcome(game, synced(1, 7, 'gamma'), undefined), 'ignore');
    assert.equal(resyncOutcome(game, { ...synced(1, 7), gameId: 5 }, undefined), 'ignore');
    assert.equal(resyncOutcome(undefined, synced(1, 7), undefined), 'ignore');
  });

  it('the referee answers with the last position of the same session it applied, else NOTHING', () => {
    const sync: Envelope = {
      type: 'sync',
      gameId: 4,
      accountId: 9,
      from: 'beta',
      sequence: { epoch: 500, position: 2, direction: 'to-referee' },
    };
    assert.equal(receivedBeforeSync(sync, { epoch: 500, position: 1, direction: 'to-referee' }), 1);
    assert.equal(receivedBeforeSync(sync, { epoch: 499, position: 8, direction: 'to-referee' }), NOTHING);
    assert.equal(receivedBeforeSync(sync, undefined), NOTHING);
  });
});
