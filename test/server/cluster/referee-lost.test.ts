import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { toWireBoard } from '../../../src/common/wire.js';
import { BLACK, INITIAL_POSITION } from '../../../src/game/position.js';
import { encodeMessage, type Message, NO_MOVE } from '../../../src/protocol/index.js';
import { GAME_LEASE_MS } from '../../../src/server/cluster/leases.js';
import { FAILOVER_BOUND_MS } from '../../../src/server/cluster/referee-lost.js';
import { FakeCluster } from '../../support/fake-cluster.js';
import { legalMoveByte } from '../../support/player.js';
import type { MemoryClient } from '../../support/service-harness.js';
import { HARNESS_PASSWORD, ServiceHarness } from '../../support/service-harness.js';

const GAME = 42;
/** The dead referee's fencing token for the game. */
const FENCE = 7;
const BOARD = toWireBoard(INITIAL_POSITION, BLACK);

/**
 * O2 on the manual clock: one node (beta) whose player (black) plays game
 * 42, refereed by alpha, which dies. Beta keeps its player connected, takes
 * the game over from the store once alpha's lease has expired (or follows
 * it to the node that did), and sends the player the board.
 */
describe("the referee's node dies: the player's node keeps the player", () => {
  let cluster: FakeCluster;
  let harness: ServiceHarness;
  let player: MemoryClient;
  let playerId: number;
  let position: number;

  function fromReferee(message: Message, from = 'alpha', epoch = FENCE): void {
    position += 1;
    cluster.handler?.receive({
      type: 'msg',
      gameId: GAME,
      accountId: playerId,
      from,
      bytes: Buffer.from(encodeMessage(message)).toString('base64'),
      sequence: { epoch, position, direction: 'to-player' },
    });
  }

  beforeEach(async () => {
    cluster = new FakeCluster('alpha');
    harness = await ServiceHarness.create(['lost1', 'kim'], { cluster, reconnectGraceMs: 60_000 });
    const black = await harness.store.findAccount('lost1');
    const white = await harness.store.findAccount('kim');
    assert.ok(black && white);
    playerId = black.id;
    await harness.store.saveLiveGames([
      {
        id: GAME,
        black: { accountId: black.id, name: black.name, rating: black.rating },
        white: { accountId: white.id, name: white.name, rating: white.rating },
        position: INITIAL_POSITION,
        quietPlies: 0,
        lastMove: NO_MOVE,
        moves: [],
        startedAt: new Date(),
        fence: FENCE,
      },
    ]);
    await harness.store.fenceGames([{ id: GAME, fence: FENCE }]);
    cluster.games.set(playerId, GAME);
    position = 0;
  });

  afterEach(async () => {
    await harness.close();
  });

  /** Logged in, relayed to alpha, GameStart and YourTurn heard, a move sent that alpha never answers. */
  async function moveIntoTheVoid(): Promise<number> {
    player = await harness.login('lost1');
    await harness.until(() => cluster.sentOfType('join').length === 1, 'the join');
    fromReferee({ type: 'GameStart', opponent: 'kim', opponentRating: 1500 });
    fromReferee({ type: 'YourTurn', lastMove: NO_MOVE, board: BOARD });
    await harness.settle();
    const move = legalMoveByte(BOARD, BLACK);
    player.send({ type: 'MakeMove', move });
    await harness.until(() => cluster.sentOfType('move').length === 1, 'the move relayed to alpha');
    return move;
  }

  it('waits while the lease is held, takes the game over when it expires, and sends the board to the side to move', async () => {
    const move = await moveIntoTheVoid();
    // Alpha is dead but its lease runs: nothing changes for the player.
    await harness.advance(5_000);
    assert.ok(!player.closedByServer, 'kept while the lease is held');
    assert.deepEqual(player.types(), ['QueuePosition', 'GameStart', 'YourTurn']);
    cluster.owner = undefined;
    cluster.nextFence = FENCE + 1;
    await harness.advance(1_000);
    await harness.until(() => player.types().length === 4, 'the board after the takeover');
    assert.ok(!player.closedByServer, 'never disconnected');
    const last = player.received().at(-1);
    assert.deepEqual(
      last,
      { type: 'YourTurn', lastMove: NO_MOVE, board: BOARD },
      'the stored board: the move was lost',
    );
    assert.equal(cluster.owner, 'beta');
    // The move played again is played here, and stored.
    player.send({ type: 'MakeMove', move });
    await harness.until(() => harness.service.liveGame(GAME)?.moves.length === 1, 'the move played here');
    await harness.advance(1_000);
    assert.equal((await harness.store.loadLiveGames([GAME]))[0]?.moves.length, 1);
    assert.ok(!player.closedByServer);
  });

  it(`the player has the board again within ${FAILOVER_BOUND_MS} ms of the referee's death (its lease, then one tick)`, async () => {
    await moveIntoTheVoid();
    // Worst case: the referee renewed its lease just before it died.
    await harness.advance(300);
    const diedAt = harness.clock.now();
    cluster.clock = harness.clock;
    cluster.leaseUntil = diedAt + GAME_LEASE_MS;
    cluster.nextFence = FENCE + 1;
    let boardAt: number | undefined;
    while (harness.clock.now() - diedAt <= FAILOVER_BOUND_MS + 5_000 && boardAt === undefined) {
      await harness.advance(100);
      await harness.settle(20);
      if (player.types().length === 4) boardAt = harness.clock.now();
    }
    assert.ok(boardAt !== undefined, 'the board came');
    assert.ok(boardAt - diedAt <= FAILOVER_BOUND_MS, `the board after ${boardAt - diedAt} ms`);
    assert.ok(boardAt - diedAt >= GAME_LEASE_MS, 'not before the lease ran out');
    assert.ok(!player.closedByServer);
  });

  it('a login while the dead referee still holds the lease waits, then hears GameStart and YourTurn from this node', async () => {
    player = await harness.login('lost1');
    await harness.until(() => cluster.sentOfType('join').length === 1, 'the join, to the dead node');
    await harness.advance(2_000);
    assert.deepEqual(player.types(), ['QueuePosition'], 'waiting');
    cluster.owner = undefined;
    cluster.nextFence = FENCE + 1;
    await harness.advance(1_000);
    await harness.until(() => player.types().length === 3, 'the game');
    assert.deepEqual(player.types(), ['QueuePosition', 'GameStart', 'YourTurn']);
    assert.ok(!player.closedByServer);
  });

  it('follows the game to the node that took it over, with what its connection is past left out', async () => {
    await moveIntoTheVoid();
    cluster.owner = 'gamma';
    await harness.advance(1_000);
    await harness.until(
      () => cluster.sent.some(([to, envelope]) => to === 'gamma' && envelope.type === 'join'),
      'the join to gamma',
    );
    // Gamma's rejoin: GameStart, then YourTurn with the stored board.
    fromReferee({ type: 'GameStart', opponent: 'kim', opponentRating: 1500 }, 'gamma', FENCE + 1);
    fromReferee({ type: 'YourTurn', lastMove: NO_MOVE, board: BOARD }, 'gamma', FENCE + 1);
    await harness.settle();
    assert.ok(!player.closedByServer, 'never disconnected');
    assert.deepEqual(player.types(), ['QueuePosition', 'GameStart', 'YourTurn', 'YourTurn']);
    player.send({ type: 'MakeMove', move: legalMoveByte(BOARD, BLACK) });
    await harness.until(
      () => cluster.sent.some(([to, envelope]) => to === 'gamma' && envelope.type === 'move'),
      'the move relayed to gamma',
    );
  });
});

/**
 * V3 on the manual clock: Redis lost the pointer to the player's game (a
 * restart) and nobody referees it yet; the store still has it in progress.
 */
describe('the store is the truth about who is in a game', () => {
  let cluster: FakeCluster;
  let harness: ServiceHarness;
  let playerId: number;

  beforeEach(async () => {
    cluster = new FakeCluster();
    cluster.owner = undefined;
    harness = await ServiceHarness.create(['truth1', 'kim', 'solo'], { cluster, reconnectGraceMs: 60_000 });
    const black = await harness.store.findAccount('truth1');
    const white = await harness.store.findAccount('kim');
    assert.ok(black && white);
    playerId = black.id;
    await harness.store.saveLiveGames([
      {
        id: GAME,
        black: { accountId: black.id, name: black.name, rating: black.rating },
        white: { accountId: white.id, name: white.name, rating: white.rating },
        position: INITIAL_POSITION,
        quietPlies: 0,
        lastMove: NO_MOVE,
        moves: [],
        startedAt: new Date(),
      },
    ]);
  });

  afterEach(async () => {
    await harness.close();
  });

  it('a login whose stored game Redis forgot is never queued; it waits, then plays that game here', async () => {
    const player = await harness.login('truth1');
    // Takeovers wait a lease period after Redis lost its data.
    await harness.advance(3_000);
    assert.deepEqual(cluster.queued, [], 'not queued');
    assert.deepEqual(player.types(), ['QueuePosition'], 'waiting');
    cluster.nextFence = FENCE;
    await harness.advance(1_000);
    await harness.until(() => player.types().length === 3, 'the stored game');
    assert.deepEqual(player.types(), ['QueuePosition', 'GameStart', 'YourTurn']);
    assert.deepEqual(player.received().at(-1), { type: 'YourTurn', lastMove: NO_MOVE, board: BOARD });
    assert.deepEqual(cluster.queued, []);
  });

  it('a login that waits joins the game where its referee re-asserted the lease', async () => {
    const player = await harness.login('truth1');
    await harness.advance(1_000);
    cluster.owner = 'alpha';
    await harness.advance(1_000);
    await harness.until(() => cluster.sentOfType('join').length === 1, 'the join');
    cluster.handler?.receive({
      type: 'msg',
      gameId: GAME,
      accountId: playerId,
      from: 'alpha',
      bytes: Buffer.from(encodeMessage({ type: 'GameStart', opponent: 'kim', opponentRating: 1500 })).toString(
        'base64',
      ),
      sequence: { epoch: FENCE, position: 1, direction: 'to-player' },
    });
    await harness.settle();
    assert.deepEqual(player.types(), ['QueuePosition', 'GameStart']);
    assert.deepEqual(cluster.queued, []);
  });

  it('a login with no stored game is queued at once', async () => {
    await harness.login('solo');
    const solo = await harness.store.findAccount('solo');
    assert.deepEqual(cluster.queued, [solo?.id]);
  });
});

/**
 * O1 on the manual clock: the referee (beta, black here) notices that the
 * node of its relayed player (white, on gamma) is gone, and starts the
 * reconnect grace as for a local drop, instead of waiting for the move clock.
 */
describe("the relayed player's node dies: the referee starts the reconnect grace", () => {
  const WHITE_ID = 9_999;
  const GRACE_MS = 60_000;
  let cluster: FakeCluster;
  let harness: ServiceHarness;
  let black: MemoryClient;

  const toWhite = (node: string) =>
    cluster.sent
      .filter(([to, envelope]) => to === node && envelope.type === 'msg' && envelope.accountId === WHITE_ID)
      .map(([, envelope]) => (envelope.type === 'msg' ? envelope : undefined));

  beforeEach(async () => {
    cluster = new FakeCluster();
    harness = await ServiceHarness.create(['referee2'], {
      cluster,
      reconnectGraceMs: GRACE_MS,
      moveTimeoutMs: 300_000,
    });
    const account = await harness.store.findAccount('referee2');
    assert.ok(account);
    black = await harness.login('referee2');
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
      black: entry(account.id, 'referee2', 'beta', 1),
      white: entry(WHITE_ID, 'remote2', 'gamma', 2),
      now: 0,
    });
    await harness.until(() => black.types().includes('YourTurn'), "black's first turn");
    const turn = black.received().find((message) => message.type === 'YourTurn');
    assert.ok(turn?.type === 'YourTurn');
    black.send({ type: 'MakeMove', move: legalMoveByte(turn.board, BLACK) });
    await harness.until(() => toWhite('gamma').length === 2, "white's turn relayed");
  });

  afterEach(async () => {
    await harness.close();
  });

  it('white, whose node died, loses after the grace, not after the move clock', async () => {
    cluster.deadNodes.add('gamma');
    await harness.advance(3_000 + GRACE_MS / 2);
    assert.ok(!black.types().includes('OpponentDisconnect'), 'the grace runs');
    await harness.advance(GRACE_MS / 2 + 1_000);
    await harness.until(() => black.types().includes('OpponentDisconnect'), 'the result, once the grace ran out');
    await harness.advance(1_000);
    const [game] = await harness.store.listGames();
    assert.equal(game?.winner, 'black');
    assert.equal(game?.termination, 'disconnect');
  });

  it('a node missing for a moment (Redis lost its data, the key not re-asserted yet) is not taken for dead', async () => {
    cluster.deadNodes.add('gamma');
    await harness.advance(2_000);
    cluster.deadNodes.delete('gamma');
    await harness.advance(GRACE_MS + 2_000);
    assert.ok(!black.types().includes('OpponentDisconnect'), 'no grace started');
    assert.ok(!cluster.sent.some(([, envelope]) => envelope.type === 'gone'));
  });

  it('white logs in on another node within the grace and plays on', async () => {
    cluster.deadNodes.add('gamma');
    await harness.advance(5_000);
    cluster.handler?.receive({
      type: 'join',
      gameId: GAME,
      accountId: WHITE_ID,
      from: 'delta',
      sequence: { epoch: 555, position: 0, direction: 'to-referee' },
    });
    await harness.until(() => toWhite('delta').length === 2, 'GameStart and YourTurn to delta');
    const positions = [...toWhite('gamma'), ...toWhite('delta')].map((envelope) => envelope?.sequence?.position);
    assert.deepEqual(positions, [1, 2, 4, 5], "one numbering of white's stream (3: the 'gone' to gamma)");
    await harness.advance(GRACE_MS + 2_000);
    assert.ok(!black.types().includes('OpponentDisconnect'), 'the game goes on');
  });
});

describe('a login while the store cannot say whether the player has a game', () => {
  it('waits for the store instead of queueing, then plays its stored game', async () => {
    let failing = false;
    const cluster = new FakeCluster();
    cluster.owner = undefined;
    const harness = await ServiceHarness.create(['unsure1', 'kim'], {
      cluster,
      reconnectGraceMs: 60_000,
      wrapStore: (real) =>
        new Proxy(real, {
          get(target, property) {
            if (property === 'liveGameRefs')
              return async (page?: { after: number; limit: number }) => {
                if (failing) throw new Error('connection refused');
                return target.liveGameRefs(page);
              };
            const value: unknown = Reflect.get(target, property, target);
            return typeof value === 'function' ? value.bind(target) : value;
          },
        }),
    });
    try {
      const black = await harness.store.findAccount('unsure1');
      const white = await harness.store.findAccount('kim');
      assert.ok(black && white);
      await harness.store.saveLiveGames([
        {
          id: GAME,
          black: { accountId: black.id, name: black.name, rating: black.rating },
          white: { accountId: white.id, name: white.name, rating: white.rating },
          position: INITIAL_POSITION,
          quietPlies: 0,
          lastMove: NO_MOVE,
          moves: [],
          startedAt: new Date(),
        },
      ]);
      failing = true;
      const player = harness.connect();
      player.send({ type: 'Connect', version: 1, username: 'unsure1', password: HARNESS_PASSWORD });
      await harness.settle(50);
      await harness.advance(3_000);
      assert.deepEqual(cluster.queued, [], 'not queued while the store cannot say');
      assert.ok(!player.closedByServer);
      failing = false;
      cluster.nextFence = FENCE;
      await harness.advance(2_000);
      await harness.until(() => player.types().includes('YourTurn'), 'the stored game');
      assert.deepEqual(player.types(), ['QueuePosition', 'GameStart', 'YourTurn']);
      assert.deepEqual(cluster.queued, []);
    } finally {
      await harness.close();
    }
  });
});
