import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { WebSocketServer } from 'ws';
import { BLACK, WHITE } from '../../../src/game/position.js';
import { WATCH_CLOSE, WatchHub } from '../../../src/server/web/watch.js';
import { startGame } from '../../support/game-setup.js';
import { legalMoveByte, nextTurn } from '../../support/player.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { WatchClient } from '../../support/watch-client.js';

describe('watch feed (WatchHub on its own WebSocket listener, a real server)', () => {
  let server: TestServer;
  let hub: WatchHub;
  let sockets: WebSocketServer;
  let base = '';

  before(async () => {
    server = await startTestServer();
    hub = new WatchHub(server.server.service, server.server.batch, pino({ level: 'silent' }), {
      maxWatchersPerGame: 3,
      maxWatchersPerAddress: 2,
      maxBufferedBytes: 64 * 1024,
    });
    sockets = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => sockets.once('listening', resolve));
    sockets.on('connection', (socket, request) => {
      const id = (request.url ?? '').replace(/^\/watch\//, '');
      hub.route.accept(socket, { id }, request, request.socket.remoteAddress ?? '');
    });
    base = `ws://127.0.0.1:${(sockets.address() as AddressInfo).port}/watch`;
  });
  after(async () => {
    hub.close();
    for (const client of sockets.clients) client.terminate();
    await new Promise((resolve) => sockets.close(resolve));
    await server.stop();
  });

  it('sends the game so far, each turn once committed, and the end; then closes 1000', async () => {
    const game = await startGame(server);
    try {
      const [live] = (await server.store.liveGamesPage(10, 0)).games;
      assert.ok(live);
      const watcher = await WatchClient.open(`${base}/${live.id}`);
      const [first] = await watcher.until((messages) => messages.length >= 1);
      assert.equal(first?.type, 'game');
      assert.deepEqual(first?.black, { name: game.names[0], rating: 1200 });
      assert.equal(first?.turn, 'black');
      assert.deepEqual(first?.moves, []);
      const clients = [game.black, game.white] as const;
      game.black.send({ type: 'MakeMove', move: legalMoveByte(game.firstTurn.board, BLACK) });
      for (let turn = 1; turn < 6; turn++) {
        const { index, turn: yourTurn } = await nextTurn(clients);
        clients[index]?.send({ type: 'MakeMove', move: legalMoveByte(yourTurn.board, index === 0 ? BLACK : WHITE) });
      }
      await watcher.until((messages) => watcher.moves().length >= 6 && messages.length >= 2);
      // Nothing reaches a watcher before it is stored: what it has seen is in the committed game.
      const [stored] = (await server.store.liveGamesPage(10, 0)).games;
      assert.deepEqual(stored?.moves.slice(0, watcher.moves().length), watcher.moves());
      assert.equal(watcher.messages.at(-1)?.type, 'moves');
      game.black.send({ type: 'LogOut' });
      await watcher.until((messages) => messages.at(-1)?.type === 'over');
      const over = watcher.messages.at(-1);
      assert.equal(over?.winner, 'white');
      assert.equal(over?.termination, 'logout');
      assert.equal(await watcher.closed(), WATCH_CLOSE.gameOver);
      const finished = await server.store.findGame(Number(over?.gameId));
      assert.deepEqual(finished?.moves, watcher.moves());
    } finally {
      game.close();
    }
  });

  it('closes a watcher that sends anything with 1008; the players are untouched', async () => {
    const game = await startGame(server);
    try {
      const [live] = (await server.store.liveGamesPage(10, 0)).games;
      const watcher = await WatchClient.open(`${base}/${live?.id}`);
      await watcher.until((messages) => messages.length >= 1);
      watcher.socket.send(JSON.stringify({ type: 'MakeMove', move: 1 }));
      assert.equal(await watcher.closed(), WATCH_CLOSE.readOnly);
      game.black.send({ type: 'MakeMove', move: legalMoveByte(game.firstTurn.board, BLACK) });
      await game.white.expect('YourTurn');
    } finally {
      game.close();
    }
  });

  it('refuses an unknown game (4404) and watchers beyond the per-address and per-game limits (1013)', async () => {
    const unknown = await WatchClient.open(`${base}/99999`);
    assert.equal(await unknown.closed(), WATCH_CLOSE.noSuchGame);
    const garbage = await WatchClient.open(`${base}/abc`);
    assert.equal(await garbage.closed(), WATCH_CLOSE.noSuchGame);
    const game = await startGame(server);
    const opened: WatchClient[] = [];
    try {
      const [live] = (await server.store.liveGamesPage(10, 0)).games;
      for (let i = 0; i < 2; i++) opened.push(await WatchClient.open(`${base}/${live?.id}`));
      await Promise.all(opened.map((watcher) => watcher.until((messages) => messages.length >= 1)));
      const third = await WatchClient.open(`${base}/${live?.id}`);
      assert.equal(await third.closed(), WATCH_CLOSE.tooMany);
      assert.match(third.closeReason, /your address/);
      assert.equal(hub.watchers, 2);
      opened.push(await WatchClient.open(`${base}/${live?.id}`, 5000, '127.0.0.2'));
      await opened[2]?.until((messages) => messages.length >= 1);
      const fourth = await WatchClient.open(`${base}/${live?.id}`, 5000, '127.0.0.3');
      assert.equal(await fourth.closed(), WATCH_CLOSE.tooMany);
      assert.match(fourth.closeReason, /this game/);
    } finally {
      for (const watcher of opened) watcher.close();
      game.close();
    }
  });
});
