import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { BLACK, WHITE } from '../../../src/game/position.js';
import { decodeEnvelope } from '../../../src/server/cluster/envelope.js';
import { inboxKey } from '../../../src/server/cluster/keys.js';
import { addPlayers, TEST_PASSWORD } from '../../support/accounts.js';
import {
  type ClusterNode,
  clusterDatabase,
  clusterMissing,
  type SharedDatabase,
  startNode,
} from '../../support/cluster.js';
import { legalMoveByte } from '../../support/player.js';
import { DroppingProxy } from '../../support/proxy.js';
import { RawClient } from '../../support/raw-client.js';
import { startTestRedis, type TestRedis } from '../../support/redis.js';
import { waitUntil } from '../../support/wait.js';

const skip = clusterMissing();

/**
 * O3 of issue 27: a result that is stored is told. The referee ends a game
 * while it cannot reach Redis, so the GameOver for the relayed winner waits
 * (OpponentDisconnect: a forfeit's result in version 1) in its sending connection; Redis restarts empty meanwhile, and the
 * winner's node must not close the winner's connection (to rejoin) before
 * that GameOver has arrived.
 */
describe('a GameOver queued while Redis restarted (O3)', { skip }, () => {
  let redis: TestRedis;
  let proxy: DroppingProxy;
  let database: SharedDatabase;
  let nodes: ClusterNode[] = [];
  let spy: Redis;

  before(async () => {
    redis = await startTestRedis();
    proxy = await DroppingProxy.start(redis.port);
    database = await clusterDatabase();
    nodes = [
      // Alpha, the referee, reaches Redis through the proxy only.
      await startNode({ database, redisUrl: `redis://127.0.0.1:${proxy.port}`, name: 'alpha' }),
      await startNode({ database, redisUrl: redis.url, name: 'beta' }),
    ];
    spy = new Redis(redis.url, { maxRetriesPerRequest: null });
    spy.on('error', () => {});
  });

  after(async () => {
    spy?.disconnect();
    proxy?.accept();
    for (const node of nodes) await node.stop();
    proxy?.close();
    await database?.stop();
    await redis?.stop();
  });

  test('the relayed winner is told the result before its connection is closed to rejoin', async () => {
    const [alpha, beta] = nodes as [ClusterNode, ClusterNode];
    const [blackName = '', whiteName = ''] = await addPlayers(alpha.store, 'told', 2);
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
      white.send({ type: 'MakeMove', move: legalMoveByte(whiteTurn.board, WHITE) });
      await black.expect('YourTurn');

      // Alpha loses Redis; black resigns there: white's GameOver waits in alpha's sending connection.
      proxy.refuse();
      black.send({ type: 'LogOut' });
      await waitUntil(async () => (await alpha.store.listGames({ user: blackName })).length === 1, 'result stored');
      await redis.down();
      await redis.up();
      // Beta finds Redis empty and acts on its relayed player (before: closed it at once).
      await waitUntil(
        async () =>
          white.isClosed ||
          (await spy.xrange(inboxKey('alpha'), '-', '+')).some(
            ([, fields]) => decodeEnvelope(fields[1] ?? '')?.type === 'sync',
          ),
        'beta reacted to the restart',
      );
      proxy.accept();
      // A forfeit's result, as version 1 tells it: the opponent left (the game is over, won).
      await white.expect('OpponentDisconnect', 15_000);
      assert.ok(!white.isClosed, 'told before anything else happens to the connection');
      const [stored] = await beta.store.listGames({ user: whiteName });
      assert.equal(stored?.winner, 'white');
    } finally {
      black.close();
      white.close();
    }
  });
});
