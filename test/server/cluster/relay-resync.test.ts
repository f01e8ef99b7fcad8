import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { toWireBoard } from '../../../src/common/wire.js';
import { BLACK, INITIAL_POSITION, WHITE } from '../../../src/game/position.js';
import { decodeMessageAt, encodeMessage, type Message, NO_MOVE } from '../../../src/protocol/index.js';
import type { Envelope } from '../../../src/server/cluster/envelope.js';
import { NOTHING } from '../../../src/server/cluster/relay-order.js';
import { RESYNC_WAIT_MS } from '../../../src/server/cluster/resync.js';
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
      type: 'msg',
      gameId: GAME,
      accountId: playerId,
      from: 'alpha',
      bytes: b,
      sequence: { epoch: FENCE, position: at, direction: 'to-player' },
    });
  }

  function synced(receivedUpTo: number, at = position + 1): void {
    position = Math.max(position, at);
    cluster.handler?.receive({
      type: 'synced',
      gameId: GAME,
      accountId: playerId,
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
    assert.ok(!player.closedByServer, 'the player stays connected');
  });

  it('after Redis lost its data, closes the connection to rejoin if the referee missed what the player sent', async () => {
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

  it(`waits ${RESYNC_WAIT_MS} ms for the referee's answer, then joins the game again, still connected`, async () => {
    cluster.handler?.redisReset();
    await harness.advance(RESYNC_WAIT_MS - 1000);
    assert.equal(cluster.sentOfType('join').length, 1, 'still waiting');
    await harness.advance(2000);
    assert.ok(!player.closedByServer, 'the referee never answered; the player stays');
    const joins = cluster.sentOfType('join');
    assert.equal(joins.length, 2, 'joined again');
    assert.ok((joins[1]?.sequence?.epoch ?? 0) > (joins[0]?.sequence?.epoch ?? 0), 'in a new relay session');
    // The referee's rejoin: GameStart (the connection is past it), then the game goes on.
    fromReferee({ type: 'GameStart', opponent: 'kim', opponentRating: 1500 });
    fromReferee({ type: 'YourTurn', lastMove: NO_MOVE, board: toWireBoard(INITIAL_POSITION, BLACK) });
    await harness.settle();
    assert.deepEqual(player.types(), ['QueuePosition', 'GameStart', 'YourTurn']);
    assert.ok(!player.closedByServer);
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
    const gone = (from: string): Envelope => ({ type: 'gone', gameId: GAME, accountId: playerId, from });
    cluster.handler?.receive(gone('gamma'));
    await harness.settle();
    assert.ok(!player.closedByServer);
    cluster.handler?.receive(gone('alpha'));
    await harness.settle();
    assert.ok(player.closedByServer);
  });
});

/**
 * The same node as the referee: its player black plays white, who is logged
 * in on gamma; what beta does with white's relayed messages.
 */
describe('a relayed game on the referee', () => {
  const WHITE_ID = 9_999;
  let cluster: FakeCluster;
  let harness: ServiceHarness;
  let black: MemoryClient;

  /** What beta sent white, decoded, with each message's position. */
  function toWhite(): Array<[string, number | undefined]> {
    return cluster
      .sentOfType('msg')
      .filter((envelope) => envelope.accountId === WHITE_ID)
      .map((envelope) => [decodeMessageAt(Buffer.from(envelope.bytes, 'base64'), 0).type, envelope.sequence?.position]);
  }

  beforeEach(async () => {
    cluster = new FakeCluster();
    harness = await ServiceHarness.create(['referee1'], { cluster });
    const account = await harness.store.findAccount('referee1');
    assert.ok(account);
    black = await harness.login('referee1');
    const entry = (accountId: number, name: string, node: string, key: number) => ({
      accountId,
      name,
      rating: account.rating.rating,
      glicko: account.rating,
      since: 0,
      node,
      key,
    });
    cluster.handler?.receive({
      type: 'pair',
      gameId: GAME,
      fence: FENCE,
      black: entry(account.id, 'referee1', 'beta', 1),
      white: entry(WHITE_ID, 'remote1', 'gamma', 2),
      now: 0,
    });
    await harness.until(() => black.types().includes('YourTurn'), "black's first turn");
    const turn = black.received().find((message) => message.type === 'YourTurn');
    assert.ok(turn?.type === 'YourTurn');
    black.send({ type: 'MakeMove', move: legalMoveByte(turn.board, BLACK) });
    await harness.until(() => toWhite().some(([type]) => type === 'YourTurn'), "white's turn");
  });

  afterEach(async () => {
    await harness.close();
  });

  it("numbers white's messages under its token, and plays white's move once however often it arrives", async () => {
    assert.deepEqual(toWhite(), [
      ['GameStart', 1],
      ['YourTurn', 2],
    ]);
    const [, yourTurn] = cluster.sentOfType('msg');
    const board = yourTurn && decodeMessageAt(Buffer.from(yourTurn.bytes, 'base64'), 0);
    assert.ok(board?.type === 'YourTurn');
    const move: Envelope = {
      type: 'move',
      gameId: GAME,
      accountId: WHITE_ID,
      from: 'gamma',
      move: legalMoveByte(board.board, WHITE),
      sequence: { epoch: 123, position: 1, direction: 'to-referee' },
    };
    cluster.handler?.receive(move);
    await harness.until(() => black.types().filter((type) => type === 'YourTurn').length === 2, "black's turn");
    cluster.handler?.receive(move);
    await harness.settle(20);
    assert.ok(!toWhite().some(([type]) => type === 'InvalidMove'), 'the move arrived twice and was played once');
    cluster.handler?.receive({ ...move, sequence: { epoch: 123, position: 2, direction: 'to-referee' } });
    await harness.until(() => toWhite().some(([type]) => type === 'InvalidMove'), 'a new move out of turn');
  });

  it("answers sync with the last position of white's session it had applied, after what it sent before", () => {
    cluster.handler?.receive({
      type: 'sync',
      gameId: GAME,
      accountId: WHITE_ID,
      from: 'gamma',
      sequence: { epoch: 123, position: 1, direction: 'to-referee' },
    });
    const [synced] = cluster.sentOfType('synced');
    assert.equal(synced?.receivedUpTo, NOTHING, "nothing of white's session had arrived");
    assert.deepEqual(synced?.sequence, { epoch: FENCE, position: 3, direction: 'to-player' });
  });
});
