import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadWdlTables, writeWdlFile } from '../../src/game/engine/egdb/files.js';
import { type DecodedPosition, materialsOf, positionAt, sliceOf } from '../../src/game/engine/egdb/indexing.js';
import { DRAW, INVALID, isLoss, isWin, solveUpTo } from '../../src/game/engine/egdb/solve.js';
import { encodeWdl, WdlTables, wdlFileNameFor } from '../../src/game/engine/egdb/wdl.js';
import { STANDARD_RULES } from '../../src/game/engine/rules.js';
import { KNOWN_WIN, Searcher } from '../../src/game/engine/search.js';
import { fenOf, positionFromFen } from '../../src/game/fen.js';
import type { Position } from '../../src/game/position.js';
import { QUIET_PLIES_FOR_DRAW } from '../../src/game/result.js';
import { applyMove, legalMoves, standardResult } from '../../src/game/standard.js';
import { seededRandom } from '../support/random.js';

/** Up to 4 pieces: about 5 s to solve, the default the server generates. */
const FOUR = solveUpTo(4);

function wdlOf(tables: typeof FOUR, pieces: number): WdlTables {
  const wdl = new WdlTables();
  for (let count = 2; count <= pieces; count++) wdl.addFile(encodeWdl(tables, count));
  return wdl;
}

/** The win/draw/loss an exact code stands for: 'win', 'draw' or 'loss'. */
function outcome(code: number): string {
  return code === DRAW ? 'draw' : isWin(code) ? 'win' : isLoss(code) ? 'loss' : `code ${code}`;
}

describe('compressed endgame databases (win/draw/loss, 2 bits a position)', () => {
  const wdl = wdlOf(FOUR, 4);

  it('probes every 2- and 3-piece position, and 40,000 sampled 4-piece ones, as the uncompressed tables', () => {
    const decoded: DecodedPosition = { black: 0, white: 0, kings: 0, turn: 0, valid: false };
    const pick = seededRandom(30);
    let compared = 0;
    for (const count of [2, 3, 4]) {
      for (const material of materialsOf(count)) {
        const slice = sliceOf(material);
        const samples = count < 4 ? slice.size : 2000;
        for (let i = 0; i < samples; i++) {
          positionAt(slice, count < 4 ? i : pick(slice.size), decoded);
          if (!decoded.valid) continue;
          const { black, white, kings, turn } = decoded;
          const exact = FOUR.probe(black, white, kings, turn);
          assert.notEqual(exact, INVALID);
          assert.equal(outcome(wdl.probe(black, white, kings, turn)), outcome(exact));
          compared++;
        }
      }
    }
    assert.ok(compared > 400_000, `${compared} positions compared`);
    assert.equal(wdl.maxPieces, 4);
    assert.equal(wdl.exactPieces, 0, 'no value is exact');
  });

  it('takes 2 bits a position, and refuses a damaged or foreign file with a one-line reason', () => {
    const file = encodeWdl(FOUR, 3);
    const entries = materialsOf(3).reduce((sum, material) => sum + sliceOf(material).size, 0);
    const packed = file.length - file.indexOf(10) - 1;
    assert.equal(packed, Math.ceil(entries / 4));
    const damaged = file.slice();
    damaged[damaged.length - 3] = (damaged[damaged.length - 3] as number) ^ 4;
    assert.throws(() => new WdlTables().addFile(damaged), /fails its checksum; regenerate it/);
    assert.throws(() => new WdlTables().addFile(file.subarray(0, file.length - 1)), /wrong size/);
    assert.throws(() => new WdlTables().addFile(new TextEncoder().encode('hello\n')), /not a compressed endgame/);
  });

  it('writes gzipped files and loads them back (shared between threads, or not); a damaged file is named', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'egdb-wdl-'));
    try {
      assert.equal((await loadWdlTables(dir, 4)).pieces, 1, 'no files: no tables');
      for (const count of [2, 3, 4]) await writeWdlFile(dir, FOUR, count);
      const { tables, pieces } = await loadWdlTables(dir, 4, true);
      assert.equal(pieces, 4);
      assert.ok(tables.parts.every((part) => part.packed.buffer instanceof SharedArrayBuffer));
      const position = positionFromFen('W:WK14,K19,K30:BK28');
      assert.equal(tables.probe(position.black, position.white, position.kings, position.turn), 3, 'a win');
      assert.equal((await loadWdlTables(dir, 3)).pieces, 3, 'no more than asked');
      await writeFile(join(dir, wdlFileNameFor(3)), (await readFile(join(dir, wdlFileNameFor(3)))).subarray(0, 100));
      await assert.rejects(
        loadWdlTables(dir, 4),
        /egdb-standard-3\.wdl\.gz in .* is damaged .*delete it to regenerate it/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the search with win/draw/loss tables', () => {
  const wdl = wdlOf(FOUR, 4);

  it('converts 3 kings against 1 within the 40-move rule, every move keeping the win, against a defender without tables', () => {
    for (const fen of ['W:WK29,K30,K31:BK14', 'B:WK15:BK1,K2,K3', 'W:WK1,K5,K9:BK19']) {
      let position: Position = positionFromFen(fen);
      const attacker = position.turn;
      const attackerSearch = new Searcher(STANDARD_RULES, { endgame: wdl });
      const defender = new Searcher(STANDARD_RULES);
      const moves: string[] = [];
      let winner: number | null | undefined;
      for (let ply = 0; ply < QUIET_PLIES_FOR_DRAW && winner === undefined; ply++) {
        const searcher = position.turn === attacker ? attackerSearch : defender;
        const { move } = searcher.search(position, { maxDepth: 64, maxNodes: 20_000 });
        assert.ok(move, fenOf(position));
        position = applyMove(position, move);
        moves.push(`${move.from}-${move.path.join('-')}`);
        if (position.turn !== attacker) {
          const code = FOUR.probe(position.black, position.white, position.kings, position.turn);
          assert.ok(code === -1 || isLoss(code), `the attacker kept the win: ${moves.join(' ')}`);
        }
        winner = standardResult(position)?.winner;
      }
      assert.equal(winner, attacker, `${fen} won within the 40-move rule: ${moves.join(' ')}`);
    }
  });

  it('with contempt, still wins the 3 kings against 2 and a man that bench:outside saw drawn (tables, the history)', () => {
    // Drawn by the 40-move rule from here in an --odds 10 match of 90bae85 (ballots 1-20); contempt counted at
    // every size (not from 9 pieces on) drew it too, keeping the man it must take.
    const fen = 'W:WK10,K16,K20:B4,K18,K22';
    let position: Position = positionFromFen(fen);
    const attacker = position.turn;
    const bot = new Searcher(STANDARD_RULES, { endgame: wdl, contempt: 24 });
    const defender = new Searcher(STANDARD_RULES, { endgame: wdl });
    const moves: string[] = [];
    let quietPlies = 0;
    let seen: Position[] = [];
    let winner: number | null | undefined;
    while (quietPlies < QUIET_PLIES_FOR_DRAW && winner === undefined) {
      const searcher = position.turn === attacker ? bot : defender;
      const { move } = searcher.search(position, { maxDepth: 64, maxNodes: 60_000 }, { quietPlies, positions: seen });
      assert.ok(move, fenOf(position));
      const quiet = move.captured === 0 && ((position.kings >>> move.from) & 1) === 1;
      quietPlies = quiet ? quietPlies + 1 : 0;
      seen = quiet ? [...seen, position] : [];
      position = applyMove(position, move);
      moves.push(`${move.from}-${move.path.join('-')}`);
      winner = standardResult(position)?.winner;
    }
    assert.equal(winner, attacker, `${fen} won within the 40-move rule: ${moves.join(' ')}`);
  });

  it('scores a bigger position whose capture leads to a won ending in the tables as a known win', () => {
    const pick = seededRandom(7);
    const exact = new Searcher(STANDARD_RULES);
    let checked = 0;
    for (let tries = 0; tries < 20_000 && checked < 5; tries++) {
      // 3 kings against 2, the side to move (White) with a capture: random squares.
      const squares = new Set<number>();
      while (squares.size < 5) squares.add(pick(32));
      const [a, b, c, d, e] = [...squares] as [number, number, number, number, number];
      const position: Position = {
        white: ((1 << a) | (1 << b) | (1 << c)) >>> 0,
        black: ((1 << d) | (1 << e)) >>> 0,
        kings: ((1 << a) | (1 << b) | (1 << c) | (1 << d) | (1 << e)) >>> 0,
        turn: 1,
      };
      const moves = legalMoves(position);
      // Two captures or more: a single legal move is played without a search.
      if (moves.length < 2 || moves[0]?.captured === 0) continue;
      const won = moves.some((move) => {
        const next = applyMove(position, move);
        return isLoss(FOUR.probe(next.black, next.white, next.kings, next.turn));
      });
      if (!won) continue;
      // Only positions where 3 plies without tables prove nothing: the score then comes from the tables.
      if (exact.search(position, { maxDepth: 3 }).score >= KNOWN_WIN - 1000) continue;
      const withTables = new Searcher(STANDARD_RULES, { endgame: wdl }).search(position, { maxDepth: 3 });
      assert.ok(withTables.score >= KNOWN_WIN - 1000, `${fenOf(position)}: ${withTables.score}`);
      checked++;
    }
    assert.equal(checked, 5);
  });
});
