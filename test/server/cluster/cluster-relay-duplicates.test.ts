import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { BLACK, WHITE } from '../../../src/game/position.js';
import { decodeMessageAt } from '../../../src/protocol/index.js';
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
import { legalMoveByte, nextTurn, playGame } from '../../support/player.js';
import { RawClient } from '../../support/raw-client.js';
import { startTestRedis, type TestRedis } from '../../support/redis.js';
import { waitUntil } from '../../support/wait.js';

const skip = clusterMissing();

/**
 * The newest entry of a node's inbox that `matches`, as Redis holds it
 * (its fields, to add again verbatim): what a reader that reads its stream
 * again, or a resent XADD, delivers a second time.
 */
async function lastEntry(
  redis: Redis,
  node: string,
  matches: (text: string) => boolean,
): Promise<string[] | undefined> {
  const entries = await redis.xrevrange(inboxKey(node), '+', '-', 'COUNT', 200);
  return entries.find(([, fields]) => matches(fields[1] ?? ''))?.[1];
}

describe('relayed messages delivered twice (V1: an inbox read again after a Redis restart)', { skip }, () => {
  let redis: TestRedis;
  let nodes: ClusterNode[] = [];
  let database: SharedDatabase;
  let spy: Redis;

  before(async () => {
    redis = await startTestRedis();
    database = await clusterDatabase();
    nodes = [
      await startNode({ database, redisUrl: redis.url, name: 'alpha' }),
      await startNode({ database, redisUrl: redis.url, name: 'beta' }),
    ];
    spy = new Redis(redis.url);
  });

  after(async () => {
    spy?.disconnect();
    for (const node of nodes) await node.stop();
    await database?.stop();
    await redis?.stop();
  });

  /** A game between a player on alpha and one on beta, at black's first turn: black's node referees it. */
  async function relayedGame(prefix: string) {
    const [alpha, beta] = nodes as [ClusterNode, ClusterNode];
    const [first = '', second = ''] = await addPlayers(alpha.store, prefix, 2);
    const clients = [await RawClient.connect(alpha.port), await RawClient.connect(beta.port)] as const;
    await clients[0].login(first, TEST_PASSWORD);
    await clients[1].login(second, TEST_PASSWORD);
    await clients[0].expect('GameStart', 10_000);
    await clients[1].expect('GameStart', 10_000);
    const opening = await nextTurn(clients);
    const blackIndex = opening.index;
    const whiteId = (await alpha.store.findAccount(blackIndex === 0 ? second : first))?.id;
    assert.ok(whiteId !== undefined);
    return {
      clients,
      opening,
      black: clients[blackIndex] as RawClient,
      white: clients[1 - blackIndex] as RawClient,
      whiteId,
      whiteNode: blackIndex === 0 ? 'beta' : 'alpha',
      refereeNode: blackIndex === 0 ? 'alpha' : 'beta',
      first,
    };
  }

  async function playToTheEnd(black: RawClient, white: RawClient, first: string): Promise<void> {
    const [blackGame, whiteGame] = await Promise.all([
      playGame(black, undefined, 20_000, BLACK),
      playGame(white, undefined, 20_000, WHITE),
    ]);
    assert.ok(blackGame.gameOver && whiteGame.gameOver, 'both players play the game to its end');
    const [stored] = await (nodes[0] as ClusterNode).store.listGames({ user: first });
    assert.ok(stored, 'the game is stored');
    assert.notEqual(stored.termination, 'protocol-error');
    assert.ok(!white.isClosed, 'white is still connected');
  }

  test("a YourTurn read a second time by the relayed player's node is delivered once", async () => {
    const game = await relayedGame('turn');
    const { black, white, whiteId } = game;
    try {
      black.send({ type: 'MakeMove', move: legalMoveByte(game.opening.turn.board, BLACK) });
      await waitUntil(() => white.pending().some((message) => message.type === 'YourTurn'), "white's turn");
      // The YourTurn white was just given, delivered to white's node again.
      const yourTurn = await lastEntry(spy, game.whiteNode, (text) => {
        const envelope = decodeEnvelope(text);
        return (
          envelope?.type === 'msg' &&
          envelope.accountId === whiteId &&
          decodeMessageAt(Buffer.from(envelope.bytes, 'base64'), 0).type === 'YourTurn'
        );
      });
      assert.ok(yourTurn, "the YourTurn is in white's node's inbox");
      await spy.xadd(inboxKey(game.whiteNode), '*', ...yourTurn);
      await playToTheEnd(black, white, game.first);
    } finally {
      for (const client of game.clients) client.close();
    }
  });

  test('a relayed move read a second time by the referee is played once', async () => {
    const game = await relayedGame('move');
    const { black, white } = game;
    try {
      black.send({ type: 'MakeMove', move: legalMoveByte(game.opening.turn.board, BLACK) });
      const whiteTurn = await white.expect('YourTurn');
      white.send({ type: 'MakeMove', move: legalMoveByte(whiteTurn.board, WHITE) });
      await waitUntil(() => black.pending().some((message) => message.type === 'YourTurn'), "black's turn");
      // White's move, delivered to the referee again.
      const move = await lastEntry(spy, game.refereeNode, (text) => decodeEnvelope(text)?.type === 'move');
      assert.ok(move, "white's move is in the referee's inbox");
      await spy.xadd(inboxKey(game.refereeNode), '*', ...move);
      await playToTheEnd(black, white, game.first);
    } finally {
      for (const client of game.clients) client.close();
    }
  });

  test('the scenario as the issue ran it: Redis killed, black moves 0.1 s into the outage, Redis back empty 1 s later', async () => {
    const game = await relayedGame('restart');
    const { black, white } = game;
    try {
      black.send({ type: 'MakeMove', move: legalMoveByte(game.opening.turn.board, BLACK) });
      const whiteTurn = await white.expect('YourTurn');
      white.send({ type: 'MakeMove', move: legalMoveByte(whiteTurn.board, WHITE) });
      const blackTurn = await black.expect('YourTurn');
      await redis.down();
      await new Promise((resolve) => setTimeout(resolve, 100));
      black.send({ type: 'MakeMove', move: legalMoveByte(blackTurn.board, BLACK) });
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await redis.up();
      // White's YourTurn waited in alpha's connection; it arrives once, and nothing was lost: no rejoin either.
      await playToTheEnd(black, white, game.first);
      assert.ok(!black.isClosed);
    } finally {
      for (const client of game.clients) client.close();
    }
  });
});
