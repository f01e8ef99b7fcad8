import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadTables, writeTablesFile } from '../../src/game/engine/egdb/files.js';
import { decodeTables, encodeTables } from '../../src/game/engine/egdb/format.js';
import {
  type DecodedPosition,
  indexOf,
  materialName,
  materialsOf,
  positionAt,
  sliceOf,
} from '../../src/game/engine/egdb/indexing.js';
import {
  DRAW,
  distanceOf,
  EndgameTables,
  INVALID,
  isLoss,
  isWin,
  solveUpTo,
} from '../../src/game/engine/egdb/solve.js';
import { codeOf, consistencyProblem } from '../../src/game/engine/egdb/verify.js';
import { STANDARD_RULES } from '../../src/game/engine/rules.js';
import { Searcher, WIN } from '../../src/game/engine/search.js';
import { fenOf, positionFromFen } from '../../src/game/fen.js';
import { formatMove } from '../../src/game/notation.js';
import type { Position } from '../../src/game/position.js';
import { QUIET_PLIES_FOR_DRAW } from '../../src/game/result.js';
import { applyMove, legalMoves, type Move, standardResult } from '../../src/game/standard.js';
import { seededRandom } from '../support/random.js';

/** Generating 2 and 3 pieces takes well under a second; 4 pieces about 5 s, so only a sample of it is checked. */
const THREE = solveUpTo(3);

function asPosition(decoded: DecodedPosition): Position {
  return {
    black: decoded.black >>> 0,
    white: decoded.white >>> 0,
    kings: decoded.kings >>> 0,
    turn: decoded.turn as 0 | 1,
  };
}

/** Exhaustive search: whether the side to move can force the end of the game (a win) within `plies`. */
function winsWithin(position: Position, plies: number): boolean {
  if (plies <= 0) return false;
  const moves = legalMoves(position);
  return moves.some((move) => losesWithin(applyMove(position, move), plies - 1));
}

/** Whether the side to move loses within `plies` whatever it does. */
function losesWithin(position: Position, plies: number): boolean {
  const result = standardResult(position);
  if (result) return result.winner !== position.turn;
  if (plies <= 0) return false;
  return legalMoves(position).every((move) => winsWithin(applyMove(position, move), plies - 1));
}

describe('endgame database indexing', () => {
  it('numbers every position of a slice once: index -> position -> index is the identity', () => {
    const decoded: DecodedPosition = { black: 0, white: 0, kings: 0, turn: 0, valid: false };
    for (const pieces of [2, 3, 4]) {
      for (const material of materialsOf(pieces)) {
        const slice = sliceOf(material);
        const pick = seededRandom(slice.key);
        for (let sample = 0; sample < 2000; sample++) {
          const index = pick(slice.size);
          positionAt(slice, index, decoded);
          if (!decoded.valid) continue;
          assert.equal(
            indexOf(slice, decoded.black, decoded.white, decoded.kings, decoded.turn),
            index,
            materialName(material),
          );
        }
      }
    }
  });

  it('lists slices so that every move leads to a slice listed before', () => {
    const names = materialsOf(4).map(materialName);
    assert.ok(names.indexOf('KKvKK') < names.indexOf('KMvKK'));
    assert.ok(names.indexOf('KMvKK') < names.indexOf('MMvMM'));
  });
});

describe('endgame database (standard rules, up to 3 pieces in memory)', () => {
  it('gives every position of 2 and 3 pieces a value consistent with its moves', () => {
    const decoded: DecodedPosition = { black: 0, white: 0, kings: 0, turn: 0, valid: false };
    let checked = 0;
    for (const [key, values] of THREE.values) {
      const slice = THREE.slices.get(key);
      assert.ok(slice);
      for (let index = 0; index < values.length; index++) {
        positionAt(slice, index, decoded);
        assert.equal(values[index] === INVALID, !decoded.valid);
        if (!decoded.valid) continue;
        const position = asPosition(decoded);
        const problem = consistencyProblem(THREE, position);
        assert.equal(problem, undefined, `${fenOf(position)}: ${problem}`);
        checked++;
      }
    }
    assert.ok(checked > 300_000);
  });

  it('knows the textbook results', () => {
    const value = (fen: string) => codeOf(THREE, positionFromFen(fen));
    assert.equal(value('B:WK1:BK32'), DRAW, 'king against king');
    assert.equal(value('W:W22:B11'), DRAW, 'man against man, both far from crowning, opposition');
    assert.ok(isLoss(value('B:WK1,K5:BK32')), 'two kings beat one');
    assert.ok(isWin(value('W:WK1,K5:BK32')), 'two kings beat one, the stronger side to move');
  });

  it('agrees with an exhaustive search on positions decided within 5 plies', () => {
    const pick = seededRandom(19);
    const decoded: DecodedPosition = { black: 0, white: 0, kings: 0, turn: 0, valid: false };
    const slices = [...THREE.slices.values()];
    let checked = 0;
    for (let attempt = 0; attempt < 40_000 && checked < 400; attempt++) {
      const slice = slices[pick(slices.length)];
      assert.ok(slice);
      const index = pick(slice.size);
      positionAt(slice, index, decoded);
      if (!decoded.valid) continue;
      const position = asPosition(decoded);
      const code = codeOf(THREE, position);
      const fen = fenOf(position);
      if (code === DRAW) {
        if (checked % 4 !== 0) continue;
        assert.ok(!winsWithin(position, 5) && !losesWithin(position, 4), `${fen}: drawn, yet decided within 5 plies`);
      } else {
        const distance = distanceOf(code);
        if (distance > 5) continue;
        if (isWin(code)) {
          assert.ok(winsWithin(position, distance), `${fen}: not won within ${distance}`);
          assert.ok(!winsWithin(position, distance - 2), `${fen}: won faster than ${distance}`);
        } else {
          assert.ok(losesWithin(position, distance), `${fen}: not lost within ${distance}`);
          assert.ok(distance < 2 || !losesWithin(position, distance - 2), `${fen}: lost faster than ${distance}`);
        }
      }
      checked++;
    }
    assert.ok(checked >= 400, `only ${checked} positions checked`);
  });
});

describe('endgame database (4 pieces, a sample)', () => {
  it('gives sampled 4-piece positions values consistent with their moves and, when short, with an exhaustive search', () => {
    const four = solveUpTo(4);
    const decoded: DecodedPosition = { black: 0, white: 0, kings: 0, turn: 0, valid: false };
    const pick = seededRandom(4);
    let exhaustive = 0;
    for (const material of materialsOf(4)) {
      const slice = sliceOf(material);
      for (let sample = 0; sample < 2000; sample++) {
        positionAt(slice, pick(slice.size), decoded);
        if (!decoded.valid) continue;
        const position = asPosition(decoded);
        const problem = consistencyProblem(four, position);
        assert.equal(problem, undefined, `${fenOf(position)}: ${problem}`);
        const code = codeOf(four, position);
        if (code !== DRAW && distanceOf(code) <= 3) {
          exhaustive++;
          const within = isWin(code) ? winsWithin(position, distanceOf(code)) : losesWithin(position, distanceOf(code));
          assert.ok(within, `${fenOf(position)}: not decided within ${distanceOf(code)} plies`);
        }
      }
    }
    assert.ok(exhaustive > 100, `${exhaustive} short wins and losses searched exhaustively`);
    assert.equal(
      distanceOf(codeOf(four, positionFromFen('W:WK14,K19,K30:BK28'))),
      7,
      'the shortest win named in issue 19',
    );
  });
});

describe('endgame database files', () => {
  it('reads back what it writes, and refuses a damaged file with a one-line reason', () => {
    const file = encodeTables(THREE, 3);
    const copy = new EndgameTables();
    assert.equal(decodeTables(file, copy), 3);
    for (const material of materialsOf(3)) {
      const slice = sliceOf(material);
      assert.deepEqual(copy.values.get(slice.key), THREE.values.get(slice.key), materialName(material));
    }
    const damaged = file.slice();
    damaged[damaged.length - 5] = (damaged[damaged.length - 5] as number) ^ 1;
    assert.throws(() => decodeTables(damaged, new EndgameTables()), /fails its checksum; regenerate it/);
    assert.throws(() => decodeTables(file.subarray(0, file.length - 1), new EndgameTables()), /wrong size/);
    assert.throws(() => decodeTables(new TextEncoder().encode('hello\n'), new EndgameTables()), /not an endgame/);
  });

  it('loads the files present in a directory, and nothing (no probe) from an empty one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'egdb-'));
    try {
      assert.equal((await loadTables(dir)).pieces, 1);
      await writeTablesFile(dir, THREE, 2);
      await writeTablesFile(dir, THREE, 3);
      const { tables, pieces } = await loadTables(dir);
      assert.equal(pieces, 3);
      const position = positionFromFen('B:WK1,K5:BK32');
      assert.equal(
        tables.probe(position.black, position.white, position.kings, position.turn),
        codeOf(THREE, position),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/**
 * Plays `fen` out, the attacker (the side to move) and the defender each
 * searching with a node budget a move; returns the plies to the end, the
 * winner, and the longest run of plies without a capture or a man's move.
 */
function playOut(fen: string, attacker: Searcher<Position, Move>, defender: Searcher<Position, Move>, nodes: number) {
  let position = positionFromFen(fen);
  const attackerColor = position.turn;
  const moves: string[] = [];
  let quiet = 0;
  let longestQuiet = 0;
  for (let ply = 0; ply < 200; ply++) {
    const result = standardResult(position);
    if (result)
      return { plies: ply, winner: result.winner === attackerColor ? 'attacker' : 'defender', longestQuiet, moves };
    const searcher = position.turn === attackerColor ? attacker : defender;
    const { move } = searcher.search(position, { maxDepth: 64, maxNodes: nodes });
    assert.ok(move, `a move in ${fenOf(position)}`);
    const manMoved = ((position.kings >>> move.from) & 1) === 0;
    quiet = move.captured !== 0 || manMoved ? 0 : quiet + 1;
    longestQuiet = Math.max(longestQuiet, quiet);
    moves.push(formatMove(move));
    position = applyMove(position, move);
  }
  return { plies: undefined, winner: 'nobody', longestQuiet, moves };
}

describe('the search with endgame databases (standard rules)', () => {
  // Kings-only slices lead only to each other: up to 5 pieces they take about 10-18 s to solve, up to 4 under 1 s.
  const kingsFive = solveUpTo(5, { kingsOnly: true });
  const kingsFour = solveUpTo(4, { kingsOnly: true });
  const withTables = (tables: EndgameTables) => new Searcher(STANDARD_RULES, { endgame: tables });

  it('solves king endgames of up to 5 pieces within the 40-move rule: no win takes 80 plies', () => {
    for (const values of kingsFive.values.values()) {
      let longest = 0;
      for (const code of values) if (code !== INVALID && code > longest) longest = code;
      assert.ok(distanceOf(longest) < QUIET_PLIES_FOR_DRAW, `longest ${distanceOf(longest)}`);
    }
  });

  const endgames = [
    // 3 kings against 1 and against 2, the defence in the centre, away from the double corners.
    'W:WK29,K30,K31:BK14',
    'B:WK15:BK1,K2,K3',
    'W:WK29,K30,K31:BK14,K15',
    'B:WK1,K2:BK22,K26,K31',
    'W:WK25,K29,K32:BK10,K19',
  ];
  for (const fen of endgames) {
    it(`converts ${fen} in the database's distance against a defender with the database, and against one without`, () => {
      const start = positionFromFen(fen);
      const code = codeOf(kingsFive, start);
      assert.ok(isWin(code), `${fen} is won`);
      for (const defender of [withTables(kingsFive), new Searcher(STANDARD_RULES)]) {
        const { plies, winner, longestQuiet, moves } = playOut(fen, withTables(kingsFive), defender, 2000);
        assert.equal(winner, 'attacker', moves.join(' '));
        assert.ok(
          plies !== undefined && plies <= distanceOf(code),
          `${plies} > ${distanceOf(code)}: ${moves.join(' ')}`,
        );
        assert.ok(longestQuiet < QUIET_PLIES_FOR_DRAW, moves.join(' '));
      }
    });
  }

  it('probes the tables at its leaves: 4 kings against 1 with tables of up to 4 pieces wins in the fewest plies', () => {
    const fen = 'W:WK3,K4,K7,K10:BK28';
    const fewest = distanceOf(codeOf(kingsFive, positionFromFen(fen)));
    const { plies, winner, moves } = playOut(fen, withTables(kingsFour), withTables(kingsFive), 20_000);
    assert.equal(winner, 'attacker', moves.join(' '));
    assert.equal(plies, fewest, moves.join(' '));
  });

  it('scores a covered position by the table: win in its distance, or a draw', () => {
    const won = positionFromFen('W:WK14,K19,K30:BK28');
    const result = withTables(kingsFour).search(won, { maxDepth: 64, maxNodes: 1000 });
    assert.equal(result.score, WIN - distanceOf(codeOf(kingsFour, won)));
    assert.equal(result.depth, 1, 'one ply settles a covered position');
    const drawn = positionFromFen('B:WK1:BK32');
    // === rather than assert.equal: negamax may return -0.
    assert.ok(withTables(kingsFour).search(drawn, { maxDepth: 64, maxNodes: 1000 }).score === 0, 'a draw');
  });
});
