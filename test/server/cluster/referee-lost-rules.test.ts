import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Message } from '../../../src/protocol/index.js';
import { NO_MOVE, ProtocolMachine } from '../../../src/protocol/index.js';
import { NODE_GONE_CHECKS, PlayerNodes } from '../../../src/server/cluster/player-nodes.js';
import { refereeVerdict, skippedOnResume } from '../../../src/server/cluster/referee-lost.js';
import { RelaySession } from '../../../src/server/cluster/relay-order.js';
import type { RelayedGame } from '../../../src/server/cluster/resync.js';
import { storedGameOf } from '../../../src/server/cluster/stored-game.js';
import type { LiveGameRef } from '../../../src/server/store/store.js';

const game: RelayedGame = { gameId: 1, owner: 'alpha', missing: 0, relay: new RelaySession(1) };
const board = new Array(32).fill(0) as never;
const yourTurn: Message = { type: 'YourTurn', lastMove: NO_MOVE, board };
const gameStart: Message = { type: 'GameStart', opponent: 'kim', opponentRating: 1500 };

/** A server-side machine driven through `messages` (client ones received, server ones sent). */
function machineAfter(...steps: Array<['send' | 'receive', Message['type']]>): ProtocolMachine {
  const machine = new ProtocolMachine('server');
  for (const [action, type] of steps) assert.ok(machine[action](type).ok, `${action} ${type}`);
  return machine;
}

describe('referee lost: the rules', () => {
  it('keeps the game while its referee holds the lease, takes it over when nobody does, follows it elsewhere', () => {
    assert.equal(refereeVerdict(game, 'alpha', 'beta'), 'keep');
    assert.equal(refereeVerdict(game, undefined, 'beta'), 'take-over');
    assert.equal(refereeVerdict(game, 'beta', 'beta'), 'here');
    assert.equal(refereeVerdict(game, 'gamma', 'beta'), 'follow');
  });

  it('on a resume, leaves out GameStart once in the game and YourTurn when the turn is held already', () => {
    const waiting = machineAfter(['receive', 'Connect']);
    waiting.resolve('accepted');
    assert.ok(waiting.send('QueuePosition').ok);
    assert.ok(!skippedOnResume(waiting, gameStart), 'a login that waits hears GameStart');
    assert.ok(waiting.send('GameStart').ok);
    assert.ok(skippedOnResume(waiting, gameStart), 'in the game already');
    assert.ok(!skippedOnResume(waiting, yourTurn), 'not holding the turn: told');
    assert.ok(waiting.send('YourTurn').ok);
    assert.ok(skippedOnResume(waiting, yourTurn), 'holding the turn: the same board again is left out');
    assert.ok(waiting.receive('MakeMove').ok);
    assert.ok(!skippedOnResume(waiting, yourTurn), 'a move never answered: YourTurn asks for it again');
    assert.ok(!skippedOnResume(waiting, { type: 'OpponentDisconnect' }), 'anything else goes through');
  });

  it(`takes a node for gone after ${NODE_GONE_CHECKS} checks in a row without its key, once; reset forgets`, () => {
    const nodes = new PlayerNodes();
    for (let check = 1; check < NODE_GONE_CHECKS; check++) assert.deepEqual(nodes.observe(['gamma'], [false]), []);
    assert.deepEqual(nodes.observe(['gamma', 'delta'], [false, true]), ['gamma']);
    assert.deepEqual(nodes.observe(['gamma'], [false]), [], 'told once');
    const flaky = new PlayerNodes();
    flaky.observe(['gamma'], [false]);
    flaky.observe(['gamma'], [true]);
    for (let check = 1; check < NODE_GONE_CHECKS; check++) assert.deepEqual(flaky.observe(['gamma'], [false]), []);
    flaky.reset();
    assert.deepEqual(flaky.observe(['gamma'], [false]), [], 'counted again from the reset');
  });

  it("finds an account's stored game across pages, and none when it has none", async () => {
    const refs: LiveGameRef[] = Array.from({ length: 7 }, (_, i) => ({
      id: i + 1,
      blackId: 100 + i,
      whiteId: 200 + i,
    }));
    const reads: number[] = [];
    const store = {
      async liveGameRefs(page?: { after: number; limit: number }) {
        reads.push(page?.after ?? 0);
        return refs.filter((ref) => ref.id > (page?.after ?? 0)).slice(0, page?.limit);
      },
    };
    assert.equal(await storedGameOf(store, 206, 3), 7);
    assert.deepEqual(reads, [0, 3, 6], 'page after page');
    assert.equal(await storedGameOf(store, 101, 3), 2);
    assert.equal(await storedGameOf(store, 999, 3), undefined);
  });
});
