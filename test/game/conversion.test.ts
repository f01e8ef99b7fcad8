import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateBoard } from '../../src/game/engine/board.js';
import { leafScore, progressScore, RepetitionPath } from '../../src/game/engine/conversion.js';
import { STANDARD_RULES } from '../../src/game/engine/rules.js';
import { type GameHistory, Searcher, WIN } from '../../src/game/engine/search.js';
import { fenOf, positionFromFen } from '../../src/game/fen.js';
import { formatMove } from '../../src/game/notation.js';
import { type Position, WHITE } from '../../src/game/position.js';
import { QUIET_PLIES_FOR_DRAW } from '../../src/game/result.js';
import { applyMove, type Move, standardResult } from '../../src/game/standard.js';

const board = (fen: string) => {
  const p = positionFromFen(fen);
  return [p.black | 0, p.white | 0, p.kings | 0, p.turn] as const;
};

/**
 * The house bot thinks 1 s a move at level 10 (about 3 million nodes on an idle core) and never less
 * than 20 ms when busy (about 60,000 nodes): these play-outs give both sides the busy floor, by nodes
 * so that a loaded machine cannot change a game.
 */
const NODES = 60_000;

/**
 * Plays `fen` out, both sides searching with the game's history, under the 40-move rule: the winner,
 * or null for a draw by the rule, and the moves.
 */
function playOut(fen: string, nodes: number, withHistory = true) {
  let position = positionFromFen(fen);
  const searchers = [new Searcher(STANDARD_RULES), new Searcher(STANDARD_RULES)];
  let quietPlies = 0;
  let seen: Position[] = [];
  const moves: string[] = [];
  for (let ply = 0; ply < 400; ply++) {
    const result = standardResult(position);
    if (result) return { winner: result.winner, moves, ply };
    if (quietPlies >= QUIET_PLIES_FOR_DRAW) return { winner: null, moves, ply };
    const history: GameHistory | undefined = withHistory ? { quietPlies, positions: seen } : undefined;
    const searcher = searchers[position.turn] as Searcher<Position, Move>;
    const { move } = searcher.search(position, { maxDepth: 64, maxNodes: nodes }, history);
    assert.ok(move, `a move in ${fenOf(position)}`);
    moves.push(formatMove(move));
    const quiet = move.captured === 0 && (position.kings >>> move.from) & 1;
    quietPlies = quiet ? quietPlies + 1 : 0;
    seen = quiet ? [...seen, position] : [];
    position = applyMove(position, move);
  }
  return { winner: null, moves, ply: 400 };
}

describe('converting won positions', () => {
  it('a repetition is a position met again at least four plies back within the quiet plies', () => {
    const path = new RepetitionPath(16);
    path.reset([11, 12, 13], 14);
    assert.equal(path.repeats(99, 1, 4), false, 'a new position');
    assert.equal(path.repeats(12, 2, 5), true, 'the board four plies back');
    assert.equal(path.repeats(12, 2, 3), false, 'beyond the last capture or man move');
    assert.equal(path.repeats(13, 1, 8), false, 'two plies back cannot recur; the same key is a collision');
    path.repeats(21, 1, 8);
    path.repeats(22, 2, 8);
    path.repeats(23, 3, 8);
    assert.equal(path.repeats(21, 5, 8), true, 'on the path of the search');
  });

  it('the side ahead in an endgame scores its kings near the other pieces and the other kings out of the double corners', () => {
    const far = progressScore(...board('B:WK1,K5:BK29,K30,K31'));
    const near = progressScore(...board('B:WK1,K5:BK9,K10,K14'));
    const out = progressScore(...board('B:WK15,K19:BK29,K30,K31'));
    assert.ok(near > far, `${near} > ${far}`);
    assert.ok(out > far, `${out} > ${far}`);
    assert.equal(progressScore(...board('W:WK1,K5:BK29,K30,K31')), -far, 'for the side to move');
    assert.equal(progressScore(...board('B:W21,22,23:B10,11,12')), 0, 'nobody ahead');
    assert.equal(progressScore(...board('B:W21,22,23,24,25,26,27:B1,2,3,4,5,6,7,8')), 0, 'not yet an endgame');
  });

  it("the side an endgame database says wins scores progress whatever the material, and the other side's kings trapped", () => {
    // 2 kings against a king and a man on its home square: less than a man ahead, so no progress by material.
    assert.equal(progressScore(...board('W:WK14,K25:B4,K28')), 0);
    const free = progressScore(...board('W:WK14,K25:B4,K19'), WHITE);
    const cornered = progressScore(...board('W:WK14,K25:B4,K28'), WHITE);
    assert.ok(free < 0 && cornered < free, `the king in the double corner scores for White: ${cornered} < ${free}`);
    // The same distances and corner; Black's man on 28 takes one of its king's two steps.
    const twoSteps = progressScore(...board('W:WK14,K21:B4,K32'), WHITE);
    const oneStep = progressScore(...board('W:WK14,K21:B28,K32'), WHITE);
    assert.ok(oneStep > twoSteps, `a king with fewer steps is nearer the win: ${oneStep} > ${twoSteps}`);
    assert.equal(progressScore(...board('B:WK14,K21:B28,K32'), WHITE), -oneStep, 'for the side to move');
  });

  it('a leaf fades towards a draw as the 40-move rule comes near', () => {
    const position = board('B:WK1,K5:BK18,K22,K26');
    const fresh = leafScore(...position, 0);
    assert.equal(fresh, evaluateBoard(...position) + progressScore(...position));
    const later = leafScore(...position, 40);
    const last = leafScore(...position, 79);
    assert.ok(fresh > later && later > last && last > 0, `${fresh} > ${later} > ${last} > 0`);
  });

  it('sees the 40-move rule coming: a win that needs more plies than the rule leaves is a draw', () => {
    // Won in 11 plies (the king in the double corner is driven out and taken).
    const position = positionFromFen('B:WK5:BK6,K10');
    const search = (quietPlies: number) =>
      new Searcher(STANDARD_RULES).search(position, { maxDepth: 64, maxNodes: NODES }, { quietPlies });
    assert.ok(search(0).score > WIN - 128, `a win with a fresh count: ${search(0).score}`);
    assert.equal(search(QUIET_PLIES_FOR_DRAW - 4).score, 0, 'four plies left: no capture in time');
    assert.ok(search(QUIET_PLIES_FOR_DRAW - 12).score > WIN - 128, 'twelve plies left: in time');
  });

  it('does not play back into a position of the game: a repetition scores as a draw', () => {
    const position = positionFromFen('B:W5,14,21,K29:B1,8,20,K22,K25');
    const fresh = new Searcher(STANDARD_RULES).search(position, { maxDepth: 64, maxNodes: NODES });
    assert.ok(fresh.move && fresh.score > 100, `ahead: ${fresh.score}`);
    // The board the preferred move leads to stood there three plies before this one.
    const repeated = applyMove(position, fresh.move);
    const history = { quietPlies: 3, positions: [repeated, position, repeated] };
    const knowing = new Searcher(STANDARD_RULES).search(position, { maxDepth: 64, maxNodes: NODES }, history);
    assert.ok(knowing.move);
    assert.notEqual(formatMove(knowing.move), formatMove(fresh.move));
    assert.ok(knowing.score > 0, `still ahead: ${knowing.score}`);
  });

  // 3 kings against 2 in and away from the double corner (without the history and progress the search drew
  // both by the 40-move rule at this budget), 2 kings against 1, 6 pieces against 5, 8 against 5.
  const won = [
    'B:WK1,K5:BK18,K22,K26',
    'B:WK11,K20:BK25,K29,K30',
    'B:WK1:BK14,K23',
    'B:WK1,5,6,19,21:B8,10,12,13,K20,K32',
    'B:WK7,8,10,16,21:BK1,5,9,18,K22,24',
    'B:W10,12,14,K16,28:BK5,17,19,K22,23,26',
    'B:WK1,8,12,13,18:B7,11,16,17,K20,22,K27,K29',
  ];
  for (const fen of won) {
    it(`wins ${fen} against a defending engine within the 40-move rule at ${NODES} nodes a move`, () => {
      const { winner, moves } = playOut(fen, NODES);
      assert.equal(winner, positionFromFen(fen).turn, moves.join(' '));
    });
  }
});
