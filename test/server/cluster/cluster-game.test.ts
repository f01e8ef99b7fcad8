import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { after, before, describe, test } from 'node:test';
import { decodeDatagram, encodeProbe } from '../../../src/discovery/payload.js';
import { addPlayers, TEST_PASSWORD } from '../../support/accounts.js';
import {
  type ClusterNode,
  clusterDatabase,
  clusterMissing,
  type SharedDatabase,
  startNode,
} from '../../support/cluster.js';
import { playGame } from '../../support/player.js';
import { seededRandom } from '../../support/random.js';
import { RawClient } from '../../support/raw-client.js';
import { startTestRedis, type TestRedis } from '../../support/redis.js';
import { freeUdpPort } from '../../support/udp.js';
import { waitUntil } from '../../support/wait.js';
import { connectWs } from '../../support/ws-client.js';

const skip = clusterMissing();

/** Two nodes of one cluster: one Redis, one shared database. */
describe('a cluster of two nodes', { skip }, () => {
  let redis: TestRedis;
  let nodes: ClusterNode[] = [];
  let database: SharedDatabase;

  before(async () => {
    redis = await startTestRedis();
    database = await clusterDatabase();
    const first = await startNode({ database, redisUrl: redis.url, name: 'alpha' });
    const second = await startNode({ database, redisUrl: redis.url, name: 'beta' });
    nodes = [first, second];
  });

  after(async () => {
    for (const node of nodes) await node.stop();
    await database?.stop();
    await redis?.stop();
  });

  test('players on different nodes play a whole game, relayed; ratings and counts are stored once', async () => {
    const [alpha, beta] = nodes as [ClusterNode, ClusterNode];
    const [cam, jen] = await addPlayers(alpha.store, 'cross', 2);
    const one = await RawClient.connect(alpha.port);
    await one.login(cam ?? '', TEST_PASSWORD);
    const two = await RawClient.connect(beta.port);
    await two.login(jen ?? '', TEST_PASSWORD);
    try {
      const [a, b] = await Promise.all([playGame(one, undefined, 20_000), playGame(two, undefined, 20_000)]);
      assert.ok(a.gameOver && b.gameOver, 'both players see GameOver');
      assert.notEqual(a.color, b.color);
      assert.equal(a.gameOver.won && b.gameOver.won, false);
      await waitUntil(async () => (await alpha.store.listGames({ user: cam ?? '' })).length === 1, 'game recorded');
      const games = await beta.store.listGames({ user: jen ?? '' });
      assert.equal(games.length, 1);
      const accounts = await Promise.all([alpha.store.findAccount(cam ?? ''), alpha.store.findAccount(jen ?? '')]);
      assert.deepEqual(
        accounts.map((account) => account?.games),
        [1, 1],
      );
      assert.equal((await alpha.store.loadLiveGames()).length, 0);
    } finally {
      one.close();
      two.close();
    }
  });

  test('a browser on one node (WebSocket /play) and a version-1 client on another play a whole game', async () => {
    const [alpha, beta] = nodes as [ClusterNode, ClusterNode];
    const [tcpName = '', wsName = ''] = await addPlayers(alpha.store, 'mixed', 2);
    const terminal = await RawClient.connect(alpha.port);
    await terminal.login(tcpName, TEST_PASSWORD);
    const browser = await connectWs(beta.port);
    try {
      await browser.client.login(wsName, TEST_PASSWORD);
      const [a, b] = await Promise.all([
        playGame(terminal, undefined, 20_000),
        playGame(browser.client, undefined, 20_000),
      ]);
      assert.ok(a.gameOver && b.gameOver);
      assert.notEqual(a.color, b.color);
    } finally {
      terminal.close();
      browser.socket.close();
    }
  });

  test('a login on one node takes over the session on another, and gets the game', async () => {
    const [alpha, beta] = nodes as [ClusterNode, ClusterNode];
    const [ann, bob] = await addPlayers(alpha.store, 'over', 2);
    const first = await RawClient.connect(alpha.port);
    await first.login(ann ?? '', TEST_PASSWORD);
    const other = await RawClient.connect(alpha.port);
    await other.login(bob ?? '', TEST_PASSWORD);
    const clients = [first, other];
    try {
      await first.expect('GameStart', 10_000);
      await other.expect('GameStart', 10_000);
      // ann logs in again on beta: alpha closes her first connection, beta gets her seat.
      const again = await RawClient.connect(beta.port);
      clients.push(again);
      await again.login(ann ?? '', TEST_PASSWORD);
      assert.ok((await first.closedWithin(10_000)) >= 0, 'the first session is closed');
      await again.expect('GameStart', 10_000);
      // The game goes on across the nodes to its end.
      const [x, y] = await Promise.all([playGame(again, undefined, 20_000), playGame(other, undefined, 20_000)]);
      assert.ok(x.gameOver && y.gameOver);
    } finally {
      for (const client of clients) client.close();
    }
  });

  test('many concurrent games on both nodes: ratings and game counts add up exactly afterwards', async () => {
    const [alpha, beta] = nodes as [ClusterNode, ClusterNode];
    const names = await addPlayers(alpha.store, 'many', 24);
    const clients = await Promise.all(
      names.map(async (name, i) => {
        const client = await RawClient.connect((i % 2 === 0 ? alpha : beta).port);
        await client.login(name, TEST_PASSWORD);
        return client;
      }),
    );
    try {
      const random = seededRandom(7);
      const results = await Promise.all(clients.map((client) => playGame(client, random, 30_000)));
      assert.ok(
        results.every((result) => result.gameOver),
        'every game ends on the board',
      );
      const games = (await alpha.store.listGames()).filter((game) => game.black.name.startsWith('many'));
      assert.equal(games.length, 12);
      for (const name of names) {
        const account = await beta.store.findAccount(name);
        const own = games.filter((game) => game.black.name === name || game.white.name === name);
        assert.equal(own.length, 1, `${name} played once`);
        assert.equal(account?.games, 1);
        const game = own[0];
        const after = game?.black.name === name ? game.black.ratingAfter : game?.white.ratingAfter;
        assert.equal(
          Math.round(account?.rating.rating ?? 0),
          Math.round(after ?? -1),
          `${name}'s rating is the game's`,
        );
        assert.equal((account?.wins ?? 0) + (account?.losses ?? 0) + (account?.draws ?? 0), 1);
      }
      const wins = games.filter((game) => game.winner === 'black' || game.winner === 'white').length;
      const accounts = await Promise.all(names.map((name) => alpha.store.findAccount(name)));
      assert.equal(
        accounts.reduce((sum, account) => sum + (account?.wins ?? 0), 0),
        wins,
      );
    } finally {
      for (const client of clients) client.close();
    }
  });

  test("a node's discovery answer names the cluster and the node", async () => {
    const port = await freeUdpPort();
    const gamma = await startNode({ database, redisUrl: redis.url, name: 'gamma', discoveryPort: port });
    const socket = createSocket('udp4');
    try {
      const answer = await new Promise<Buffer>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no answer to the probe')), 15_000);
        socket.on('message', (message) => {
          clearTimeout(timer);
          resolve(message);
        });
        socket.bind(0, '127.0.0.1', () => socket.send(encodeProbe(), port, '127.0.0.1'));
      });
      const datagram = decodeDatagram(answer);
      assert.ok(datagram.kind === 'announcement');
      assert.equal(datagram.announcement.name, 'test server');
      assert.equal(datagram.announcement.node, 'gamma');
      assert.equal(datagram.announcement.port, gamma.port);
    } finally {
      socket.close();
      await gamma.stop();
    }
  });

  test('a login on another node while logged in and not playing is refused', async () => {
    const [alpha, beta] = nodes as [ClusterNode, ClusterNode];
    const [solo] = await addPlayers(alpha.store, 'solo', 1);
    const first = await RawClient.connect(alpha.port);
    const second = await RawClient.connect(beta.port);
    try {
      await first.login(solo ?? '', TEST_PASSWORD);
      second.send({ type: 'Connect', version: 1, username: solo ?? '', password: TEST_PASSWORD });
      const reply = await second.expect('InvalidLogin', 10_000);
      assert.equal(reply.type, 'InvalidLogin');
    } finally {
      first.close();
      second.close();
    }
  });
});
