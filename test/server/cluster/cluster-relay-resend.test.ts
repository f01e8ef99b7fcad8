import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { BLACK, WHITE } from '../../../src/game/position.js';
import { inboxKey } from '../../../src/server/cluster/keys.js';
import { addPlayers, TEST_PASSWORD } from '../../support/accounts.js';
import {
  type ClusterNode,
  clusterDatabase,
  clusterMissing,
  printNodeLogs,
  type SharedDatabase,
  startNode,
} from '../../support/cluster.js';
import { legalMoveByte, nextTurn, playGame } from '../../support/player.js';
import { DroppingProxy } from '../../support/proxy.js';
import { RawClient } from '../../support/raw-client.js';
import { startTestRedis, type TestRedis } from '../../support/redis.js';
import { waitUntil } from '../../support/wait.js';

const skip = clusterMissing();

/**
 * V2 of issue 27: a node whose Redis connection loses the replies to its
 * requests and is then reset. ioredis sends again what was not answered
 * (`autoResendUnfulfilledCommands`), so the relayed player's move reaches
 * the referee twice; the second must not be played (it was answered
 * InvalidMove, and the innocent player forfeited by a protocol error).
 */
describe('a Redis connection reset while its replies were held (V2)', { skip }, () => {
  let redis: TestRedis;
  let proxy: DroppingProxy;
  let database: SharedDatabase;
  let nodes: ClusterNode[] = [];

  before(async () => {
    redis = await startTestRedis();
    proxy = await DroppingProxy.start(redis.port);
    database = await clusterDatabase();
    nodes = [
      await startNode({ database, redisUrl: redis.url, name: 'alpha' }),
      // Beta reaches Redis through the proxy only.
      await startNode({ database, redisUrl: `redis://127.0.0.1:${proxy.port}`, name: 'beta' }),
    ];
  });

  after(async () => {
    for (const node of nodes) await node.stop();
    proxy?.close();
    await database?.stop();
    await redis?.stop();
  });

  test("the relayed player's resent move is played once, and the game goes on", async () => {
    const [alpha, beta] = nodes as [ClusterNode, ClusterNode];
    const [blackName = '', whiteName = ''] = await addPlayers(alpha.store, 'resend', 2);
    const black = await RawClient.connect(alpha.port);
    const white = await RawClient.connect(beta.port);
    try {
      // Equal ratings: the player who waited longer is black, and black's node (alpha) referees.
      await black.login(blackName, TEST_PASSWORD);
      await new Promise((resolve) => setTimeout(resolve, 50));
      await white.login(whiteName, TEST_PASSWORD);
      await black.expect('GameStart', 10_000);
      await white.expect('GameStart', 10_000);
      const opening = await black.expect('YourTurn');
      black.send({ type: 'MakeMove', move: legalMoveByte(opening.board, BLACK) });
      const whiteTurn = await white.expect('YourTurn');

      proxy.holdReplies();
      // White's move reaches Redis and the referee answers it; beta never hears that its XADD was done.
      white.send({ type: 'MakeMove', move: legalMoveByte(whiteTurn.board, WHITE) });
      await waitUntil(() => black.pending().some((message) => message.type === 'YourTurn'), "black's turn", 10_000);
      // Play goes on at once, while beta reconnects.
      proxy.resetAll();

      const [blackGame, whiteGame] = await Promise.all([
        playGame(black, undefined, 30_000, BLACK),
        playGame(white, undefined, 30_000, WHITE),
      ]);
      assert.ok(blackGame.gameOver && whiteGame.gameOver, 'both players play the game to its end');
      const [stored] = await alpha.store.listGames({ user: blackName });
      assert.ok(stored, 'the game is stored');
      assert.notEqual(stored.termination, 'protocol-error');
    } catch (error) {
      printNodeLogs(nodes);
      throw error;
    } finally {
      if (proxy.holdingReplies) proxy.resetAll();
      black.close();
      white.close();
    }
  });

  test('five resets in one game, as in the issue: no forfeit, every move played once', async () => {
    const [alpha, beta] = nodes as [ClusterNode, ClusterNode];
    const [blackName = '', whiteName = ''] = await addPlayers(alpha.store, 'five', 2);
    const black = await RawClient.connect(alpha.port);
    const white = await RawClient.connect(beta.port);
    const spy = new Redis(redis.url);
    try {
      await black.login(blackName, TEST_PASSWORD);
      await new Promise((resolve) => setTimeout(resolve, 50));
      await white.login(whiteName, TEST_PASSWORD);
      await black.expect('GameStart', 10_000);
      await white.expect('GameStart', 10_000);
      for (let resets = 0; resets < 5; ) {
        const { index, turn } = await nextTurn([black, white]);
        if (index === 0) {
          black.send({ type: 'MakeMove', move: legalMoveByte(turn.board, BLACK) });
          continue;
        }
        // White moves with Redis's replies to beta held; once the referee has answered, beta's connections reset.
        proxy.holdReplies();
        const answers = await spy.xlen(inboxKey('beta'));
        white.send({ type: 'MakeMove', move: legalMoveByte(turn.board, WHITE) });
        await waitUntil(
          async () => black.pending().length > 0 || (await spy.xlen(inboxKey('beta'))) > answers,
          "the referee's answer",
          10_000,
        );
        proxy.resetAll();
        resets++;
        // Beta's three connections reconnect (ioredis retries after 100 ms) before replies are held again.
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
      const [blackGame, whiteGame] = await Promise.all([
        playGame(black, undefined, 30_000, BLACK),
        playGame(white, undefined, 30_000, WHITE),
      ]);
      assert.ok(blackGame.gameOver && whiteGame.gameOver, 'played to its end');
      const [stored] = await alpha.store.listGames({ user: blackName });
      assert.notEqual(stored?.termination, 'protocol-error');
    } catch (error) {
      printNodeLogs(nodes);
      throw error;
    } finally {
      // Only after a failure: a reset here would leave beta reconnecting as the next test begins.
      if (proxy.holdingReplies) proxy.resetAll();
      spy.disconnect();
      black.close();
      white.close();
    }
  });

  test("the referee's resent YourTurn is delivered once to the relayed player", async () => {
    const [alpha, beta] = nodes as [ClusterNode, ClusterNode];
    const [blackName = '', whiteName = ''] = await addPlayers(alpha.store, 'echo', 2);
    // This time black, hence the referee, is on beta, behind the proxy; white is relayed on alpha.
    const black = await RawClient.connect(beta.port);
    const white = await RawClient.connect(alpha.port);
    try {
      await black.login(blackName, TEST_PASSWORD);
      await new Promise((resolve) => setTimeout(resolve, 50));
      await white.login(whiteName, TEST_PASSWORD);
      await black.expect('GameStart', 10_000);
      await white.expect('GameStart', 10_000);
      const opening = await black.expect('YourTurn');

      proxy.holdReplies();
      // The referee's XADD of white's YourTurn is done, its reply held; white is told once. The reply to the
      // XADD of white's GameStart may be held too: the YourTurn leaves anyway (it did not while the sending
      // connection was auto-pipelined, and 6 s later alpha took the game over and beta closed black).
      black.send({ type: 'MakeMove', move: legalMoveByte(opening.board, BLACK) });
      await waitUntil(() => white.pending().some((message) => message.type === 'YourTurn'), "white's turn", 10_000);
      // Play goes on at once, while beta reconnects.
      proxy.resetAll();

      const [blackGame, whiteGame] = await Promise.all([
        playGame(black, undefined, 30_000, BLACK),
        playGame(white, undefined, 30_000, WHITE),
      ]);
      assert.ok(blackGame.gameOver && whiteGame.gameOver, 'both players play the game to its end');
      const [stored] = await alpha.store.listGames({ user: blackName });
      assert.notEqual(stored?.termination, 'protocol-error');
    } catch (error) {
      printNodeLogs(nodes);
      throw error;
    } finally {
      if (proxy.holdingReplies) proxy.resetAll();
      black.close();
      white.close();
    }
  });

  test('Redis restarted empty with a message to the relayed player unread: the player rejoins from the stored game', async () => {
    const [alpha, beta] = nodes as [ClusterNode, ClusterNode];
    const [blackName = '', whiteName = ''] = await addPlayers(alpha.store, 'lost', 2);
    const black = await RawClient.connect(alpha.port);
    const white = await RawClient.connect(beta.port);
    const clients = [black, white];
    const spy = new Redis(redis.url, { maxRetriesPerRequest: null });
    spy.on('error', () => {});
    try {
      await black.login(blackName, TEST_PASSWORD);
      await new Promise((resolve) => setTimeout(resolve, 50));
      await white.login(whiteName, TEST_PASSWORD);
      await black.expect('GameStart', 10_000);
      await white.expect('GameStart', 10_000);
      const opening = await black.expect('YourTurn');
      black.send({ type: 'MakeMove', move: legalMoveByte(opening.board, BLACK) });
      const whiteTurn = await white.expect('YourTurn');
      white.send({ type: 'MakeMove', move: legalMoveByte(whiteTurn.board, WHITE) });
      const blackTurn = await black.expect('YourTurn');

      // Beta stops hearing from Redis; black's move is answered into beta's inbox, which Redis then loses.
      proxy.holdReplies();
      const before = await spy.xlen(inboxKey('beta'));
      black.send({ type: 'MakeMove', move: legalMoveByte(blackTurn.board, BLACK) });
      await waitUntil(async () => (await spy.xlen(inboxKey('beta'))) > before, "white's YourTurn in beta's inbox");
      await redis.down();
      proxy.resetAll();
      await redis.up();

      await white.closedWithin(15_000);
      const back = await RawClient.connect(beta.port);
      clients.push(back);
      await back.login(whiteName, TEST_PASSWORD);
      await back.expect('GameStart', 15_000);
      const [blackGame, whiteGame] = await Promise.all([
        playGame(black, undefined, 30_000, BLACK),
        playGame(back, undefined, 30_000, WHITE),
      ]);
      assert.ok(blackGame.gameOver && whiteGame.gameOver, 'the game is played to its end');
      const [stored] = await alpha.store.listGames({ user: blackName });
      assert.notEqual(stored?.termination, 'protocol-error');
    } catch (error) {
      printNodeLogs(nodes);
      throw error;
    } finally {
      spy.disconnect();
      for (const client of clients) client.close();
    }
  });
});
