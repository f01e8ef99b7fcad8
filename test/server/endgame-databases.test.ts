import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import pino from 'pino';
import { writeWdlFile } from '../../src/game/engine/egdb/files.js';
import { encodeTables, exactFileNameFor, splitTableFile } from '../../src/game/engine/egdb/format.js';
import { LayeredTables } from '../../src/game/engine/egdb/layered.js';
import { isLoss, solveUpTo } from '../../src/game/engine/egdb/solve.js';
import { encodeWdl, WdlTables, wdlFileNameFor } from '../../src/game/engine/egdb/wdl.js';
import { STANDARD_RULES } from '../../src/game/engine/rules.js';
import { Searcher } from '../../src/game/engine/search.js';
import { positionFromFen } from '../../src/game/fen.js';
import type { Position } from '../../src/game/position.js';
import { applyMove, legalMoves } from '../../src/game/standard.js';
import { BotPool } from '../../src/server/bot-pool.js';
import type { ThinkRequest } from '../../src/server/bot-thinker.js';
import { spawnServer } from '../support/server-process.js';
import { startTestServer, temporaryDirectory } from '../support/test-server.js';
import { waitUntil } from '../support/wait.js';

const THREE = solveUpTo(3);
/** What a server keeps for --egdb-pieces 3: exact files (with distances) and win/draw/loss ones (also the browser's). */
const FILES_UP_TO_3 = [exactFileNameFor(2), exactFileNameFor(3), wdlFileNameFor(2), wdlFileNameFor(3)].sort();

/**
 * White's two men against a king, won in 47 plies; a 6-ply search (level 7's
 * depth) without tables plays 22-17, a draw.
 */
const WON = 'W:W10,23:BK17';

function keepsTheWin(position: Position, moveIndex: number | undefined): boolean {
  const move = moveIndex === undefined ? undefined : legalMoves(position)[moveIndex];
  assert.ok(move, 'a move');
  const next = applyMove(position, move);
  return isLoss(THREE.probe(next.black, next.white, next.kings, next.turn));
}

function ask(pool: BotPool, request: ThinkRequest): Promise<number | undefined> {
  return new Promise((resolve) => pool.think(request, resolve));
}

function capturingLog(): { log: pino.Logger; lines: string[] } {
  const lines: string[] = [];
  return { log: pino({ level: 'info' }, { write: (line: string) => lines.push(line) }), lines };
}

describe('endgame databases in the house bot', () => {
  const position = positionFromFen(WON);
  const request: ThinkRequest = { position, level: 7, rules: 'standard' };

  it('a 6-ply search without tables throws the win away (the position the next test needs)', () => {
    const { move } = new Searcher(STANDARD_RULES).search(position, { maxDepth: 6 });
    assert.ok(move);
    const next = applyMove(position, move);
    assert.ok(!isLoss(THREE.probe(next.black, next.white, next.kings, next.turn)));
  });

  it('keeps the win in its threads once given the tables: threads running before, and threads started after', async () => {
    // As the server loads them: exact values for 2 pieces, win/draw/loss for 3, in shared memory.
    const shared = (file: Uint8Array) => {
      const copy = new Uint8Array(new SharedArrayBuffer(file.length));
      copy.set(file);
      return splitTableFile(copy);
    };
    const tables = new LayeredTables();
    tables.addExact(shared(encodeTables(THREE, 2)));
    const { header, data } = shared(encodeWdl(THREE, 3));
    tables.addWdl({ header, packed: data });
    const before = new BotPool({ threads: 1, log: pino({ level: 'silent' }) });
    const after = new BotPool({ threads: 1, log: pino({ level: 'silent' }) });
    try {
      assert.ok(!keepsTheWin(position, await ask(before, request)), 'without tables the thread draws');
      before.useEndgame(tables.parts);
      after.useEndgame(tables.parts);
      assert.ok(keepsTheWin(position, await ask(before, request)), 'a running thread told of the tables');
      assert.ok(keepsTheWin(position, await ask(after, request)), 'a thread started with them');
      assert.equal(before.threadsStarted, 1, 'the same thread, not a new one');
    } finally {
      await Promise.all([before.close(), after.close()]);
    }
  });

  it('a real server generates them in the background, logs once when ready, serves them, and loads them after a restart', async () => {
    const dir = join(temporaryDirectory(), 'egdb');
    const first = capturingLog();
    const server = await startTestServer({
      endgame: { dir, pieces: 3 },
      houseBot: { name: 'checkers-bot', threads: 1 },
      log: first.log,
    });
    let restarted: Awaited<ReturnType<typeof startTestServer>> | undefined;
    try {
      assert.ok(server.server.endgame, 'the server has endgame databases');
      await server.server.endgame.settled;
      assert.ok(server.server.endgame.tables, 'ready');
      assert.deepEqual(readdirSync(dir).sort(), FILES_UP_TO_3);
      const generating = first.lines.filter((line) => line.includes('generating the endgame databases'));
      const ready = first.lines.filter((line) => line.includes('endgame databases ready'));
      assert.equal(generating.length, 1);
      assert.equal(ready.length, 1);
      assert.match(ready[0] ?? '', /"pieces":3,"exactPieces":3/);
      assert.match(ready[0] ?? '', /"generatedInSeconds":/);
      assert.equal(server.server.endgame.tables.exactPieces, 3, 'the house bot has the distances');
      assert.equal(
        first.lines.filter((line) => line.includes("the house bot's threads search standard games with the endgame"))
          .length,
        1,
        'the bot pool was given them',
      );

      const answer = await fetch(`http://127.0.0.1:${server.port}/api/egdb/${wdlFileNameFor(3)}`);
      assert.equal(answer.status, 200);
      assert.equal(answer.headers.get('content-type'), 'application/gzip');
      const bytes = Buffer.from(await answer.arrayBuffer());
      assert.deepEqual(bytes, readFileSync(join(dir, wdlFileNameFor(3))));
      assert.equal(new WdlTables().addFile(gunzipSync(bytes)), 3, 'a file the browser can read');
      const missing = await fetch(`http://127.0.0.1:${server.port}/api/egdb/${wdlFileNameFor(4)}`);
      assert.equal(missing.status, 404);
      assert.match(((await missing.json()) as { error: string }).error, /not ready on this server yet/);
      await server.stop({ keepFiles: true });

      const second = capturingLog();
      restarted = await startTestServer({
        dbPath: server.dbPath,
        endgame: { dir, pieces: 3 },
        houseBot: { name: 'checkers-bot', threads: 1 },
        log: second.log,
      });
      await waitUntil(() => restarted?.server.endgame?.tables !== undefined, 'the tables loaded after the restart');
      assert.ok(!second.lines.some((line) => line.includes('generating')), 'loaded, not generated again');
      assert.match(second.lines.find((line) => line.includes('endgame databases ready')) ?? '', /"pieces":3/);
    } finally {
      await server.stop();
      await restarted?.stop();
    }
  });

  it('a directory from before the exact files gains them, and keeps its win/draw/loss files as they were', async () => {
    const dir = join(temporaryDirectory(), 'egdb');
    for (const count of [2, 3]) await writeWdlFile(dir, THREE, count);
    const written = statSync(join(dir, wdlFileNameFor(3))).mtimeMs;
    const log = capturingLog();
    const server = await startTestServer({ endgame: { dir, pieces: 3 }, log: log.log });
    try {
      await server.server.endgame?.settled;
      assert.equal(server.server.endgame?.tables?.exactPieces, 3);
      assert.deepEqual(readdirSync(dir).sort(), FILES_UP_TO_3);
      assert.equal(statSync(join(dir, wdlFileNameFor(3))).mtimeMs, written, 'not written again');
      const generating = log.lines.find((line) => line.includes('generating the endgame databases')) ?? '';
      assert.match(generating, /"missing":\["egdb-standard-2\.bin\.gz","egdb-standard-3\.bin\.gz"\]/);
    } finally {
      await server.stop();
    }
  });

  it('a directory it cannot write: one line in the log, and the server plays on without them', async () => {
    const log = capturingLog();
    const server = await startTestServer({
      endgame: { dir: '/dev/null/egdb', pieces: 2 },
      houseBot: { name: 'checkers-bot', threads: 1 },
      log: log.log,
    });
    try {
      await server.server.endgame?.settled;
      assert.equal(server.server.endgame?.tables, undefined);
      const failed = log.lines.filter((line) => line.includes('endgame databases unavailable'));
      assert.equal(failed.length, 1);
      assert.match(failed[0] ?? '', /\/dev\/null\/egdb/);
      assert.deepEqual(await (await fetch(`http://127.0.0.1:${server.port}/api/egdb`)).json(), { files: [] });
    } finally {
      await server.stop();
    }
  });

  it('a server without them lists no file for the browser, and has none to give', async () => {
    const server = await startTestServer({});
    try {
      const listed = await fetch(`http://127.0.0.1:${server.port}/api/egdb`);
      assert.equal(listed.status, 200);
      assert.deepEqual(await listed.json(), { files: [] });
      assert.equal(server.server.endgame, undefined);
      assert.equal((await fetch(`http://127.0.0.1:${server.port}/api/egdb/${wdlFileNameFor(2)}`)).status, 404);
    } finally {
      await server.stop();
    }
  });

  it('checkers-server --egdb-pieces 3 generates them in egdb/ beside the database and says when they are ready', async () => {
    const directory = temporaryDirectory();
    const server = await spawnServer(join(directory, 'checkers.db'), ['--egdb-pieces', '3', '--bot-threads', '1']);
    try {
      await waitUntil(() => server.log().includes('endgame databases ready'), 'the ready line', 60_000);
      assert.deepEqual(readdirSync(join(directory, 'egdb')).sort(), FILES_UP_TO_3);
      assert.equal(server.log().split('endgame databases ready').length, 2, 'logged once');
    } finally {
      await server.stop();
    }
  });
});
