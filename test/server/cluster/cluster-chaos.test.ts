import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fromWireBoard } from '../../../src/common/wire.js';
import { BLACK, type Color, WHITE } from '../../../src/game/position.js';
import { NO_MOVE, type WireBoard } from '../../../src/protocol/index.js';
import type { StoredGame } from '../../../src/server/domain/games.js';
import type { Store } from '../../../src/server/store/store.js';
import { addPlayers, TEST_PASSWORD } from '../../support/accounts.js';
import { clusterDatabase, clusterMissing, type SharedDatabase } from '../../support/cluster.js';
import { legalMoveByte } from '../../support/player.js';
import { DroppingProxy } from '../../support/proxy.js';
import { seededRandom } from '../../support/random.js';
import { RawClient } from '../../support/raw-client.js';
import { startTestRedis, type TestRedis } from '../../support/redis.js';
import { type ServerProcess, spawnServer } from '../../support/server-process.js';

const skip = clusterMissing();
const PLAYERS = 8;
/** Everything (faults and games) is over within this, or the test fails. */
const RUN_LIMIT_MS = 150_000;
/** The end of each node's log printed after a failure (the killed node's too). */
const LOG_SHOWN = 30_000;
/**
 * With the faults over, a queued player with no game coming leaves after this. Long enough for the
 * rating window (200 + 50 a second) to have paired every pair of players left: a LogOut that
 * crosses a pairing made on another node is the player's own choice, not a fault, and the run must
 * not stage it (docs/cluster.md says what it costs).
 */
const QUEUE_LEAVE_MS = 12_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Result {
  readonly won: boolean;
  readonly rating: number;
}

/** `name`'s results in the stored games, in the order they were stored: won or not, and the rating after (rounded, as told). */
function storedResults(games: readonly StoredGame[], name: string): Result[] {
  return games.flatMap((game) => {
    const side = game.black.name === name ? 'black' : game.white.name === name ? 'white' : undefined;
    return side ? [{ won: game.winner === side, rating: Math.round(game[side].ratingAfter) }] : [];
  });
}

/**
 * The results told that are not, in order, stored results: the told must be
 * a subsequence of the stored (a result stored but not told is allowed, since
 * its GameOver may be lost with a connection a fault closed).
 */
function toldNotStored(told: readonly Result[], stored: readonly Result[]): string[] {
  let at = 0;
  const missing: string[] = [];
  for (const result of told) {
    const found = stored.findIndex(
      (candidate, i) => i >= at && candidate.won === result.won && candidate.rating === result.rating,
    );
    if (found < 0) missing.push(`told ${JSON.stringify(result)}, stored ${JSON.stringify(stored.slice(at))}`);
    else at = found + 1;
  }
  return missing;
}

interface PlayerLog {
  name: string;
  /** Every result told, in order (a player plays on, game after game, until the faults are over). */
  told: { won: boolean; rating: number }[];
  /** The connection closed after the last result told: a later result (its GameOver lost with it) may be untold. */
  closedSinceTold: boolean;
  opponentLeft: boolean;
  invalidMoves: number;
  logins: number;
  /** Closes by a node that was killed or paused: the logins they cost are excused. */
  excusedCloses: number;
  /** Longest wait from a login to its GameStart, re-queues after a game apart. */
  longestWaitMs: number;
  /** Boards shown with YourTurn and compared with the stored game (while the database answered). */
  boardsChecked: number;
  boardsDiffering: string[];
}

/**
 * A chaos run: 8 players on three nodes, each playing random legal moves
 * with a short pause, game after game, and logging in again (on any live
 * node) whenever its connection closes, as the terminal client does.
 * Meanwhile one node is killed (kill -9) and started again, Redis is
 * restarted empty and then paused for 4 s, another node is frozen (SIGSTOP)
 * for 8 s, past its 6 s leases, PostgreSQL crashes (stop -m immediate)
 * and comes back, and a third node is cut off from Redis for 8 s while it
 * runs on. Nobody who did nothing wrong loses by a fault, nobody
 * waits for a game for long, nobody is disconnected except by the node they
 * were on dying, freezing or losing Redis (or, just after Redis lost its
 * data, by a referee whose game another node took over), nobody sees a legal
 * move refused, every board a player is shown is the stored game's, and
 * every rating told is stored.
 */
describe('chaos: node deaths and freezes, Redis and PostgreSQL faults while games go on', {
  skip,
  timeout: RUN_LIMIT_MS + 60_000,
}, () => {
  let redis: TestRedis;
  const nodes = new Map<string, ServerProcess>();
  /** Every node process started, the killed one too: their logs are printed if the run fails. */
  const launched: { name: string; node: ServerProcess }[] = [];
  /** Nodes a fault has hit (killed or frozen): their players may have to log in again. */
  const faulted = new Set<string>();
  /**
   * From Redis's restart without its data until 10 s after: a referee may find that another node took
   * its game over meanwhile and close its players to rejoin (docs/cluster.md), wherever they are.
   */
  const redisReset = { from: Number.POSITIVE_INFINITY, to: Number.NEGATIVE_INFINITY };
  let faultsOver = false;
  let database: SharedDatabase;
  let checker: Store;
  let names: string[] = [];

  /** Node alpha reaches Redis through this proxy, which the faults freeze. */
  let alphaLink: DroppingProxy;

  const start = async (name: string) => {
    const url = name === 'alpha' ? `redis://127.0.0.1:${alphaLink.port}` : redis.url;
    const node = await spawnServer(database.db, ['--cluster', url, '--node-name', name]);
    nodes.set(name, node);
    launched.push({ name, node });
  };

  before(async () => {
    redis = await startTestRedis();
    alphaLink = await DroppingProxy.start(redis.port);
    database = await clusterDatabase();
    const store = await database.openStore();
    names = await addPlayers(store, 'chaos', PLAYERS);
    store.close();
    checker = await database.openStore();
    for (const name of ['alpha', 'beta', 'gamma']) await start(name);
  });

  after(async () => {
    for (const node of nodes.values()) await node.stop();
    checker?.close();
    alphaLink?.close();
    await database?.stop();
    await redis?.stop();
  });

  /** Compares the board shown to `name` with its stored game in progress; undefined while the database is down. */
  async function storedBoardDiffers(name: string, board: WireBoard, color: Color): Promise<string | undefined> {
    const games = await checker.loadLiveGames().catch(() => undefined);
    if (!games) return undefined;
    const game = games.find((entry) => entry.black.name === name || entry.white.name === name);
    const shown = fromWireBoard(board, color, color);
    if (!game) return `${name}: no stored game in progress for the board shown`;
    if (!shown.ok) return `${name}: an impossible board (${shown.reason})`;
    const stored = game.position;
    const same =
      stored.black === shown.position.black &&
      stored.white === shown.position.white &&
      stored.kings === shown.position.kings &&
      stored.turn === color;
    return same
      ? ''
      : `${name}: shown ${JSON.stringify(shown.position)}, stored ${JSON.stringify(stored)} (game ${game.id})`;
  }

  /** The colour `name` plays in its stored game in progress, or undefined (none, or the database is down). */
  async function storedColor(name: string): Promise<Color | undefined> {
    const games = await checker.loadLiveGames().catch(() => undefined);
    const game = games?.find((entry) => entry.black.name === name || entry.white.name === name);
    return game ? (game.black.name === name ? BLACK : WHITE) : undefined;
  }

  async function play(name: string, seed: number, deadline: number): Promise<PlayerLog> {
    const random = seededRandom(seed);
    const log: PlayerLog = {
      name,
      told: [],
      closedSinceTold: false,
      opponentLeft: false,
      invalidMoves: 0,
      logins: 0,
      excusedCloses: 0,
      longestWaitMs: 0,
      boardsChecked: 0,
      boardsDiffering: [],
    };
    let color: Color | undefined;
    while (Date.now() < deadline) {
      const live = [...nodes.entries()];
      const [nodeName, node] = live[random(live.length)] ?? [];
      const client = node ? await RawClient.connect(node.port).catch(() => undefined) : undefined;
      if (!client || !nodeName) {
        await sleep(200);
        continue;
      }
      try {
        await client.login(name, TEST_PASSWORD);
        log.logins++;
        let waitingSince: number | undefined = Date.now();
        let queuedAt: number | undefined;
        for (;;) {
          const message = await client.next(['CompulsoryMove'], 30_000);
          if (message.type === 'GameStart') {
            if (waitingSince !== undefined) log.longestWaitMs = Math.max(log.longestWaitMs, Date.now() - waitingSince);
            waitingSince = undefined;
            queuedAt = undefined;
            // A new game or the same one rejoined: the stored game says which colour this player has.
            color = await storedColor(name);
          } else if (message.type === 'YourTurn') {
            color ??= message.lastMove === NO_MOVE ? BLACK : WHITE;
            const differs = await storedBoardDiffers(name, message.board, color);
            if (differs !== undefined) log.boardsChecked++;
            if (differs) log.boardsDiffering.push(differs);
            await sleep(250 + random(200));
            client.send({ type: 'MakeMove', move: legalMoveByte(message.board, color, random) });
          } else if (message.type === 'InvalidMove') log.invalidMoves++;
          else if (message.type === 'GameOver' || message.type === 'OpponentDisconnect') {
            if (message.type === 'GameOver') {
              log.told.push({ won: message.won, rating: message.newRating });
              log.closedSinceTold = false;
            } else log.opponentLeft = true;
            if (faultsOver) {
              client.send({ type: 'LogOut' });
              return log;
            }
            // Play on through the faults: another game with whoever is waiting (not timed: the others may be mid-game).
            color = undefined;
            queuedAt = Date.now();
            client.send({ type: 'ReQueue' });
          } else if (message.type === 'QueuePosition') {
            queuedAt ??= Date.now();
            // Queued with the faults over and no game coming (a rejoin's GameStart follows at once): leave.
            if (faultsOver && Date.now() - queuedAt > QUEUE_LEAVE_MS) {
              client.send({ type: 'LogOut' });
              return log;
            }
          }
        }
      } catch {
        // Closed (its node died or froze, or it must rejoin): log in again, as the terminal client does.
        const now = Date.now();
        log.closedSinceTold = log.told.length > 0;
        if (faulted.has(nodeName) || (now >= redisReset.from && now <= redisReset.to)) log.excusedCloses++;
        await sleep(300);
      } finally {
        client.close();
      }
    }
    throw new Error(`${name} did not finish its game in time`);
  }

  test('no forfeit by a fault, nobody stuck, no legal move refused, every board and rating shown is stored', async (t) => {
    const startedAt = Date.now();
    const deadline = startedAt + RUN_LIMIT_MS;
    const games = names.map((name, i) => play(name, 1_000 + i, deadline));
    const faults = (async () => {
      await sleep(3_000);
      const gamma = nodes.get('gamma');
      nodes.delete('gamma');
      faulted.add('gamma');
      gamma?.child.kill('SIGKILL');
      await gamma?.exited();
      // A node of the same name may start once its key has expired.
      await sleep(7_000);
      await start('gamma');
      await sleep(1_000);
      redisReset.from = Date.now();
      await redis.down();
      await sleep(500);
      await redis.up();
      redisReset.to = Date.now() + 10_000;
      await sleep(3_000);
      redis.pause();
      await sleep(4_000);
      redis.resume();
      await sleep(3_000);
      const beta = nodes.get('beta');
      faulted.add('beta');
      beta?.child.kill('SIGSTOP');
      await sleep(8_000);
      beta?.child.kill('SIGCONT');
      await sleep(3_000);
      await database.crash?.();
      await sleep(3_000);
      // Alpha runs on, cut off from Redis (nothing passes, nobody is told) past its leases.
      faulted.add('alpha');
      alphaLink.freeze();
      await sleep(8_000);
      alphaLink.thaw();
      await sleep(2_000);
      faultsOver = true;
      return Date.now() - startedAt;
    })();
    try {
      const logs = await Promise.all(games);
      const gamesOverAt = Date.now() - startedAt;
      const faultsOverAt = await faults;
      t.diagnostic(
        `faults over ${faultsOverAt} ms after the start, games over ${gamesOverAt} ms; logins per player: ${logs.map((log) => log.logins).join(' ')}; boards checked: ${logs.reduce((sum, log) => sum + log.boardsChecked, 0)}`,
      );
      const store = await database.openStore();
      try {
        const recorded = await store.listGames();
        assert.ok(recorded.length >= PLAYERS / 2, `${recorded.length} games recorded`);
        for (const game of recorded) {
          assert.ok(
            !['protocol-error', 'disconnect', 'both-away', 'storage-outage'].includes(game.termination),
            `game ${game.id} ended by ${game.termination}`,
          );
        }
        let untoldLast = 0;
        for (const log of logs) {
          assert.equal(log.invalidMoves, 0, `${log.name}: legal moves refused`);
          assert.deepEqual(log.boardsDiffering, [], `${log.name}: every board shown is the stored game's`);
          assert.ok(log.boardsChecked > 0, `${log.name}: boards were checked`);
          // Logged in once, and again only after a close by a node that was killed, frozen or cut off, or by Redis's reset.
          assert.ok(
            log.logins <= 1 + log.excusedCloses,
            `${log.name} logged in ${log.logins} times with ${log.excusedCloses} closes by a fault`,
          );
          assert.equal(log.opponentLeft, false, `${log.name}: the opponent was never recorded as gone`);
          assert.ok(log.longestWaitMs < 20_000, `${log.name} waited ${log.longestWaitMs} ms for a game`);
          assert.ok(log.told.length > 0, `${log.name} was told a result`);
          const stored = storedResults(recorded, log.name);
          assert.deepEqual(toldNotStored(log.told, stored), [], `${log.name}: every result told is a stored game's`);
          const account = await store.findAccount(log.name);
          const rating = Math.round(account?.rating.rating ?? -1);
          assert.equal(stored.at(-1)?.rating, rating, `${log.name}: the stored rating is its last stored game's`);
          // Its last GameOver may be lost with a connection a fault closed; otherwise the last result told is the last stored.
          if (!log.closedSinceTold) assert.equal(log.told.at(-1)?.rating, rating, `${log.name}: told rating is stored`);
          else if (log.told.at(-1)?.rating !== rating) untoldLast++;
        }
        t.diagnostic(
          `results told: ${logs.reduce((sum, log) => sum + log.told.length, 0)} of ${recorded.length * 2}; players whose last stored result was lost with a closed connection: ${untoldLast}`,
        );
        assert.equal((await store.loadLiveGames()).length, 0, 'no game left in progress');
        assert.ok(gamesOverAt > faultsOverAt, 'the games lasted through every fault');
      } finally {
        store.close();
      }
    } catch (error) {
      for (const { name, node } of launched) process.stderr.write(`---- ${name}\n${node.log().slice(-LOG_SHOWN)}\n`);
      throw error;
    }
  });
});
