import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { BLACK, type Color, WHITE } from '../../../src/game/position.js';
import type { Message } from '../../../src/protocol/index.js';
import { accountGameKey, gameKey } from '../../../src/server/cluster/keys.js';
import { MemoryClusterState } from '../../../src/server/cluster/memory-state.js';
import { MemoryCluster } from '../../../src/server/cluster/memory-store.js';
import { FAILOVER_BOUND_MS } from '../../../src/server/cluster/referee-lost.js';
import { ManualClock } from '../../support/manual-clock.js';
import { silentLog } from '../../support/memory-nodes.js';
import { legalMoveByte } from '../../support/player.js';
import type { MemoryClient } from '../../support/service-harness.js';
import { HARNESS_PASSWORD, ServiceHarness } from '../../support/service-harness.js';

type YourTurn = Extract<Message, { type: 'YourTurn' }>;

/**
 * Two game-service nodes of the in-process cluster in one process: one
 * database (SQLite in memory), one shared store, one manual clock. The
 * contract is cluster-fencing.test.ts, "fencing: a node cut off from Redis,
 * not from the database, after another took its game over" (real Redis,
 * PostgreSQL and server processes): the same steps, in milliseconds.
 */
describe('the in-process cluster with two game services', () => {
  let clock: ManualClock;
  let state: MemoryClusterState;
  let alphaCluster: MemoryCluster;
  let betaCluster: MemoryCluster;
  let alpha: ServiceHarness;
  let beta: ServiceHarness;

  beforeEach(async () => {
    clock = new ManualClock();
    state = new MemoryClusterState(clock);
    alphaCluster = new MemoryCluster({ state, node: 'alpha', log: silentLog });
    alpha = await ServiceHarness.create(['kira', 'lumo'], { cluster: alphaCluster, clock, reconnectGraceMs: 60_000 });
    betaCluster = new MemoryCluster({ state, node: 'beta', log: silentLog });
    beta = await ServiceHarness.create([], { cluster: betaCluster, sharedWith: alpha, reconnectGraceMs: 60_000 });
  });

  afterEach(async () => {
    await beta.close();
    await alpha.close();
  });

  /** Moves the shared clock on in 100 ms steps, letting both nodes' work (store commands, commits) finish. */
  async function run(ms: number): Promise<void> {
    for (let left = ms; left > 0; left -= 100) {
      clock.advance(Math.min(100, left));
      await alpha.settle(10);
    }
  }

  function lastTurn(client: MemoryClient): YourTurn | undefined {
    return client
      .received()
      .filter((message): message is YourTurn => message.type === 'YourTurn')
      .at(-1);
  }

  /** Two players of one game: who is to move, and a legal move played by that side, awaited until answered. */
  function game(black: MemoryClient, white: MemoryClient) {
    const players: [MemoryClient, Color][] = [
      [black, BLACK],
      [white, WHITE],
    ];
    /** YourTurns each player has answered so far: the side to move has one more. */
    const answered = new Map<MemoryClient, number>([
      [black, 0],
      [white, 0],
    ]);
    const turnsOf = (client: MemoryClient) => client.types().filter((type) => type === 'YourTurn').length;
    const toMove = () => players.find(([client]) => turnsOf(client) > (answered.get(client) ?? 0));
    const over = () => players.every(([client]) => client.types().includes('GameOver'));
    const play = async () => {
      const [client, color] = toMove() ?? assert.fail('nobody to move');
      answered.set(client, turnsOf(client));
      client.send({ type: 'MakeMove', move: legalMoveByte(lastTurn(client)?.board ?? assert.fail(), color) });
      await alpha.until(
        () => toMove() !== undefined || over(),
        `the move answered (${black.types().join(' ')} | ${white.types().join(' ')})`,
      );
    };
    return { players, toMove, play, over };
  }

  test('a referee cut off from the store plays on until its lease is past; then its move is fenced off, never answered nor stored, and the game goes on from the store on the node that took it over', async () => {
    const black = await alpha.login('kira');
    const white = await alpha.login('lumo');
    await run(2_000);
    await alpha.until(() => black.types().includes('GameStart') && white.types().includes('GameStart'), 'paired');
    const blackId = (await alpha.store.findAccount('kira'))?.id ?? 0;
    const gameId = Number(state.get(accountGameKey(blackId)));
    assert.equal(state.get(gameKey(gameId)), 'alpha', "black's node referees");
    const { players, toMove, play } = game(black, white);
    await play();
    await play();

    // Cut off from the store, not from the database: the game on alpha goes on while its lease runs.
    const stored = () => alpha.store.loadLiveGames([gameId]).then(([game]) => game?.moves.length ?? 0);
    const beforeCut = await stored();
    alphaCluster.store.cut();
    await play();
    const afterCut = await stored();
    assert.ok(afterCut > beforeCut, 'played and stored while the lease runs');
    await run((state.ttl(gameKey(gameId)) ?? 0) - 100);
    assert.equal(state.get(gameKey(gameId)), 'alpha', 'the lease is not past yet');
    await play();
    const last = await stored();
    assert.ok(last > afterCut, 'still played and stored 100 ms before the lease is past');

    // Alpha's lease runs out; beta, the matchmaker now, takes the game nobody owns over with a larger token.
    await run(3_000);
    assert.equal(state.get(gameKey(gameId)), 'beta', 'beta took the game over');
    assert.equal(beta.service.liveGame(gameId)?.moves.length, last, 'from the stored moves');

    // Alpha does not know: the move is played there, its commit is fenced off, the players are closed.
    const [mover, color] = toMove() ?? assert.fail('nobody to move');
    const seen = players.map(([client]) => client.received().length);
    mover.send({ type: 'MakeMove', move: legalMoveByte(lastTurn(mover)?.board ?? assert.fail(), color) });
    await alpha.until(() => black.closedByServer && white.closedByServer, 'alpha closes its players');
    players.forEach(([client], index) => {
      assert.deepEqual(client.received().slice(seen[index]), [], 'nothing about the fenced-off move was sent');
    });
    assert.equal(await stored(), last, 'the move was not stored');
    assert.equal(alpha.service.liveGame(gameId), undefined, 'alpha referees the game no more');

    // The mover comes back on beta and finds the game at the last stored move.
    const again = beta.connect();
    again.send({
      type: 'Connect',
      version: 1,
      username: mover === black ? 'kira' : 'lumo',
      password: HARNESS_PASSWORD,
    });
    await run(1_000);
    await beta.until(() => again.types().includes('YourTurn'), 'the game again, on beta');
    assert.ok(again.types().includes('GameStart'));
    assert.equal(beta.service.liveGame(gameId)?.moves.length, last);
    assert.deepEqual(lastTurn(again)?.board, lastTurn(mover)?.board, 'at the last stored move');
  });

  // Contract: cluster-failover.test.ts, "O2: the player on the surviving node stays connected, the game resumes there".
  test(`the referee's node dies: the player on the other node stays connected and has the board again within ${FAILOVER_BOUND_MS} ms, on its own node, which referees the game from then on`, async (t) => {
    // Kira waits longer at the same rating, so she is black and her node (alpha) referees the game.
    const black = await alpha.login('kira');
    await run(500);
    const white = await beta.login('lumo');
    await run(2_000);
    await alpha.until(() => black.types().includes('GameStart') && white.types().includes('GameStart'), 'paired');
    const gameId = Number(state.get(accountGameKey((await alpha.store.findAccount('lumo'))?.id ?? 0)));
    assert.equal(state.get(gameKey(gameId)), 'alpha', "black's node referees; white is relayed from beta");
    const { toMove, play } = game(black, white);
    for (let played = 0; played < 4 || toMove()?.[0] !== white; played++) await play();
    const board = lastTurn(white)?.board ?? assert.fail('no board');

    // Alpha dies: it reaches the store no more, and its player's connection drops. White's move goes into the void.
    const diedAt = clock.now();
    alphaCluster.store.cut();
    black.drop();
    const move = legalMoveByte(board, WHITE);
    white.send({ type: 'MakeMove', move });
    const turns = white.types().length;
    let boardAt: number | undefined;
    while (boardAt === undefined && clock.now() - diedAt <= FAILOVER_BOUND_MS + 5_000) {
      await run(100);
      if (white.types().length > turns) boardAt = clock.now();
    }
    assert.ok(boardAt !== undefined, 'white hears from the game again');
    assert.ok(boardAt - diedAt <= FAILOVER_BOUND_MS, `within ${FAILOVER_BOUND_MS} ms (${boardAt - diedAt} ms)`);
    assert.ok(boardAt - diedAt > 4_000, `not before alpha's lease ran out (${boardAt - diedAt} ms)`);
    assert.deepEqual(white.types().slice(turns), ['YourTurn'], 'the move asked for again, nothing else');
    assert.deepEqual(lastTurn(white)?.board, board, 'on the stored board');
    t.diagnostic(`white had the board again ${boardAt - diedAt} ms after the referee's node died`);
    assert.equal(state.get(gameKey(gameId)), 'beta', 'beta took the game over');
    assert.ok(!white.closedByServer, 'white, on a live node, was never disconnected');

    // The move asked for again is played on beta, and stored.
    const stored = beta.service.liveGame(gameId)?.moves.length ?? 0;
    white.send({ type: 'MakeMove', move });
    await beta.until(() => (beta.service.liveGame(gameId)?.moves.length ?? 0) > stored, 'the move played on beta');
    await run(100);
    const [saved] = await beta.store.loadLiveGames([gameId]);
    assert.equal(saved?.moves.length, beta.service.liveGame(gameId)?.moves.length, 'and stored');
  });

  // Contract: cluster-redis-outage.test.ts, "a relayed game waits while Redis does not answer, and carries on with nothing lost".
  test('a relayed game waits while the store does not answer, and carries on with nothing lost, to its end', async () => {
    const black = await alpha.login('kira');
    await run(500);
    const white = await beta.login('lumo');
    await run(2_000);
    await alpha.until(() => black.types().includes('GameStart') && white.types().includes('GameStart'), 'paired');
    const { toMove, play, over } = game(black, white);
    for (let played = 0; played < 3; played++) await play();
    for (const cluster of [alphaCluster, betaCluster]) cluster.store.cut();
    // A move made now waits; the answer comes once the store answers again.
    const [mover, color] = toMove() ?? assert.fail('nobody to move');
    const other = mover === black ? white : black;
    const seen = other.types().length;
    mover.send({ type: 'MakeMove', move: legalMoveByte(lastTurn(mover)?.board ?? assert.fail(), color) });
    await run(4_000);
    // White's move waits on its way to the referee; black's answer waits on its way to white.
    assert.equal(other.types().length, seen, 'nothing crosses while the store does not answer');
    for (const cluster of [alphaCluster, betaCluster]) cluster.store.heal();
    await alpha.until(() => other.types().length > seen, 'it arrives once the store answers');
    for (let played = 0; !over() && played < 200; played++) await play();
    assert.ok(over(), 'played to its end, no message lost');
    assert.ok(!black.closedByServer && !white.closedByServer, 'nobody disconnected');
    await run(100);
    assert.equal((await alpha.store.listGames({ user: 'kira' })).length, 1, 'recorded once');
  });
});
