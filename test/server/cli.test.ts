import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_RATING } from '../../src/server/domain/rating.js';
import { verifyPassword } from '../../src/server/passwords.js';
import { openSqliteStore } from '../../src/server/store/sqlite-store.js';
import { RawClient } from '../support/raw-client.js';

import { runCli, spawnServer } from '../support/server-process.js';
import { temporaryDirectory } from '../support/test-server.js';

/** What `user add`, `user import` and `user passwd` store: OWASP's Argon2id setting. */
const ARGON2ID_AT_DEFAULT_COST = /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/;

function assertNoStackTrace(text: string): void {
  assert.doesNotMatch(text, /\n\s+at /, `a stack trace was printed:\n${text}`);
}

describe('checkers-server subcommands', () => {
  let directory: string;
  let db: string;
  before(async () => {
    directory = temporaryDirectory();
    db = join(directory, 'accounts.db');
    // Subcommands need an existing database: the server (here, the store it opens) creates it.
    (await openSqliteStore(db)).close();
  });
  after(() => rmSync(directory, { recursive: true, force: true }));

  it('a fresh database lists the eight demo accounts at 1200', async () => {
    const { code, stdout } = await runCli(['user', 'list', '--db', db]);
    assert.equal(code, 0);
    const lines = stdout.trim().split('\n');
    assert.match(lines[0] ?? '', /^name\s+rating\s+games\s+wins\s+losses\s+draws\s+standard\s+std-games$/);
    const names = lines.slice(1).map((line) => line.split(/\s+/)[0]);
    assert.deepEqual(names.sort(), ['andrei', 'cam', 'colbert', 'jen', 'kain', 'khanh', 'neil', 'safa']);
    assert.ok(lines.slice(1).every((line) => /\s1200\s+0\s+0\s+0\s+0\s+1200\s+0$/.test(line)));
  });

  it('user add reads the password from stdin and stores only a salted hash', async () => {
    const { code, stdout } = await runCli(['user', 'add', 'zoe', '--password-stdin', '--db', db], 'pa55word\n');
    assert.equal(code, 0, stdout);
    const store = await openSqliteStore(db);
    const account = await store.findAccount('zoe');
    store.close();
    assert.ok(account);
    assert.doesNotMatch(account.passwordHash, /pa55word/);
    assert.match(account.passwordHash, ARGON2ID_AT_DEFAULT_COST);
    assert.equal(await verifyPassword('pa55word', account.passwordHash), true);
    assert.equal(account.rating.rating, DEFAULT_RATING.rating);
  });

  it('user add refuses an existing name and a bad name, saying why', async () => {
    const existing = await runCli(['user', 'add', 'cam', '--password-stdin', '--db', db], 'x\n');
    assert.equal(existing.code, 1);
    assert.match(existing.stderr, /an account named "cam" already exists; use "user passwd cam"/);
    const bad = await runCli(['user', 'add', 'seventeen-chars-x', '--password-stdin', '--db', db], 'x\n');
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /not a valid name: use 1 to 16 printable ASCII characters/);
    assertNoStackTrace(existing.stderr + bad.stderr);
  });

  it('user add refuses a name starting with guest- (any case): such names are kept for guests', async () => {
    const guest = await runCli(['user', 'add', 'Guest-12345', '--password-stdin', '--db', db], 'x\n');
    assert.equal(guest.code, 1);
    assert.match(guest.stderr, /"Guest-12345" is not a valid name: names starting with guest- are kept for guests/);
    assertNoStackTrace(guest.stderr);
  });

  it('user add without a terminal and without --password-stdin says what to do', async () => {
    const { code, stderr } = await runCli(['user', 'add', 'nopw', '--db', db]);
    assert.equal(code, 1);
    assert.match(stderr, /pass --password-stdin/);
  });

  it('user import creates all accounts, or none with the number of the bad line', async () => {
    const good = join(directory, 'good.txt');
    writeFileSync(good, '# players of the spring ladder\nada:lovelace\n\nbob:builder\n');
    const imported = await runCli(['user', 'import', good, '--db', db]);
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /imported 2 accounts/);

    const bad = join(directory, 'bad.txt');
    writeFileSync(bad, 'carl:one\ndora:two\nno-colon-here\nemil:three\n');
    const rejected = await runCli(['user', 'import', bad, '--db', db]);
    assert.equal(rejected.code, 1);
    assert.match(rejected.stderr, /bad\.txt line 3: expected NAME:PASSWORD; nothing was imported/);
    assertNoStackTrace(rejected.stderr);

    const fromStdin = await runCli(['user', 'import', '-', '--db', db], 'fay:x\nada:again\n');
    assert.equal(fromStdin.code, 1);
    assert.match(fromStdin.stderr, /line 2: an account named "ada" already exists/);

    const store = await openSqliteStore(db);
    assert.match((await store.findAccount('ada'))?.passwordHash ?? '', ARGON2ID_AT_DEFAULT_COST);
    assert.ok(await verifyPassword('builder', (await store.findAccount('bob'))?.passwordHash ?? ''));
    assert.equal(await store.findAccount('carl'), undefined);
    assert.equal(await store.findAccount('fay'), undefined);
    store.close();
  });

  it('user passwd changes the password, user remove deletes the account', async () => {
    assert.equal((await runCli(['user', 'passwd', 'bob', '--password-stdin', '--db', db], 'newpass\n')).code, 0);
    const store = await openSqliteStore(db);
    assert.equal(await verifyPassword('newpass', (await store.findAccount('bob'))?.passwordHash ?? ''), true);
    assert.match((await store.findAccount('bob'))?.passwordHash ?? '', ARGON2ID_AT_DEFAULT_COST);
    store.close();
    assert.equal((await runCli(['user', 'remove', 'bob', '--db', db])).code, 0);
    const { stdout } = await runCli(['user', 'list', '--db', db]);
    assert.doesNotMatch(stdout, /^bob /m);
    const missing = await runCli(['user', 'remove', 'bob', '--db', db]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no account named "bob"/);
  });

  it('games export writes PDN, for everyone or one user, to stdout or a file', async () => {
    const store = await openSqliteStore(db);
    const cam = await store.findAccount('cam');
    const jen = await store.findAccount('jen');
    const kain = await store.findAccount('kain');
    assert.ok(cam && jen && kain);
    const game = (black: typeof cam, white: typeof cam, moves: string[]) => ({
      black: { accountId: black.id, name: black.name, before: black.rating, after: black.rating },
      white: { accountId: white.id, name: white.name, before: white.rating, after: white.rating },
      winner: 'white' as const,
      termination: 'no-moves' as const,
      moves,
      startedAt: new Date(Date.UTC(2026, 10, 25, 10)),
      endedAt: new Date(Date.UTC(2026, 10, 25, 11)),
    });
    await store.recordGame(game(cam, jen, ['11-15', '23-19']));
    await store.recordGame(game(kain, jen, ['9-14']));
    store.close();

    const all = await runCli(['games', 'export', '--db', db]);
    assert.equal(all.code, 0);
    assert.equal(all.stdout.match(/\[Event /g)?.length, 2);
    assert.match(all.stdout, /\[Black "cam"\]\n\[White "jen"\]\n\[Result "0-1"\]/);
    assert.match(all.stdout, /\[Date "2026\.11\.25"\]/);
    assert.match(all.stdout, /\[Termination "no-moves"\]/);
    assert.match(all.stdout, /1\. 11-15 23-19 0-1/);

    const out = join(directory, 'kain.pdn');
    assert.equal((await runCli(['games', 'export', '--user', 'kain', '--out', out, '--db', db])).code, 0);
    const text = readFileSync(out, 'utf8');
    assert.equal(text.match(/\[Event /g)?.length, 1);
    assert.match(text, /1\. 9-14 0-1/);
  });
});

describe('checkers-server backup', () => {
  it('copies the database, accounts and games included, and will not overwrite', async () => {
    const directory = temporaryDirectory();
    try {
      const db = join(directory, 'live.db');
      const copy = join(directory, 'copy.db');
      (await openSqliteStore(db)).close();
      assert.equal((await runCli(['user', 'add', 'saved', '--password-stdin', '--db', db], 'pw\n')).code, 0);
      const { code, stdout } = await runCli(['backup', copy, '--db', db]);
      assert.equal(code, 0);
      assert.match(stdout, /backed up/);
      const listed = await runCli(['user', 'list', '--db', copy]);
      assert.match(listed.stdout, /^saved /m);
      const again = await runCli(['backup', copy, '--db', db]);
      assert.equal(again.code, 1);
      assert.match(again.stderr, /already exists; choose a new file name/);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('checkers-server tls fingerprint', () => {
  it('prints the fingerprint of the self-signed certificate, which the server creates once and reuses', async (t) => {
    const directory = temporaryDirectory();
    try {
      const db = join(directory, 'tls.db');
      const creating = await spawnServer(db);
      t.after(() => creating.stop());
      creating.child.kill('SIGTERM');
      await creating.exited();
      const first = await runCli(['tls', 'fingerprint', '--db', db]);
      assert.equal(first.code, 0);
      const fingerprint = first.stdout.trim();
      assert.match(fingerprint, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
      for (let restart = 0; restart < 2; restart++) {
        const server = await spawnServer(db);
        t.after(() => server.stop());
        assert.ok(server.log().includes(fingerprint), 'the server logs the same fingerprint at start');
        server.child.kill('SIGTERM');
        await server.exited();
      }
      assert.equal((await runCli(['tls', 'fingerprint', '--db', db])).stdout.trim(), fingerprint);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('checkers-server errors and shutdown', () => {
  let directory: string;
  before(() => {
    directory = temporaryDirectory();
  });
  after(() => rmSync(directory, { recursive: true, force: true }));

  it('a port in use is reported with what to do', async (t) => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    t.after(() => {
      if (blocker.listening) blocker.close();
    });
    const address = blocker.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const { code, stderr } = await runCli([
      '--listen-addr',
      '127.0.0.1',
      '--listen-port',
      String(port),
      '--no-discovery',
      '--db',
      join(directory, 'port.db'),
    ]);
    blocker.close();
    assert.equal(code, 1);
    assert.match(stderr, new RegExp(`port ${port} is already in use; stop the other server or pass --listen-port`));
    assertNoStackTrace(stderr);
  });

  it('a start that fails on its options or certificate leaves no new database behind', async () => {
    const missing = join(directory, 'no-such-cert.pem');
    for (const [name, args, expected] of [
      ['cert.db', ['--tls-cert', missing, '--tls-key', missing], /no-such-cert\.pem/],
      ['key-only.db', ['--tls-key', missing], /--tls-cert and --tls-key go together/],
      ['plain.db', ['--no-tls', '--plain', 'refuse'], /--plain refuse with --no-tls would refuse every connection/],
    ] as const) {
      const db = join(directory, name);
      const { code, stderr } = await runCli([
        '--listen-addr',
        '127.0.0.1',
        '--listen-port',
        '0',
        '--no-discovery',
        '--db',
        db,
        ...args,
      ]);
      assert.equal(code, 1, name);
      assert.match(stderr, expected);
      assertNoStackTrace(stderr);
      assert.equal(existsSync(db), false, `${name} was not created`);
    }
  });

  it('says at start where to open the pages in a browser, and where the metrics listener is', async (t) => {
    const server = await spawnServer(join(directory, 'banner.db'), ['--metrics-listen', '127.0.0.1:0']);
    t.after(() => server.stop());
    const deadline = Date.now() + 10_000;
    while (!/metrics listener up/.test(server.log()) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const log = server.log();
    assert.match(log, new RegExp(`web pages: open http://127\\.0\\.0\\.1:${server.port}/ in a browser to play`));
    const metrics = /metrics listener up: http:\/\/127\.0\.0\.1:(\d+)\/metrics/.exec(log);
    assert.ok(metrics, log);
    const scraped = await fetch(`http://127.0.0.1:${metrics[1]}/metrics`, { signal: AbortSignal.timeout(5000) });
    assert.equal(scraped.status, 200, 'the printed address answers');
    const page = await fetch(`http://127.0.0.1:${server.port}/`, { signal: AbortSignal.timeout(5000) });
    assert.equal(page.status, 200, 'the printed address answers');
    await server.stop();
    const quiet = await spawnServer(join(directory, 'banner.db'), ['--no-web']);
    t.after(() => quiet.stop());
    // The banner would follow the database line at once.
    while (!/database open/.test(quiet.log()) && Date.now() < deadline + 10_000) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.match(quiet.log(), /database open/);
    assert.doesNotMatch(quiet.log(), /in a browser|metrics listener/, 'neither without the web pages and metrics');
  });

  it('a database that cannot be created is reported with what to do', async () => {
    const { code, stderr } = await runCli([
      '--listen-addr',
      '127.0.0.1',
      '--listen-port',
      '0',
      '--no-discovery',
      '--no-tls',
      '--db',
      '/dev/null/checkers.db',
    ]);
    assert.equal(code, 1);
    assert.match(stderr, /cannot open the database \/dev\/null\/checkers\.db: .*; pass --db with a writable path/);
    assertNoStackTrace(stderr);
  });

  it('a bad option value is reported with what is expected', async () => {
    for (const [option, value, expected] of [
      ['--move-timeout', '-3', /expected a number of seconds, 0 or more/],
      ['--listen-port', 'http', /expected a port number from 0 to 65535/],
      ['--broadcast-addr', 'everyone', /expected an IPv4 address/],
      ['--message-rate', 'fast', /expected RATE or RATE:BURST/],
      ['--login-rate', '2:0', /BURST of a limited rate must be 1 or more/],
      ['--max-connections', '0', /expected a whole number, 1 or more/],
      ['--web-origin', 'https://a.example/path', /is not an origin; write it as https:\/\/HOST/],
      ['--allowed-hosts', 'play.example.org:8864', /is not a host name; write names such as play\.example\.org/],
      ['--openings', 'five-move', /Allowed choices are none, three-move/],
      ['--guests', 'maybe', /Allowed choices are on, off/],
      ['--egdb-pieces', '6', /expected 0 \(no endgame databases\) or 2 to 5 pieces/],
    ] as const) {
      const { code, stderr } = await runCli([option, value, '--db', join(directory, 'bad.db')]);
      assert.equal(code, 1);
      assert.match(stderr, expected);
    }
  });

  it('--help names every option with its environment variable, and the subcommands', async () => {
    const { code, stdout } = await runCli(['--help']);
    assert.equal(code, 0);
    for (const option of [
      '--listen-addr',
      '--listen-port',
      '--broadcast-addr',
      '--udp-port',
      '--no-discovery',
      '--db',
      '--move-timeout',
      '--verbose',
      '--quiet',
      '--max-connections',
      '--max-connections-per-address',
      '--connection-rate',
      '--message-rate',
      '--address-message-rate',
      '--login-rate',
      '--address-login-rate',
      '--account-guess-rate',
      '--throttle-limit',
      '--login-timeout',
      '--messages-per-turn',
      '--max-output-kib',
      '--hash-concurrency',
      '--tls-cert',
      '--tls-key',
      '--plain',
      '--no-tls',
      '--tls-handshake-timeout',
      '--max-tls-handshakes',
      '--max-tls-handshakes-per-address',
      '--tls-idle-timeout',
      '--tls-handshake-rate',
      '--bot-after',
      '--bot-name',
      '--max-bot-games',
      '--bot-threads',
      '--durability',
      '--storage-outage-limit',
      '--no-web',
      '--web-origin',
      '--allowed-hosts',
      '--address-http-rate',
      '--web-source-maps',
      '--openings',
      '--guests',
      '--egdb-pieces',
    ]) {
      assert.ok(stdout.includes(option), option);
    }
    assert.equal(stdout.match(/env:\s+CHECKERS_/g)?.length, 56);
    assert.match(stdout, /-V, --version/);
    assert.match(stdout, /--message-rate <RATE\[:BURST\]>.*default: 20:60/);
    assert.match(stdout, /user\s+manage accounts/);
    assert.match(stdout, /games\s+finished games/);
    assert.match(stdout, /backup \[options\] <FILE>/);
    assert.match(stdout, /tls\s+the TLS certificate/);
  });

  it('SIGTERM keeps running games: closes connections, exits 0, and the game resumes after the restart', async (t) => {
    const db = join(directory, 'shutdown.db');
    const server = await spawnServer(db);
    t.after(() => server.stop());
    const cam = await RawClient.connect(server.port);
    const jen = await RawClient.connect(server.port);
    await cam.login('cam', 'mac');
    await jen.login('jen', 'nej');
    await cam.expect('GameStart');
    const turn = await cam.expect('YourTurn');
    const started = Date.now();
    server.child.kill('SIGTERM');
    assert.equal(await server.exited(), 0);
    assert.ok(Date.now() - started < 5000);
    await cam.closedWithin(1000);
    await jen.closedWithin(1000);

    const restarted = await spawnServer(db);
    t.after(() => restarted.stop());
    const camAgain = await RawClient.connect(restarted.port);
    await camAgain.login('cam', 'mac');
    assert.deepEqual(await camAgain.expect('GameStart'), { type: 'GameStart', opponent: 'jen', opponentRating: 1200 });
    assert.deepEqual((await camAgain.expect('YourTurn')).board, turn.board);
    camAgain.close();
    restarted.child.kill('SIGTERM');
    assert.equal(await restarted.exited(), 0);
    const store = await openSqliteStore(db);
    assert.deepEqual(await store.listGames(), [], 'nothing was recorded as finished');
    assert.equal((await store.loadLiveGames()).length, 1);
    store.close();
  });
});
