import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BLACK, type Color, WHITE } from '../../../src/game/position.js';
import { NO_MOVE } from '../../../src/protocol/index.js';
import { addPlayers, TEST_PASSWORD } from '../../support/accounts.js';
import { clusterDatabase, clusterMissing, type SharedDatabase } from '../../support/cluster.js';
import { legalMoveByte } from '../../support/player.js';
import { seededRandom } from '../../support/random.js';
import { RawClient } from '../../support/raw-client.js';
import { startTestRedis, type TestRedis } from '../../support/redis.js';
import { type ServerProcess, spawnServer } from '../../support/server-process.js';

const skip = clusterMissing();
const PLAYERS = 8;
/** Everything (faults and games) is over within this, or the test fails. */
const RUN_LIMIT_MS = 120_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface PlayerLog {
  name: string;
  told?: { won: boolean; rating: number };
  opponentLeft: boolean;
  invalidMoves: number;
  logins: number;
  /** Longest wait from a login to its GameStart. */
  longestWaitMs: number;
}

/**
 * A small chaos run: 8 players on three nodes, each playing random legal
 * moves with a short pause and logging in again (on any live node) whenever
 * its connection closes, as the terminal client does; meanwhile one node is
 * killed (kill -9) and started again, Redis is restarted empty, and Redis is
 * paused for 4 s. Nobody who did nothing wrong loses by a fault, nobody
 * waits for a game for long, nobody on a live node is disconnected, nobody
 * sees a legal move refused, and every rating told equals the stored one.
 */
describe('chaos: node deaths and Redis faults while games go on', { skip, timeout: RUN_LIMIT_MS + 60_000 }, () => {
  let redis: TestRedis;
  const nodes = new Map<string, ServerProcess>();
  let database: SharedDatabase;
  let names: string[] = [];

  const start = async (name: string) => {
    nodes.set(name, await spawnServer(database.db, ['--cluster', redis.url, '--node-name', name]));
  };

  before(async () => {
    redis = await startTestRedis();
    database = await clusterDatabase();
    const store = await database.openStore();
    names = await addPlayers(store, 'chaos', PLAYERS);
    store.close();
    for (const name of ['alpha', 'beta', 'gamma']) await start(name);
  });

  after(async () => {
    for (const node of nodes.values()) await node.stop();
    await database?.stop();
    await redis?.stop();
  });

  async function play(name: string, seed: number, deadline: number): Promise<PlayerLog> {
    const random = seededRandom(seed);
    const log: PlayerLog = { name, opponentLeft: false, invalidMoves: 0, logins: 0, longestWaitMs: 0 };
    let color: Color | undefined;
    while (Date.now() < deadline) {
      const ports = [...nodes.values()].map((node) => node.port);
      const client = await RawClient.connect(ports[random(ports.length)] ?? 0).catch(() => undefined);
      if (!client) {
        await sleep(200);
        continue;
      }
      try {
        await client.login(name, TEST_PASSWORD);
        log.logins++;
        const loggedInAt = Date.now();
        for (;;) {
          const message = await client.next(['QueuePosition', 'CompulsoryMove'], 30_000);
          if (message.type === 'GameStart') log.longestWaitMs = Math.max(log.longestWaitMs, Date.now() - loggedInAt);
          else if (message.type === 'YourTurn') {
            color ??= message.lastMove === NO_MOVE ? BLACK : WHITE;
            await sleep(350 + random(200));
            client.send({ type: 'MakeMove', move: legalMoveByte(message.board, color, random) });
          } else if (message.type === 'InvalidMove') log.invalidMoves++;
          else if (message.type === 'GameOver') {
            log.told = { won: message.won, rating: message.newRating };
            return log;
          } else if (message.type === 'OpponentDisconnect') {
            log.opponentLeft = true;
            return log;
          }
        }
      } catch {
        // Closed (its node died, or it must rejoin): log in again, as the terminal client does.
        await sleep(300);
      } finally {
        client.close();
      }
    }
    throw new Error(`${name} did not finish its game in time`);
  }

  test('no forfeit by a fault, nobody stuck in the queue, no legal move refused, every rating told is stored', async (t) => {
    const startedAt = Date.now();
    const deadline = startedAt + RUN_LIMIT_MS;
    const games = names.map((name, i) => play(name, 1_000 + i, deadline));
    const faults = (async () => {
      await sleep(3_000);
      const gamma = nodes.get('gamma');
      nodes.delete('gamma');
      gamma?.child.kill('SIGKILL');
      await gamma?.exited();
      // A node of the same name may start once its key has expired.
      await sleep(7_000);
      await start('gamma');
      await sleep(1_000);
      await redis.down();
      await sleep(500);
      await redis.up();
      await sleep(3_000);
      redis.pause();
      await sleep(4_000);
      redis.resume();
      return Date.now() - startedAt;
    })();
    try {
      const logs = await Promise.all(games);
      const gamesOverAt = Date.now() - startedAt;
      const faultsOverAt = await faults;
      t.diagnostic(
        `faults over ${faultsOverAt} ms after the start, games over ${gamesOverAt} ms; logins per player: ${logs.map((log) => log.logins).join(' ')}`,
      );
      const store = await database.openStore();
      try {
        const recorded = await store.listGames();
        for (const game of recorded) {
          assert.ok(
            !['protocol-error', 'disconnect', 'both-away', 'storage-outage'].includes(game.termination),
            `game ${game.id} ended by ${game.termination}`,
          );
        }
        for (const log of logs) {
          assert.equal(log.invalidMoves, 0, `${log.name}: legal moves refused`);
          // Once, and once more if its own node was the one killed: nobody on a live node is disconnected.
          assert.ok(log.logins <= 2, `${log.name} logged in ${log.logins} times`);
          assert.ok(log.longestWaitMs < 20_000, `${log.name} waited ${log.longestWaitMs} ms for a game`);
          assert.ok(log.told, `${log.name} was told a result`);
          const account = await store.findAccount(log.name);
          assert.equal(
            log.told?.rating,
            Math.round(account?.rating.rating ?? -1),
            `${log.name}: told rating is stored`,
          );
        }
        assert.equal((await store.loadLiveGames()).length, 0, 'no game left in progress');
        assert.ok(gamesOverAt > faultsOverAt, 'the games lasted through every fault');
      } finally {
        store.close();
      }
    } catch (error) {
      for (const node of nodes.values()) process.stderr.write(`${node.log().slice(-4000)}\n----\n`);
      throw error;
    }
  });
});
