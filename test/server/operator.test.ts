import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { InvalidLoginReason } from '../../src/protocol/index.js';
import { NO_PASSWORD } from '../../src/server/house-bot.js';
import { hashPassword } from '../../src/server/passwords.js';
import { MIGRATIONS } from '../../src/server/store/migrations.js';
import { openSqliteStore } from '../../src/server/store/sqlite-store.js';
import { notRoot, skipUnless } from '../support/capability.js';
import { RawClient } from '../support/raw-client.js';
import {
  type CommandRun,
  runCli,
  runCliAsNobody,
  runCommand,
  SERVER_CLI,
  spawnServer,
} from '../support/server-process.js';
import { startTestServer, temporaryDirectory } from '../support/test-server.js';

/** Runs a command to completion, killed after `timeoutMs` (a server that starts when it should refuse). */
/** The server on loopback, port 0, no discovery: it should refuse to start, so it is killed after 10 s. */
function startServerExpectingRefusal(db: string, extra: readonly string[] = []): Promise<CommandRun> {
  const args = [SERVER_CLI, '--listen-addr', '127.0.0.1', '--listen-port', '0', '--no-discovery', '--db', db];
  return runCommand(process.execPath, [...args, ...extra], 10_000);
}

/** One line, no stack trace. */
function assertOneLine(text: string): void {
  assert.equal(text.trim().split('\n').length, 1, `expected one line:\n${text}`);
  assert.doesNotMatch(text, /\n\s+at /);
}

async function createDatabase(path: string): Promise<void> {
  (await openSqliteStore(path)).close();
}

describe('operator commands: the house bot account is reserved', () => {
  let directory: string;
  let db: string;
  before(async () => {
    directory = temporaryDirectory();
    db = join(directory, 'bot.db');
    const store = await openSqliteStore(db);
    await store.createAccount('checkers-bot', NO_PASSWORD);
    await store.createAccount('robo', NO_PASSWORD);
    store.close();
  });
  after(() => rmSync(directory, { recursive: true, force: true }));

  it('user add refuses the default bot name, in any case', async () => {
    const fresh = join(directory, 'fresh.db');
    await createDatabase(fresh);
    for (const name of ['checkers-bot', 'Checkers-Bot']) {
      const run = await runCli(['user', 'add', name, '--password-stdin', '--db', fresh], 'secret\n');
      assert.equal(run.code, 1, name);
      assert.match(run.stderr, /is the house bot's account: it is reserved/);
      assertOneLine(run.stderr);
    }
    const store = await openSqliteStore(fresh, { readOnly: true });
    assert.equal(await store.findAccount('checkers-bot'), undefined);
    store.close();
  });

  it('user passwd refuses the bot, by its name or by its marker (another --bot-name)', async () => {
    for (const name of ['checkers-bot', 'robo']) {
      const run = await runCli(['user', 'passwd', name, '--password-stdin', '--db', db], 'secret\n');
      assert.equal(run.code, 1, name);
      assert.match(run.stderr, new RegExp(`"${name}" is the house bot's account`));
      assertOneLine(run.stderr);
    }
    const store = await openSqliteStore(db, { readOnly: true });
    assert.equal((await store.findAccount('robo'))?.passwordHash, NO_PASSWORD);
    store.close();
  });

  it('user import refuses the bot name', async () => {
    const file = join(directory, 'bot.txt');
    writeFileSync(file, 'someone:pw\ncheckers-bot:pw\n');
    const fresh = join(directory, 'import.db');
    await createDatabase(fresh);
    const run = await runCli(['user', 'import', file, '--db', fresh]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /line 2: "checkers-bot" is the house bot's account/);
  });

  it('the server refuses a --bot-name that names a person', async () => {
    const run = await startServerExpectingRefusal(db, ['--bot-after', '1', '--bot-name', 'cam']);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /--bot-name "cam" names an account that has a password \(a person's\); choose another/);
  });

  it('a login to the bot account is refused whatever its stored hash', async () => {
    const server = await startTestServer({ timing: { botAfterMs: 60_000 }, houseBot: { name: 'robo' } });
    try {
      // As an older version allowed: a real password on the running bot's account, and on the default name.
      await server.store.setPassword('robo', await hashPassword('pw'));
      await server.store.createAccount('checkers-bot', await hashPassword('pw'));
      for (const name of ['robo', 'checkers-bot', 'CHECKERS-BOT']) {
        const client = await RawClient.connect(server.port);
        client.send({ type: 'Connect', version: 1, username: name, password: 'pw' });
        assert.equal((await client.next()).type, 'InvalidLogin', name);
        client.close();
      }
      const client = await RawClient.connect(server.port);
      client.send({ type: 'Connect', version: 1, username: 'robo', password: 'pw' });
      assert.equal((await client.expect('InvalidLogin')).reason, InvalidLoginReason.WrongPassword);
      client.close();
    } finally {
      await server.stop();
    }
  });
});

describe('operator commands: only an existing database', () => {
  let directory: string;
  before(() => {
    directory = temporaryDirectory();
  });
  after(() => rmSync(directory, { recursive: true, force: true }));

  it('a mistyped --db is reported in one line and creates nothing', async () => {
    const missingDirectory = join(directory, 'nodir');
    for (const args of [
      ['user', 'list', '--db', join(missingDirectory, 'x.db')],
      ['backup', join(directory, 'out.db'), '--db', join(directory, 'doesnotexist.db')],
      ['games', 'export', '--db', join(directory, 'typo', 'game.db')],
      ['user', 'add', 'zed', '--password-stdin', '--db', join(directory, 'missing.db')],
      ['user', 'remove', 'cam', '--db', join(directory, 'missing.db')],
      ['tls', 'fingerprint', '--db', join(directory, 'typo', 'game.db')],
    ]) {
      const run = await runCli(args, 'pw\n');
      assert.equal(run.code, 1, args.join(' '));
      assert.match(run.stderr, /there is no database at .*; check --db/, args.join(' '));
      assertOneLine(run.stderr);
      assert.doesNotMatch(run.stdout, /backed up/);
    }
    for (const path of ['nodir', 'out.db', 'doesnotexist.db', 'typo', 'missing.db']) {
      assert.equal(existsSync(join(directory, path)), false, `${path} was created`);
    }
  });

  it('--db before the subcommand is the database the subcommand uses', async () => {
    const db = join(directory, 'before.db');
    const store = await openSqliteStore(db);
    await store.createAccount('onlyhere', 'x');
    store.close();
    const run = await runCli(['--db', db, 'user', 'list']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^onlyhere /m);
    const after = await runCli(['--db', join(directory, 'nothere.db'), 'user', 'list', '--db', db]);
    assert.match(after.stdout, /^onlyhere /m, "the subcommand's own --db wins");
  });
});

describe('operator commands: one-line errors', () => {
  let directory: string;
  let db: string;
  let garbage: string;
  before(async () => {
    directory = temporaryDirectory();
    db = join(directory, 'ok.db');
    await createDatabase(db);
    garbage = join(directory, 'garbage.db');
    writeFileSync(garbage, Buffer.from(Array.from({ length: 8192 }, (_, index) => (index * 131 + 7) % 256)));
  });
  after(() => rmSync(directory, { recursive: true, force: true }));

  it('games export --out into a missing directory, or onto a directory', async () => {
    const missing = await runCli(['games', 'export', '--out', join(directory, 'nodir', 'x.pdn'), '--db', db]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /cannot write .*x\.pdn: its directory does not exist/);
    assertOneLine(missing.stderr);
    const onDirectory = await runCli(['games', 'export', '--out', directory, '--db', db]);
    assert.equal(onDirectory.code, 1);
    assert.match(onDirectory.stderr, /it is a directory; name a file/);
    assertOneLine(onDirectory.stderr);
  });

  it('games export --user of an unknown name says so', async () => {
    const run = await runCli(['games', 'export', '--user', 'nobody', '--db', db]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /no account named "nobody"/);
    assertOneLine(run.stderr);
  });

  it('every subcommand on a file that is not a database', async () => {
    for (const args of [
      ['user', 'list'],
      ['user', 'add', 'zed', '--password-stdin'],
      ['user', 'passwd', 'cam', '--password-stdin'],
      ['user', 'remove', 'cam'],
      ['user', 'import', '-'],
      ['games', 'export'],
      ['backup', join(directory, 'copy.db')],
    ]) {
      const run = await runCli([...args, '--db', garbage], 'pw\n');
      assert.equal(run.code, 1, args.join(' '));
      assert.match(run.stderr, /garbage\.db is not a valid database, or it is damaged .*restore a backup/, args[0]);
      assertOneLine(run.stderr);
    }
  });

  it('a database damaged past its first page', async () => {
    const damaged = join(directory, 'damaged.db');
    const store = await openSqliteStore(damaged);
    store.close();
    const bytes = readFileSync(damaged);
    bytes.fill(0xde, 4096);
    writeFileSync(damaged, bytes);
    for (const args of [
      ['user', 'list'],
      ['games', 'export'],
      ['user', 'add', 'zed', '--password-stdin'],
    ]) {
      const run = await runCli([...args, '--db', damaged], 'pw\n');
      assert.equal(run.code, 1, args.join(' '));
      assert.match(run.stderr, /damaged/);
      assertOneLine(run.stderr);
    }
  });
});

describe('checkers-server help, unknown commands and --version', () => {
  it('help prints the help', async () => {
    const run = await runCli(['help']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Usage: checkers-server \[options\] \[command\]/);
  });

  it('a mistyped command is an unknown command, with the list of commands', async () => {
    const run = await runCli(['usr', 'list']);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /unknown command "usr"; the commands are user, games, tls, backup, db, help/);
    assert.doesNotMatch(run.stderr, /too many arguments/);
  });

  it('--version prints the version of package.json', async () => {
    const manifest = fileURLToPath(new URL('../../../package.json', import.meta.url));
    const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
    const run = await runCli(['--version']);
    assert.equal(run.code, 0);
    assert.equal(run.stdout.trim(), version);
  });
});

describe('user import reads what editors write, and shows what it cannot read safely', () => {
  let directory: string;
  let db: string;
  before(async () => {
    directory = temporaryDirectory();
    db = join(directory, 'import.db');
    await createDatabase(db);
  });
  after(() => rmSync(directory, { recursive: true, force: true }));

  it('a UTF-8 byte-order mark is skipped', async () => {
    const file = join(directory, 'bom.txt');
    writeFileSync(file, '\uFEFFbomname:secret\r\nother:secret\r\n');
    const run = await runCli(['user', 'import', file, '--db', db]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /imported 2 accounts/);
    const store = await openSqliteStore(db, { readOnly: true });
    assert.ok(await store.findAccount('bomname'));
    store.close();
  });

  it('control bytes in a quoted name are escaped, never sent to the terminal', async () => {
    const file = join(directory, 'binary.txt');
    writeFileSync(file, Buffer.from([0x1b, 0x5b, 0x32, 0x4a, 0x07, 0x9b, 0xff, 0x3a, 0x70, 0x77, 0x0a]));
    const run = await runCli(['user', 'import', file, '--db', db]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /line 1: "\\x1b\[2J\\x07\\u\{fffd\}\\u\{fffd\}" is not a valid name/);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is that none is printed
    assert.doesNotMatch(run.stderr, /[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
    assertOneLine(run.stderr);
  });
});

describe('read-only commands open the database read-only', () => {
  it('user list, games export and backup work for a user who cannot write the database or its directory', {
    skip: skipUnless(notRoot('running a command as nobody')),
  }, async () => {
    const directory = temporaryDirectory();
    const out = temporaryDirectory();
    try {
      const db = join(directory, 'readonly.db');
      await createDatabase(db);
      chmodSync(db, 0o444);
      chmodSync(directory, 0o555);
      chmodSync(out, 0o777);
      const asNobody = (args: readonly string[]) => runCliAsNobody(args, 20_000);
      const listed = await asNobody(['user', 'list', '--db', db]);
      assert.equal(listed.code, 0, listed.stderr);
      assert.match(listed.stdout, /^cam\s+1200/m);
      const exported = await asNobody(['games', 'export', '--db', db]);
      assert.equal(exported.code, 0, exported.stderr);
      const copy = join(out, 'copy.db');
      const backedUp = await asNobody(['backup', copy, '--db', db]);
      assert.equal(backedUp.code, 0, backedUp.stderr);
      assert.ok(existsSync(copy));
      const added = await asNobody(['user', 'add', 'zed', '--password-stdin', '--db', db]);
      assert.equal(added.code, 1, 'a write still needs write permission');
      assertOneLine(added.stderr);
      assert.equal(existsSync(`${db}-wal`), false, 'nothing was written beside the database');
    } finally {
      chmodSync(directory, 0o700);
      rmSync(directory, { recursive: true, force: true });
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('user remove while the player is online', () => {
  it('the running server ends the session and records the game as a forfeit by the removed player', async () => {
    const directory = temporaryDirectory();
    try {
      const db = join(directory, 'remove.db');
      const server = await spawnServer(db);
      try {
        const cam = await RawClient.connect(server.port);
        const jen = await RawClient.connect(server.port);
        await cam.login('cam', 'mac');
        await jen.login('jen', 'nej');
        await cam.expect('GameStart');
        await jen.expect('GameStart');
        const removed = await runCli(['user', 'remove', 'jen', '--db', db]);
        assert.equal(removed.code, 0, removed.stderr);
        const told = await cam.next(['QueuePosition', 'YourTurn', 'CompulsoryMove'], 5000);
        assert.equal(told.type, 'OpponentDisconnect');
        await jen.closedWithin(5000);
        cam.close();
      } finally {
        server.child.kill('SIGTERM');
        await server.exited();
      }
      const store = await openSqliteStore(db, { readOnly: true });
      const [game] = await store.listGames();
      assert.ok(game);
      assert.equal(game.termination, 'account-removed');
      assert.equal(game.winner, game.black.name === 'cam' ? 'black' : 'white');
      assert.equal((await store.findAccount('cam'))?.wins, 1);
      assert.equal(await store.findAccount('jen'), undefined);
      assert.deepEqual(await store.loadLiveGames(), []);
      store.close();
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('user remove during a login', () => {
  it('an account removed while its password is being checked is answered "no such account"', async () => {
    const server = await startTestServer({ limits: { hashConcurrency: 1 } });
    try {
      // A costly hash (about a second) holds the only hashing slot while the second login waits for it.
      await server.store.createAccount('slow', await hashPassword('pw', { N: 65536, r: 8, p: 8 }));
      await server.store.createAccount('victim', await hashPassword('pw'));
      const slow = await RawClient.connect(server.port);
      slow.send({ type: 'Connect', version: 1, username: 'slow', password: 'pw' });
      await new Promise((resolve) => setTimeout(resolve, 50));
      const victim = await RawClient.connect(server.port);
      victim.send({ type: 'Connect', version: 1, username: 'victim', password: 'pw' });
      await new Promise((resolve) => setTimeout(resolve, 150));
      assert.equal(await server.store.removeAccount('victim'), true);
      assert.deepEqual(await victim.next([], 10_000), {
        type: 'InvalidLogin',
        reason: InvalidLoginReason.NoSuchAccount,
      });
      assert.equal((await slow.next([], 10_000)).type, 'QueuePosition');
      slow.close();
      victim.close();
    } finally {
      await server.stop();
    }
  });
});

describe('account names ignore case', () => {
  it('user add and user import refuse a name that differs from an existing one only in case', async () => {
    const directory = temporaryDirectory();
    try {
      const db = join(directory, 'case.db');
      await createDatabase(db);
      const added = await runCli(['user', 'add', 'CAM', '--password-stdin', '--db', db], 'pw\n');
      assert.equal(added.code, 1);
      assert.match(added.stderr, /an account named "cam" already exists \(names ignore case\)/);
      const file = join(directory, 'case.txt');
      writeFileSync(file, 'Ann:pw\nann:pw\n');
      const imported = await runCli(['user', 'import', file, '--db', db]);
      assert.equal(imported.code, 1);
      assert.match(imported.stderr, /line 2: "ann" and "Ann" differ only in case/);
      const store = await openSqliteStore(db);
      await assert.rejects(store.createAccount('Jen', 'x'), /already exists/);
      assert.equal((await store.findAccount('JEN'))?.name, 'jen');
      store.close();
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('user rename renames an account and its games; a name taken in any case is refused', async () => {
    const directory = temporaryDirectory();
    try {
      const db = join(directory, 'rename.db');
      const store = await openSqliteStore(db);
      const cam = await store.findAccount('cam');
      const jen = await store.findAccount('jen');
      assert.ok(cam && jen);
      await store.recordGame({
        black: { accountId: cam.id, name: cam.name, before: cam.rating, after: cam.rating },
        white: { accountId: jen.id, name: jen.name, before: jen.rating, after: jen.rating },
        winner: 'draw',
        termination: 'forty-move-rule',
        moves: ['11-15'],
        startedAt: new Date(),
        endedAt: new Date(),
      });
      store.close();
      const taken = await runCli(['user', 'rename', 'cam', 'JEN', '--db', db]);
      assert.equal(taken.code, 1);
      assert.match(taken.stderr, /an account named "jen" already exists \(names ignore case\)/);
      assert.equal((await runCli(['user', 'rename', 'cam', 'Cam', '--db', db])).code, 0, 'a change of case only');
      const renamed = await runCli(['user', 'rename', 'CAM', 'Camille', '--db', db]);
      assert.equal(renamed.code, 0, renamed.stderr);
      assert.match(renamed.stdout, /renamed Cam to Camille/);
      const exported = await runCli(['games', 'export', '--user', 'camille', '--db', db]);
      assert.match(exported.stdout, /\[Black "Camille"\]/);
      const bot = await runCli(['user', 'rename', 'jen', 'checkers-bot', '--db', db]);
      assert.equal(bot.code, 1);
      assert.match(bot.stderr, /house bot's account/);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('a login finds the account whatever the case, and the game shows the stored spelling', async () => {
    const server = await startTestServer();
    try {
      const cam = await RawClient.connect(server.port);
      const jen = await RawClient.connect(server.port);
      await cam.login('CAM', 'mac');
      await jen.login('jen', 'nej');
      assert.equal((await jen.expect('GameStart')).opponent, 'cam');
      const again = await RawClient.connect(server.port);
      again.send({ type: 'Connect', version: 1, username: 'Jen', password: 'nej' });
      assert.equal((await again.next()).type, 'QueuePosition', 'in a game, a second login takes over');
      cam.close();
      again.close();
      jen.close();
    } finally {
      await server.stop();
    }
  });

  it('a database holding names that differ only in case: the server refuses to start, naming them; then it upgrades', async () => {
    const directory = temporaryDirectory();
    try {
      const db = join(directory, 'old.db');
      const old = new Database(db);
      for (const migration of MIGRATIONS.slice(0, 2)) old.exec(migration);
      old.pragma('user_version = 2');
      const insert = old.prepare(
        "INSERT INTO accounts (name, password, rating, deviation, volatility, created_at) VALUES (?, 'x', 1200, 350, 0.06, '')",
      );
      for (const name of ['bob', 'carol', 'Bob']) insert.run(name);
      old.close();

      const refused = await startServerExpectingRefusal(db);
      assert.equal(refused.code, 1);
      const lastLine = refused.stderr.trim().split('\n').at(-1) ?? '';
      assert.match(lastLine, /names that differ only in case: "bob" and "Bob"; rename or remove all but one of each/);

      const listed = await runCli(['user', 'list', '--db', db]);
      assert.match(listed.stdout, /^Bob /m);
      assert.match(listed.stdout, /^bob /m);
      const renamed = await runCli(['user', 'rename', 'Bob', 'robert', '--db', db]);
      assert.equal(renamed.code, 0, renamed.stderr);
      assert.match(renamed.stdout, /renamed Bob to robert/);

      const store = await openSqliteStore(db);
      assert.equal(store.nameClashes.length, 0);
      assert.deepEqual((await store.listAccounts()).map((account) => account.name).sort(), ['bob', 'carol', 'robert']);
      store.close();
      const check = new Database(db, { readonly: true });
      assert.equal(check.pragma('user_version', { simple: true }), MIGRATIONS.length);
      check.close();
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('the log line of a house-bot game', () => {
  it('names the engine level botLevel, so the log level stays the only "level"', async () => {
    const directory = temporaryDirectory();
    mkdirSync(directory, { recursive: true });
    const server = await spawnServer(join(directory, 'bot.db'), ['--bot-after', '1']);
    let output = '';
    for (const stream of [server.child.stdout, server.child.stderr]) {
      stream?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
    }
    try {
      const cam = await RawClient.connect(server.port);
      await cam.login('cam', 'mac');
      await cam.expect('GameStart', 5000);
      const logged = () => output.split('\n').find((text) => text.includes('game against the house bot'));
      for (let wait = 0; wait < 40 && !logged(); wait++) await new Promise((resolve) => setTimeout(resolve, 50));
      const line = logged();
      assert.ok(line, output);
      assert.equal(line.match(/"level":/g)?.length, 1, line);
      const record = JSON.parse(line) as { level: number; botLevel: number };
      assert.equal(record.level, 30);
      assert.equal(record.botLevel, 7);
      cam.close();
    } finally {
      server.child.kill('SIGTERM');
      await server.exited();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('--plain refuse tells an old client', () => {
  it('answers its Connect with InvalidVersion(2, 2), then closes', async () => {
    const server = await startTestServer({ tls: true, plain: 'refuse' });
    try {
      const client = await RawClient.connect(server.port);
      client.send({ type: 'Connect', version: 1, username: 'cam', password: 'mac' });
      assert.deepEqual(await client.next([], 3000), { type: 'InvalidVersion', highest: 2, lowest: 2 });
      await client.closedWithin(3000);
      assert.deepEqual(client.pending(), []);

      const other = await RawClient.connect(server.port);
      other.send({ type: 'LogOut' });
      await other.closedWithin(3000);
      assert.deepEqual(other.pending(), [], 'anything but a Connect is closed without an answer');
    } finally {
      await server.stop();
    }
  });
});
