import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  copyFileSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { BLACK } from '../../src/game/position.js';
import { SqliteStore } from '../../src/server/store/sqlite-store.js';
import { notRoot, skipUnless } from '../support/capability.js';
import { startGame } from '../support/game-setup.js';
import { legalMoveByte } from '../support/player.js';
import { RawClient } from '../support/raw-client.js';
import { runCli, runCliAsNobody } from '../support/server-process.js';
import { startTestServer, type TestServer, temporaryDirectory } from '../support/test-server.js';
import { fillDisk, mountTmpfs } from '../support/tmpfs.js';

/** A logger whose lines the test can read. */
function capturedLog() {
  const lines: Array<{ level: number; msg: string; code?: string }> = [];
  const log = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { log, lines, errors: () => lines.filter((line) => line.level >= 50) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('storage faults: replies wait for storage, the server lives on', { timeout: 120_000 }, () => {
  const skip = skipUnless(notRoot('mounting a tmpfs'));

  it('disk full: a move is answered only once stored, a forfeit during it does not crash, both recover', {
    skip,
  }, async () => {
    const disk = mountTmpfs(2048);
    const { log, lines, errors } = capturedLog();
    let server: TestServer | undefined;
    try {
      server = await startTestServer({ dbPath: join(disk.path, 'checkers.db'), log, storageRetryMs: 50 });
      const game = await startGame(server);
      const filler = fillDisk(disk.path);
      game.black.send({ type: 'MakeMove', move: legalMoveByte(game.firstTurn.board, BLACK) });
      await sleep(800);
      assert.deepEqual(game.white.pending(), [], 'the reply waits while the move cannot be stored');
      assert.equal(errors().length, 1, 'the failure is logged once');
      assert.match(errors()[0]?.msg ?? '', /disk is full/);
      // Nobody else is held: a login is answered while storage is down.
      const kain = await RawClient.connect(server.port);
      await kain.login('kain', 'niak');
      kain.close();

      rmSync(filler);
      const turn = await game.white.expect('YourTurn', 5000);
      assert.ok(lines.some((line) => /storage writes again/.test(line.msg)));
      assert.equal((await server.store.loadLiveGames())[0]?.moves.length, 1, 'the answered move is stored');

      // The game ends while the disk is full again: recording it must not take the server down.
      const secondFiller = fillDisk(disk.path);
      game.white.send({ type: 'LogOut' });
      await sleep(800);
      assert.deepEqual(game.black.pending(), [], 'OpponentDisconnect waits for the result to be stored');
      assert.equal((await server.store.listGames()).length, 0);
      rmSync(secondFiller);
      await game.black.expect('OpponentDisconnect', 5000);
      const [record] = await server.store.listGames();
      assert.equal(record?.termination, 'logout');
      assert.equal((await server.store.loadLiveGames()).length, 0);
      assert.notEqual(turn.board, undefined);
      game.close();
    } finally {
      await server?.stop();
      disk.remove();
    }
  });

  it('storage down past --storage-outage-limit: games abandoned unrated, players disconnected, stored later', {
    skip,
  }, async () => {
    const disk = mountTmpfs(2048);
    const { log, lines } = capturedLog();
    let server: TestServer | undefined;
    try {
      server = await startTestServer({
        dbPath: join(disk.path, 'checkers.db'),
        log,
        storageRetryMs: 50,
        timing: { storageOutageLimitMs: 1000 },
      });
      const game = await startGame(server);
      const filler = fillDisk(disk.path);
      game.black.send({ type: 'MakeMove', move: legalMoveByte(game.firstTurn.board, BLACK) });
      await game.white.closedWithin(5000);
      await game.black.closedWithin(5000);
      assert.deepEqual(
        game.white.pending().map((message) => message.type),
        [],
        'the reply about a move never stored is never sent',
      );
      assert.ok(lines.some((line) => /abandoned with no rating change/.test(line.msg)));
      rmSync(filler);
      const store = server.store;
      await waitFor(async () => (await store.listGames()).length === 1, 'the abandoned game to be stored');
      const [record] = await store.listGames();
      assert.equal(record?.winner, 'abandoned');
      assert.equal(record?.termination, 'storage-outage');
      const [blackName, whiteName] = game.names;
      assert.equal((await store.findAccount(blackName))?.rating.rating, 1200);
      assert.equal((await store.findAccount(whiteName))?.games, 0);
      assert.equal((await store.loadLiveGames()).length, 0);
      // Games start again once storage is back.
      const again = await startGame(server);
      assert.equal(again.firstTurn.type, 'YourTurn');
      again.close();
    } finally {
      await server?.stop();
      disk.remove();
    }
  });

  describe('a write lock held by another process (sqlite3 BEGIN EXCLUSIVE)', () => {
    let sqlite: ChildProcessWithoutNullStreams | undefined;
    after(() => sqlite?.kill('SIGKILL'));

    it('holds only the affected replies, never freezes the server, and stores the move once the lock is gone', async () => {
      const { log, errors } = capturedLog();
      const server = await startTestServer({ log, storageRetryMs: 50 });
      try {
        const game = await startGame(server);
        const child = spawn('sqlite3', [server.dbPath]);
        sqlite = child;
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
        });
        child.stdin.write("BEGIN EXCLUSIVE;\nSELECT 'locked';\n");
        await waitFor(() => out.includes('locked'), 'sqlite3 to take the lock');

        const delay = monitorEventLoopDelay({ resolution: 10 });
        delay.enable();
        game.black.send({ type: 'MakeMove', move: legalMoveByte(game.firstTurn.board, BLACK) });
        await sleep(300);
        const started = Date.now();
        const kain = await RawClient.connect(server.port);
        await kain.login('kain', 'niak');
        const loginMs = Date.now() - started;
        await sleep(1500);
        delay.disable();
        assert.deepEqual(game.white.pending(), [], 'the reply waits for the commit');
        assert.ok(loginMs < 2000, `a login was answered in ${loginMs} ms while the lock was held`);
        assert.ok(delay.max / 1e6 < 1000, `the event loop stalled for ${delay.max / 1e6} ms`);
        assert.match(errors()[0]?.msg ?? '', /write lock/);

        child.stdin.end('COMMIT;\n.quit\n');
        await game.white.expect('YourTurn', 5000);
        assert.equal((await server.store.loadLiveGames())[0]?.moves.length, 1);
        kain.close();
        game.close();
      } finally {
        await server.stop();
      }
    });
  });

  it('the database file deleted while running: written back from the open database, then the move is answered', async () => {
    const { log, lines } = capturedLog();
    const server = await startTestServer({ log, storageRetryMs: 50 });
    try {
      const game = await startGame(server);
      rmSync(server.dbPath);
      game.black.send({ type: 'MakeMove', move: legalMoveByte(game.firstTurn.board, BLACK) });
      await game.white.expect('YourTurn', 5000);
      assert.ok(lines.some((line) => /was deleted while the server ran/.test(line.msg)));
      assert.ok(lines.some((line) => /written back/.test(line.msg)));
      // Another connection to the file now at the path sees everything, the answered move included.
      const reader = SqliteStore.open(server.dbPath);
      try {
        assert.equal((await reader.findAccount('kain'))?.name, 'kain');
        assert.equal((await reader.loadLiveGames())[0]?.moves.length, 1);
      } finally {
        reader.close();
      }
      game.close();
    } finally {
      await server.stop();
    }
  });

  it('the database file replaced while running: never written again, replies held, the cause logged', async () => {
    const { log, errors } = capturedLog();
    const server = await startTestServer({ log, storageRetryMs: 50 });
    try {
      const game = await startGame(server);
      const copy = `${server.dbPath}.copy`;
      copyFileSync(server.dbPath, copy);
      renameSync(copy, server.dbPath);
      game.black.send({ type: 'MakeMove', move: legalMoveByte(game.firstTurn.board, BLACK) });
      await sleep(600);
      assert.deepEqual(game.white.pending(), [], 'the reply is held');
      assert.match(errors()[0]?.msg ?? '', /was replaced while the server ran.*restart the server/);
      game.close();
    } finally {
      await server.stop();
    }
  });
});

describe('the database file', () => {
  let directory: string;
  before(() => {
    directory = temporaryDirectory();
  });
  after(() => rmSync(directory, { recursive: true, force: true }));

  it('is created for the server user only: folder 0700, database and WAL 0600', async () => {
    const server = await startTestServer({ dbPath: join(directory, 'data', 'checkers.db') });
    try {
      const game = await startGame(server);
      game.black.send({ type: 'MakeMove', move: legalMoveByte(game.firstTurn.board, BLACK) });
      await game.white.next(['QueuePosition']);
      game.close();
      assert.equal(statSync(join(directory, 'data')).mode & 0o777, 0o700);
      for (const file of ['checkers.db', 'checkers.db-wal', 'checkers.db-shm']) {
        assert.equal(statSync(join(directory, 'data', file)).mode & 0o777, 0o600, file);
      }
    } finally {
      await server.stop({ keepFiles: true });
    }
  });

  it('a corrupt database is refused at start with one line (PRAGMA quick_check)', async () => {
    const path = join(directory, 'corrupt.db');
    const store = SqliteStore.open(path);
    await store.createAccounts(
      Array.from({ length: 300 }, (_, index) => ({ name: `player${index}`, passwordHash: 'x'.repeat(100) })),
    );
    store.close();
    // Damage the pages after the first (the schema stays readable, the tables do not).
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(8192, 0xff), 0, 8192, 4096);
    closeSync(fd);
    const { code, stderr } = await runCli([
      '--db',
      path,
      '--listen-addr',
      '127.0.0.1',
      '--listen-port',
      '0',
      '--no-discovery',
    ]);
    assert.notEqual(code, 0);
    assert.equal(stderr.trim().split('\n').length, 1, stderr);
    assert.match(stderr, /is corrupt .*restore it from a backup/);
  });

  it('a database the server cannot write is refused at start with one line', {
    skip: skipUnless(notRoot('changing user')),
  }, async () => {
    const folder = join(directory, 'read-only');
    mkdirSync(folder);
    const path = join(folder, 'checkers.db');
    SqliteStore.open(path).close();
    chmodSync(path, 0o644);
    chmodSync(folder, 0o755);
    chmodSync(directory, 0o755);
    const result = await runCliAsNobody(
      ['--db', path, '--listen-addr', '127.0.0.1', '--listen-port', '0', '--no-discovery', '--no-tls'],
      15_000,
    );
    assert.notEqual(result.code, 0);
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    assert.match(result.stderr, /database .*(permission denied or not writable|read-only)/);
  });

  it('--durability full fsyncs every commit (synchronous FULL); normal does not', () => {
    for (const [durability, expected] of [
      ['full', 2],
      ['normal', 1],
    ] as const) {
      const store = SqliteStore.open(join(directory, `${durability}.db`), { durability });
      try {
        assert.equal(store.synchronous, expected);
      } finally {
        store.close();
      }
    }
  });
});
