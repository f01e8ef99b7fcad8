import assert from 'node:assert/strict';
import { copyFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BLACK, type Color, WHITE } from '../../src/game/position.js';
import { openSqliteStore } from '../../src/server/store/sqlite-store.js';
import { matchCamAndJen } from '../support/game-setup.js';
import { legalMoveByte, nextTurn, playGame } from '../support/player.js';
import { seededRandom } from '../support/random.js';
import type { RawClient } from '../support/raw-client.js';
import { runCli, spawnServer } from '../support/server-process.js';
import { temporaryDirectory } from '../support/test-server.js';

type Turn = Awaited<ReturnType<typeof nextTurn>>;

/** Plays `plies` turns from `from` (or the next turn), each answered, so each is committed; returns the turn that follows. */
async function play(players: [RawClient, RawClient], plies: number, from?: Turn): Promise<Turn> {
  const colors: [Color, Color] = [BLACK, WHITE];
  let next = from ?? (await nextTurn(players));
  for (let ply = 0; ply < plies; ply++) {
    players[next.index]?.send({ type: 'MakeMove', move: legalMoveByte(next.turn.board, colors[next.index] ?? BLACK) });
    next = await nextTurn(players);
  }
  return next;
}

describe('backup and restore, as the README says', () => {
  it('a backup taken mid-game and put back in place resumes the game where the backup was taken', async (t) => {
    const directory = temporaryDirectory();
    const db = join(directory, 'checkers.db');
    const copy = join(directory, 'checkers-backup.db');
    const server = await spawnServer(db);
    t.after(() => server.stop());
    const players = await matchCamAndJen(server.port);
    const atBackup = await play(players, 4);
    const backup = await runCli(['backup', copy, '--db', db]);
    assert.equal(backup.code, 0, backup.stderr);
    // The game goes on after the backup; the restored copy must not know these moves.
    const later = await play(players, 2, atBackup);
    assert.notDeepEqual(later.turn.board, atBackup.turn.board);
    for (const player of players) player.close();
    assert.equal(await server.stop(), 0);

    // "stop the server and put the copy in place of checkers.db, deleting any old -wal and -shm files"
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${db}${suffix}`, { force: true });
    copyFileSync(copy, db);

    const restarted = await spawnServer(db);
    t.after(() => restarted.stop());
    const again = await matchCamAndJen(restarted.port);
    const resumed = await again[atBackup.index]?.expect('YourTurn');
    assert.deepEqual(resumed?.board, atBackup.turn.board, 'the position of the backup');
    const [black, white] = await Promise.all([
      (async () => {
        if (atBackup.index === 0 && resumed)
          again[0].send({ type: 'MakeMove', move: legalMoveByte(resumed.board, BLACK) });
        return playGame(again[0], seededRandom(1), 10_000, BLACK);
      })(),
      (async () => {
        if (atBackup.index === 1 && resumed)
          again[1].send({ type: 'MakeMove', move: legalMoveByte(resumed.board, WHITE) });
        return playGame(again[1], seededRandom(2), 10_000, WHITE);
      })(),
    ]);
    assert.ok(black.gameOver && white.gameOver, 'the restored game is played to its end');
    for (const player of again) player.close();
  });
});

describe('backup FILE', () => {
  it('writes the copy readable by its owner only (0600), as the database: it holds the same password hashes', async () => {
    const directory = temporaryDirectory();
    const db = join(directory, 'checkers.db');
    (await openSqliteStore(db)).close();
    const copy = join(directory, 'copy.db');
    // The usual umask, which leaves a file made with the default mode readable by everyone.
    const umask = process.umask(0o022);
    try {
      const backup = await runCli(['backup', copy, '--db', db]);
      assert.equal(backup.code, 0, backup.stderr);
    } finally {
      process.umask(umask);
    }
    assert.equal((statSync(db).mode & 0o777).toString(8), '600');
    assert.equal((statSync(copy).mode & 0o777).toString(8), '600');
    const again = await runCli(['backup', copy, '--db', db]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already exists; choose a new file name/);
  });
});

describe('user remove', () => {
  it("keeps the removed player's finished games in the record, under their name", async (t) => {
    const directory = temporaryDirectory();
    const db = join(directory, 'checkers.db');
    const server = await spawnServer(db);
    t.after(() => server.stop());
    const [cam, jen] = await matchCamAndJen(server.port);
    const [camGame] = await Promise.all([
      playGame(cam, seededRandom(3), 10_000, BLACK),
      playGame(jen, seededRandom(4), 10_000, WHITE),
    ]);
    assert.ok(camGame.gameOver);
    cam.close();
    jen.close();
    assert.equal(await server.stop(), 0);

    const removed = await runCli(['user', 'remove', 'jen', '--db', db]);
    assert.equal(removed.code, 0, removed.stderr);
    const users = await runCli(['user', 'list', '--db', db]);
    assert.doesNotMatch(users.stdout, /^jen /m, 'the account is gone');
    const exported = await runCli(['games', 'export', '--db', db]);
    assert.equal(exported.code, 0, exported.stderr);
    assert.equal(exported.stdout.match(/\[Event /g)?.length, 1, 'the game is still there');
    assert.match(exported.stdout, /\[Black "cam"\]\n\[White "jen"\]/);
  });
});
