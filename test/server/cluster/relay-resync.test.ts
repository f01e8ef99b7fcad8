import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { toWireBoard } from '../../../src/common/wire.js';
import { BLACK, INITIAL_POSITION } from '../../../src/game/position.js';
import { encodeMessage, type Message, NO_MOVE } from '../../../src/protocol/index.js';
import type { Envelope } from '../../../src/server/cluster/envelope.js';
import { RESYNC_WAIT_MS } from '../../../src/server/cluster/relay-guard.js';
import { NOTHING } from '../../../src/server/cluster/relay-order.js';
import { FakeCluster } from '../../support/fake-cluster.js';
import { legalMoveByte } from '../../support/player.js';
import type { MemoryClient } from '../../support/service-harness.js';
import { ServiceHarness } from '../../support/service-harness.js';

const GAME = 42;
/** The referee's fencing token for the game. */
const FENCE = 7;

/**
 * One node (beta) whose player plays game 42, refereed by alpha: what
 * beta does with relayed messages and after Redis lost its data, on the
 * manual clock, with the cluster faked.
 */
describe('a relayed game on the player node', () => {
  let cluster: FakeCluster;
  let harness: ServiceHarness;
  let player: MemoryClient;
  let playerId: number;
  let position: number;

  /** A message from the referee to player, the next in its stream unless `at` says otherwise. */
  function fromReferee(message: Message, at = position + 1): void {
    position = Math.max(position, at);
    const b = Buffer.from(encodeMessage(message)).toString('base64');
    cluster.handler?.receive({
      t: 'msg',
      g: GAME,
      a: playerId,
      from: 'alpha',
      b,
      sequence: { epoch: FENCE, position: at, direction: 'to-player' },
    });
  }

  function synced(receivedUpTo: number, at = position + 1): void {
    position = Math.max(position, at);
    cluster.handler?.receive({
      t: 'synced',
      g: GAME,
      a: playerId,
      from: 'alpha',
      receivedUpTo,
      sequence: { epoch: FENCE, position: at, direction: 'to-player' },
    });
  }

  beforeEach(async () => {
    cluster = new FakeCluster();
    harness = await ServiceHarness.create(['relayed1'], { cluster });
    playerId = (await harness.store.findAccount('relayed1'))?.id ?? 0;
    cluster.games.set(playerId, GAME);
    position = 0;
    player = await harness.login('relayed1');
    await harness.until(() => cluster.sentOfType('join').length === 1, 'the join');
    fromReferee({ type: 'GameStart', opponent: 'kim', opponentRating: 1500 });
    await harness.settle();
  });

  afterEach(async () => {
    await harness.close();
  });

  it('opens a relay session with its join, and numbers what follows in it', async () => {
    const [join] = cluster.sentOfType('join');
    assert.equal(join?.sequence?.position, 0);
    assert.equal(join?.sequence?.direction, 'to-referee');
    const board = toWireBoard(INITIAL_POSITION, BLACK);
    fromReferee({ type: 'YourTurn', lastMove: NO_MOVE, board });
    await harness.settle();
    player.send({ type: 'MakeMove', move: legalMoveByte(board, BLACK) });
    await harness.until(() => cluster.sentOfType('move').length === 1, 'the move');
    const [move] = cluster.sentOfType('move');
    assert.deepEqual(move?.sequence, { epoch: join?.sequence?.epoch, position: 1, direction: 'to-referee' });
  });

  it('delivers a message from the referee once, however often it arrives', async () => {
    fromReferee({ type: 'OpponentDisconnect' }, 1);
    await harness.settle();
    assert.deepEqual(player.types(), ['QueuePosition', 'GameStart']);
    assert.ok(!player.closedByServer);
  });

  it('after Redis lost its data, keeps the game when nothing was lost either way', async () => {
    cluster.handler?.redisReset();
    const [sync] = cluster.sentOfType('sync');
    assert.equal(sync?.sequence?.position, 1, 'after the join');
    synced(0);
    await harness.settle();
    await harness.advance(RESYNC_WAIT_MS * 2);
    assert.ok(!player.closedByServer, 'player stays connected');
  });

  it('after Redis lost its data, closes the connection to rejoin if the referee missed what player sent', async () => {
    cluster.handler?.redisReset();
    synced(NOTHING);
    await harness.settle();
    assert.ok(player.closedByServer);
  });

  it('after Redis lost its data, closes the connection to rejoin if a message from the referee was lost', async () => {
    cluster.handler?.redisReset();
    synced(0, position + 2);
    await harness.settle();
    assert.ok(player.closedByServer);
  });

  it(`waits ${RESYNC_WAIT_MS} ms for the referee's answer, then closes the connection to rejoin`, async () => {
    cluster.handler?.redisReset();
    await harness.advance(RESYNC_WAIT_MS - 1000);
    assert.ok(!player.closedByServer, 'still waiting');
    await harness.advance(2000);
    assert.ok(player.closedByServer, 'the referee never answered');
  });

  it("tells the result that arrives before the referee's answer, and closes nothing", async () => {
    cluster.handler?.redisReset();
    fromReferee({ type: 'OpponentDisconnect' });
    synced(0);
    await harness.settle();
    await harness.advance(RESYNC_WAIT_MS * 2);
    assert.deepEqual(player.types(), ['QueuePosition', 'GameStart', 'OpponentDisconnect']);
    assert.ok(!player.closedByServer);
  });

  it("acts on 'gone' only from the node refereeing the game", async () => {
    const gone = (from: string): Envelope => ({ t: 'gone', g: GAME, a: playerId, from });
    cluster.handler?.receive(gone('gamma'));
    await harness.settle();
    assert.ok(!player.closedByServer);
    cluster.handler?.receive(gone('alpha'));
    await harness.settle();
    assert.ok(player.closedByServer);
  });
});
