import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  loadLayeredTables,
  missingEndgameFiles,
  writeExactFile,
  writeWdlFile,
} from '../../src/game/engine/egdb/files.js';
import { encodeTables, exactFileNameFor, splitTableFile } from '../../src/game/engine/egdb/format.js';
import { type DecodedPosition, materialsOf, positionAt, sliceOf } from '../../src/game/engine/egdb/indexing.js';
import { LayeredTables } from '../../src/game/engine/egdb/layered.js';
import { DRAW, distanceOf, INVALID, isLoss, isWin, solveUpTo } from '../../src/game/engine/egdb/solve.js';
import { encodeWdl, wdlFileNameFor } from '../../src/game/engine/egdb/wdl.js';
import { STANDARD_RULES } from '../../src/game/engine/rules.js';
import { Searcher } from '../../src/game/engine/search.js';
import { fenOf, positionFromFen } from '../../src/game/fen.js';
import type { Position } from '../../src/game/position.js';
import { applyMove, standardResult } from '../../src/game/standard.js';

const THREE = solveUpTo(3);
/** White's two men against a king, won in 47 plies. */
const WON = 'W:W10,23:BK17';

/** Exact values up to `exact` pieces, win/draw/loss from there to 3. */
function layered(exact: number): LayeredTables {
  const tables = new LayeredTables();
  for (let count = 2; count <= exact; count++) tables.addExact(splitTableFile(encodeTables(THREE, count)));
  for (let count = exact + 1; count <= 3; count++) {
    const { header, data } = splitTableFile(encodeWdl(THREE, count));
    tables.addWdl({ header, packed: data });
  }
  return tables;
}

/** Every position of `pieces` pieces, with the exact code for it. */
function* positionsOf(pieces: number): Generator<{ position: DecodedPosition; code: number }> {
  const position: DecodedPosition = { black: 0, white: 0, kings: 0, turn: 0, valid: false };
  for (const material of materialsOf(pieces)) {
    const slice = sliceOf(material);
    const values = THREE.values.get(slice.key);
    assert.ok(values);
    for (let index = 0; index < slice.size; index++) {
      positionAt(slice, index, position);
      const code = values[index] as number;
      if (position.valid && code !== INVALID) yield { position, code };
    }
  }
}

describe('layered endgame databases (exact below, win/draw/loss above)', () => {
  it('answers exact values, distances included, up to its exact pieces, and win, draw or loss above', () => {
    const tables = layered(2);
    assert.equal(tables.exactPieces, 2);
    assert.equal(tables.maxPieces, 3);
    let compared = 0;
    for (const { position, code } of positionsOf(2)) {
      assert.equal(tables.probe(position.black, position.white, position.kings, position.turn), code);
      compared++;
    }
    for (const { position, code } of positionsOf(3)) {
      const probed = tables.probe(position.black, position.white, position.kings, position.turn);
      if (code === DRAW) assert.equal(probed, DRAW);
      else if (isWin(code)) assert.ok(isWin(probed) && distanceOf(probed) === 1, 'a win without its distance');
      else assert.ok(isLoss(probed) && distanceOf(probed) === 0, 'a loss without its distance');
      compared++;
    }
    assert.ok(compared > 50_000, `${compared} positions compared`);
  });

  it('writes both kinds of file, names the missing ones, loads them shared, and is rebuilt from its parts by another thread', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'egdb-layered-'));
    try {
      assert.deepEqual(missingEndgameFiles(dir, 3, 2), [wdlFileNameFor(2), wdlFileNameFor(3), exactFileNameFor(2)]);
      for (const count of [2, 3]) await writeWdlFile(dir, THREE, count);
      await writeExactFile(dir, THREE, 2);
      assert.deepEqual(missingEndgameFiles(dir, 3, 2), []);
      assert.deepEqual(missingEndgameFiles(dir, 3, 3), [exactFileNameFor(3)]);

      const { tables, pieces } = await loadLayeredTables(dir, 3, 2, true);
      assert.equal(pieces, 3);
      assert.equal(tables.exactPieces, 2);
      const { parts } = tables;
      assert.equal(parts.exact.length, 1, 'the win/draw/loss file for 2 pieces is not loaded: the exact one covers it');
      assert.equal(parts.wdl.length, 1);
      assert.ok(parts.exact.every((part) => part.data.buffer instanceof SharedArrayBuffer));
      assert.ok(parts.wdl.every((part) => part.packed.buffer instanceof SharedArrayBuffer));
      const copy = LayeredTables.of(parts);
      assert.equal(copy.exactPieces, 2);
      for (const { position } of positionsOf(3)) {
        const { black, white, kings, turn } = position;
        assert.equal(copy.probe(black, white, kings, turn), tables.probe(black, white, kings, turn));
      }

      const exactOnlyUpTo = await loadLayeredTables(dir, 3, 3);
      assert.equal(exactOnlyUpTo.tables.exactPieces, 2, 'no exact file for 3 pieces: win/draw/loss for them');
      assert.equal(exactOnlyUpTo.pieces, 3);

      const path = join(dir, exactFileNameFor(2));
      await writeFile(path, (await readFile(path)).subarray(0, 50));
      await assert.rejects(
        loadLayeredTables(dir, 3, 2),
        /egdb-standard-2\.bin\.gz in .* is damaged .*delete it to regenerate it/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the search with layered tables', () => {
  it('with exact values at the root, plays the shortest win at every move', () => {
    let position: Position = positionFromFen(WON);
    const attacker = position.turn;
    const search = new Searcher(STANDARD_RULES, { endgame: layered(3) });
    const moves: string[] = [];
    while (!standardResult(position)) {
      const before = THREE.probe(position.black, position.white, position.kings, position.turn);
      const { move } = search.search(position, { maxDepth: 64, maxNodes: 20_000 });
      assert.ok(move, fenOf(position));
      position = applyMove(position, move);
      moves.push(`${move.from}-${move.path.join('-')}`);
      if (standardResult(position)) break;
      const after = THREE.probe(position.black, position.white, position.kings, position.turn);
      if (position.turn !== attacker) {
        assert.ok(isLoss(after), `the attacker kept the win: ${moves.join(' ')}`);
        assert.equal(distanceOf(after), distanceOf(before) - 1, `the shortest win: ${moves.join(' ')}`);
      } else {
        assert.equal(distanceOf(after), distanceOf(before) - 1, `the longest defence: ${moves.join(' ')}`);
      }
    }
    assert.equal(standardResult(position)?.winner, attacker);
    assert.equal(moves.length, 47, 'won in the 47 plies the tables say');
  });

  it('with win/draw/loss above the exact pieces, keeps the win at every move and wins', () => {
    let position: Position = positionFromFen(WON);
    const attacker = position.turn;
    const search = new Searcher(STANDARD_RULES, { endgame: layered(2) });
    const defender = new Searcher(STANDARD_RULES, { endgame: layered(3) });
    const moves: string[] = [];
    for (let ply = 0; ply < 200 && !standardResult(position); ply++) {
      const searcher = position.turn === attacker ? search : defender;
      const { move } = searcher.search(position, { maxDepth: 64, maxNodes: 20_000 });
      assert.ok(move, fenOf(position));
      position = applyMove(position, move);
      moves.push(`${move.from}-${move.path.join('-')}`);
      if (position.turn !== attacker && !standardResult(position)) {
        const code = THREE.probe(position.black, position.white, position.kings, position.turn);
        assert.ok(isLoss(code), `the attacker kept the win: ${moves.join(' ')}`);
      }
    }
    assert.equal(standardResult(position)?.winner, attacker, moves.join(' '));
  });
});
