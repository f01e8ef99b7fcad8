import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { BLACK } from '../../src/game/position.js';
import { MIGRATIONS } from '../../src/server/store/migrations.js';
import { PgStore } from '../../src/server/store/pg-store.js';
import { openSqliteStore } from '../../src/server/store/sqlite-store.js';
import { addPlayers, TEST_PASSWORD } from '../support/accounts.js';
import { matchCamAndJen } from '../support/game-setup.js';
import { legalMoveByte, nextTurn, playGame, playOpeningTurns } from '../support/player.js';
import { freeLoopbackPort, postgresMissing, startPostgres, type TestPostgres } from '../support/postgres.js';
import { seededRandom } from '../support/random.js';
import { RawClient } from '../support/raw-client.js';
import { runCli, runCommand, SERVER_CLI, spawnServer } from '../support/server-process.js';
import { startTestServer, temporaryDirectory } from '../support/test-server.js';
import { waitUntil } from '../support/wait.js';

const skip = postgresMissing();
let postgres: TestPostgres | undefined;
let databases = 0;

before(async () => {
  if (!skip) postgres = await startPostgres();
});
after(() => postgres?.stop());

async function newDatabase(): Promise<string> {
  if (!postgres) throw new Error('PostgreSQL did not start');
  return postgres.createDatabase(`server${++databases}`);
}

/** One line, no stack trace. */
function assertOneLine(text: string): void {
  assert.equal(text.trim().split('\n').length, 1, `expected one line:\n${text}`);
  assert.doesNotMatch(text, /\n\s+at /);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the server on PostgreSQL', { skip, timeout: 120_000 }, () => {
  it('plays a game on through a restart of PostgreSQL, losing no answered move', async (t) => {
    if (!postgres) throw new Error('PostgreSQL did not start');
    const url = await newDatabase();
    const server = await spawnServer(url, ['--no-tls', '--storage-outage-limit', '0']);
    t.after(() => server.stop());
    const [cam, jen] = await matchCamAndJen(server.port);
    t.after(() => {
      cam.close();
      jen.close();
    });
    const colors = await playOpeningTurns([cam, jen], 4);
    const { index, turn } = await nextTurn([cam, jen]);
    const mover = index === 0 ? cam : jen;
    const waiter = index === 0 ? jen : cam;

    const check = await PgStore.open(url);
    t.after(() => check.end());
    const storedBefore = (await check.loadLiveGames())[0]?.moves.length ?? 0;
    assert.ok(storedBefore >= 4);
    await postgres.kill();
    try {
      const seen = waiter.pending().length;
      mover.send({ type: 'MakeMove', move: legalMoveByte(turn.board, colors[index] ?? BLACK) });
      await sleep(1000);
      assert.equal(waiter.pending().length, seen, 'nothing about the move goes out while it cannot be stored');
    } finally {
      await postgres.start();
    }
    await waitUntil(() => waiter.pending().some((message) => message.type === 'YourTurn'), 'the held reply', 15_000);
    // The move made during the outage is stored: it was answered only once the commit went through.
    assert.ok(((await check.loadLiveGames())[0]?.moves.length ?? 0) > storedBefore, 'the answered move is stored');

    const [camGame, jenGame] = await Promise.all([
      playGame(cam, seededRandom(5), 15_000, colors[0]),
      playGame(jen, seededRandom(6), 15_000, colors[1]),
    ]);
    assert.ok(camGame.gameOver && jenGame.gameOver);
    const [game] = await check.listGames();
    // Every turn a player answered is in the record (forced jumps add turns of their own).
    assert.ok((game?.moves.length ?? 0) >= 5 + camGame.moves + jenGame.moves);
    assert.equal((await check.findAccount('cam'))?.games, 1);
    assert.equal((await check.loadLiveGames()).length, 0);
  });

  it('refuses to start in one line when PostgreSQL is unreachable or refuses the password', async () => {
    if (!postgres) throw new Error('PostgreSQL did not start');
    const start = (db: string) =>
      runCommand(
        process.execPath,
        [SERVER_CLI, '--listen-addr', '127.0.0.1', '--listen-port', '0', '--no-discovery', '--db', db],
        20_000,
      );
    const closed = await start(`postgres://checkers:pw@127.0.0.1:${await freeLoopbackPort()}/checkers`);
    assert.equal(closed.code, 1);
    assertOneLine(closed.stderr);
    assert.match(
      closed.stderr,
      /^checkers-server: cannot reach PostgreSQL at postgres:\/\/checkers:\*\*\*@127\.0\.0\.1:\d+\/checkers .*start PostgreSQL or correct the host and port in --db\n$/,
    );
    const wrong = await start(postgres.url.replace(/:[^:@]+@/, ':wrong-password@'));
    assert.equal(wrong.code, 1);
    assertOneLine(wrong.stderr);
    assert.match(wrong.stderr, /PostgreSQL refused the user or password in .*; correct them in --db/);
    assert.doesNotMatch(wrong.stderr, /wrong-password/, 'the password is never printed');
  });

  it('runs the operator subcommands on PostgreSQL; backup says to use pg_dump', async () => {
    const url = await newDatabase();
    const notYet = await runCli(['user', 'list', '--db', url]);
    assert.equal(notYet.code, 1);
    assertOneLine(notYet.stderr);
    assert.match(notYet.stderr, /is not a checkers database \(it has no tables\); check --db/);

    const setup = await PgStore.open(url);
    await setup.end();
    assert.equal((await runCli(['user', 'add', 'Dana', '--password-stdin', '--db', url], 'pw1\n')).code, 0);
    const again = await runCli(['user', 'add', 'dana', '--password-stdin', '--db', url], 'pw1\n');
    assert.equal(again.code, 1);
    assert.match(again.stderr, /an account named "Dana" already exists \(names ignore case\)/);
    assert.equal((await runCli(['--db', url, 'user', 'passwd', 'dana', '--password-stdin'], 'pw2\n')).code, 0);
    assert.equal((await runCli(['user', 'rename', 'dana', 'Dee', '--db', url])).code, 0);
    const list = await runCli(['user', 'list', '--db', url]);
    assert.equal(list.code, 0);
    assert.match(list.stdout, /^Dee\s+1200\s+0\s+0\s+0\s+0\s+1200\s+0$/m);
    const exported = await runCli(['games', 'export', '--db', url]);
    assert.equal(exported.code, 0);
    assert.equal(exported.stdout, '');
    assert.equal((await runCli(['user', 'remove', 'dee', '--db', url])).code, 0);
    assert.doesNotMatch((await runCli(['user', 'list', '--db', url])).stdout, /Dee/);

    const file = join(temporaryDirectory(), 'copy.db');
    const backup = await runCli(['backup', file, '--db', url]);
    assert.equal(backup.code, 1);
    assertOneLine(backup.stderr);
    assert.match(backup.stderr, /^checkers-server: backup copies an SQLite database; for PostgreSQL use pg_dump/);
    assert.equal(existsSync(file), false);
  });
});

describe('checkers-server db migrate-to-postgres', { skip, timeout: 120_000 }, () => {
  it('copies accounts, passwords, ratings, finished games and games in progress; the server goes on from them', async (t) => {
    const directory = temporaryDirectory();
    const file = join(directory, 'data', 'checkers.db');
    // A game played to the end and one in progress, on SQLite.
    mkdirSync(join(directory, 'data'));
    const sqlite = await startTestServer({ dbPath: file });
    t.after(() => sqlite.stop());
    const [cam, jen] = await matchCamAndJen(sqlite.port);
    await Promise.all([playGame(cam, seededRandom(1)), playGame(jen, seededRandom(2))]);
    cam.close();
    jen.close();
    const [p1 = '', p2 = ''] = await addPlayers(sqlite.store, 'mig', 2);
    const one = await RawClient.connect(sqlite.port);
    await one.login(p1, TEST_PASSWORD);
    const two = await RawClient.connect(sqlite.port);
    await two.login(p2, TEST_PASSWORD);
    await Promise.all([one.expect('GameStart'), two.expect('GameStart')]);
    await playOpeningTurns([one, two], 3);
    await waitUntil(async () => (await sqlite.store.loadLiveGames())[0]?.moves.length === 3, 'three moves stored');
    one.close();
    two.close();
    await sqlite.stop({ keepFiles: true });
    const before = await openSqliteStore(file, { readOnly: true });
    const contents = await before.exportAll();
    before.close();

    // The cluster guide's command as written (docs/cluster.md), in the directory holding data/checkers.db, with this test's database URL.
    const url = await newDatabase();
    const readme = readFileSync(fileURLToPath(new URL('../../../docs/cluster.md', import.meta.url)), 'utf8');
    const command = /^checkers-server db migrate-to-postgres .*$/m.exec(readme)?.[0];
    assert.equal(
      command,
      'checkers-server db migrate-to-postgres --from data/checkers.db --db postgres://checkers:secret@db.example:5432/checkers',
    );
    const args = command.split(' ').slice(1);
    args[args.length - 1] = url;
    const run = await runCommand(process.execPath, [SERVER_CLI, ...args], 60_000, process.env, directory);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      /^copied 10 accounts, 1 finished games and 1 games in progress from data\/checkers\.db to postgres:\/\/checkers:\*\*\*@127\.0\.0\.1:\d+\/server\d+\n$/,
    );
    const copy = await PgStore.open(url, { mustExist: true });
    t.after(() => copy.end());
    const accounts = await copy.listAccounts();
    assert.equal(accounts.length, contents.accounts.length);
    for (const account of contents.accounts) {
      const copied = accounts.find((candidate) => candidate.id === account.id);
      const { createdAt: _createdAt, ...kept } = account;
      assert.deepEqual(copied, kept);
    }
    assert.deepEqual(
      await copy.listGames(),
      contents.games.map(({ blackId: _b, whiteId: _w, ...game }) => game),
    );
    assert.deepEqual(await copy.loadLiveGames(), contents.live);
    // New rows go on after the copied ids.
    assert.ok((await copy.createAccount('newcomer', 'h')).id > Math.max(...contents.accounts.map((a) => a.id)));

    // A second run refuses: the target is not empty.
    const twice = await runCli(['db', 'migrate-to-postgres', '--from', file, '--db', url]);
    assert.equal(twice.code, 1);
    assertOneLine(twice.stderr);
    assert.match(twice.stderr, /is not empty \(it holds accounts or games\); migrate into a new, empty database/);

    // The server on PostgreSQL: the players log in with their passwords and resume their game.
    const server = await spawnServer(url, ['--no-tls']);
    t.after(() => server.stop());
    const back1 = await RawClient.connect(server.port);
    const back2 = await RawClient.connect(server.port);
    t.after(() => {
      back1.close();
      back2.close();
    });
    await back1.login(p1, TEST_PASSWORD);
    await back2.login(p2, TEST_PASSWORD);
    await nextTurn([back1, back2]);
    const camBack = await RawClient.connect(server.port);
    t.after(() => camBack.close());
    const queued = await camBack.login('cam', 'mac');
    assert.equal(queued.rating, Math.round(contents.accounts.find((a) => a.name === 'cam')?.rating.rating ?? 0));
  });

  it('refuses an SQLite database holding names that differ only in case, copying nothing', async () => {
    const file = join(temporaryDirectory(), 'old.db');
    const old = new Database(file);
    for (const migration of MIGRATIONS.slice(0, 2)) old.exec(migration);
    old.pragma('user_version = 2');
    const insert = old.prepare(
      "INSERT INTO accounts (name, password, rating, deviation, volatility, created_at) VALUES (?, 'x', 1200, 350, 0.06, '2026-01-01T00:00:00.000Z')",
    );
    for (const name of ['bob', 'Bob']) insert.run(name);
    old.close();
    const url = await newDatabase();
    const run = await runCli(['db', 'migrate-to-postgres', '--from', file, '--db', url]);
    assert.equal(run.code, 1);
    assertOneLine(run.stderr);
    assert.match(run.stderr, /holds account names that differ only in case \("bob" and "Bob"\).*rename or remove/);
    const target = await PgStore.open(url);
    assert.equal(await target.isEmpty(), true);
    await target.end();
  });

  it('refuses a file that is not a database, and a target that is not PostgreSQL', async () => {
    const missing = await runCli(['db', 'migrate-to-postgres', '--from', '/nonexistent/checkers.db', '--db', 'x.db']);
    assert.equal(missing.code, 1);
    assertOneLine(missing.stderr);
    assert.match(missing.stderr, /is not a PostgreSQL URL; pass --db postgres:\/\//);
    const url = await newDatabase();
    const noFile = await runCli(['db', 'migrate-to-postgres', '--from', '/nonexistent/checkers.db', '--db', url]);
    assert.equal(noFile.code, 1);
    assertOneLine(noFile.stderr);
    assert.match(noFile.stderr, /there is no database at \/nonexistent\/checkers\.db/);
  });
});
