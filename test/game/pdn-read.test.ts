import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { fenOf } from '../../src/game/fen.js';
import { writePdn } from '../../src/game/pdn.js';
import { playPdnGame } from '../../src/game/pdn-games.js';
import { type PdnMove, type PdnRecord, readPdn, tagValue, writePdnRecord } from '../../src/game/pdn-read.js';
import { applyMove } from '../../src/game/standard.js';

/** PDN written by hand in CheckerBoard's style: three games, comments, variations, marks, a set position, `*`. */
const FIXTURE = readFileSync(
  new URL('../../../test/fixtures/pdn/checkerboard-three-games.pdn', import.meta.url),
  'utf8',
);

/** A record without the places its moves were read from, to compare two readings. */
function withoutPlaces(record: PdnRecord): unknown {
  const moves = (line: readonly PdnMove[]): unknown[] =>
    line.map(({ text, marks, comment, variations }) => ({ text, marks, comment, variations: variations.map(moves) }));
  return { tags: record.tags, comment: record.comment, moves: moves(record.moves), result: record.result };
}

function read(text: string): readonly PdnRecord[] {
  const reading = readPdn(text);
  assert.ok(reading.ok, reading.ok ? '' : JSON.stringify(reading.problem));
  return reading.games;
}

describe('PDN reading', () => {
  it('reads three games written in CheckerBoard style: tags, comments, variations, marks and results', () => {
    const [first, second, third] = read(FIXTURE);
    assert.ok(first && second && third);
    assert.equal(tagValue(first, 'Black'), 'Anders');
    assert.equal(first.comment, 'Single corner opening.');
    assert.equal(first.result, '1/2-1/2');
    assert.equal(first.moves.length, 21);
    const drop = first.moves[12];
    assert.equal(drop?.text, '16-19');
    assert.deepEqual(drop?.marks, ['?']);
    assert.equal(drop?.comment, 'drops a man');
    assert.deepEqual(
      first.moves[9]?.variations.map((line) => line.map((move) => move.text)),
      [['24-19', '10-14', '19x12']],
    );
    assert.equal(first.moves[19]?.text, '26x17x10');
    assert.deepEqual(first.moves[19]?.marks, ['$1']);
    assert.equal(second.result, '*');
    assert.equal(second.moves[6]?.comment, 'a line comment, as some programs write');
    assert.equal(third.result, '0-1');
    assert.equal(tagValue(third, 'fen'), 'W:W21,K30:B1,K4');
    assert.deepEqual(
      third.moves.map((move) => [move.text, move.line, move.column]),
      [
        ['30-26', 36, 6],
        ['4-8', 36, 40],
        ['26-22', 36, 44],
        ['8-11', 36, 53],
      ],
    );
  });

  it('replays every main line by the standard rules, the set position from its FEN', () => {
    const games = read(FIXTURE).map((record) => {
      const played = playPdnGame(record);
      assert.ok(played.ok, played.ok ? '' : played.problem.message);
      return played.game;
    });
    assert.deepEqual(
      games.map((game) => game.moves.length),
      [21, 9, 4],
    );
    const problem = games[2];
    assert.ok(problem);
    const end = problem.moves.reduce(applyMove, problem.start);
    assert.equal(fenOf(end), 'W:W21,K22:B1,K11');
  });

  it('writes the games back so that they read the same (read, write, read)', () => {
    const games = read(FIXTURE);
    const written = games.map(writePdnRecord).join('\n');
    assert.deepEqual(read(written).map(withoutPlaces), games.map(withoutPlaces));
    // White to move first in a set position: the first number says so.
    assert.match(writePdnRecord(games[2] as PdnRecord), /\n1\.\.\. 30-26 \{the king comes to help\} 2\. 4-8/);
    assert.match(writePdnRecord(games[0] as PdnRecord), /7\. 16-19\? \{drops a man\} 7\.\.\. 23x16/);
  });

  it('names the line and column of what is wrong, and never throws', () => {
    const problem = (text: string) => {
      const reading = readPdn(text);
      assert.equal(reading.ok, false, text);
      return reading.ok ? undefined : reading.problem;
    };
    assert.deepEqual(problem('[Event "x"]\n\n1. 11-15 {never closed\n23-19 *'), {
      line: 3,
      column: 10,
      message: 'this comment is not closed: a } is missing',
    });
    assert.deepEqual(problem('1. 11-15 23-19\n2. 8-11 hello *'), {
      line: 2,
      column: 9,
      message: '"hello" is not a move, a move number, a comment or a result',
    });
    assert.equal(problem('1. 11-15 (23-19 2. 8-11 *')?.message, 'a result inside a variation: a ) is missing');
    assert.deepEqual(problem('[Event "x]\n1. 11-15 *'), {
      line: 1,
      column: 1,
      message: 'a tag is written [Name "value"] on one line',
    });
    assert.equal(problem('')?.message, 'there is no game in the PDN');
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const reading = readPdn(text);
        assert.equal(typeof reading.ok, 'boolean');
      }),
      { numRuns: 2000 },
    );
  });

  it('an illegal move or a bad FEN is named by line and column when the game is replayed', () => {
    const [record] = read('[Event "x"]\n\n1. 11-15 23-19\n2. 15-11 *');
    assert.ok(record);
    assert.deepEqual(playPdnGame(record), {
      ok: false,
      problem: { line: 4, column: 4, message: '15-11 is not a legal move here' },
    });
    const [badFen] = read('[FEN "B:W33:B1"]\n1. 1-5 *');
    assert.ok(badFen);
    const replayed = playPdnGame(badFen);
    assert.equal(replayed.ok, false);
    assert.match(replayed.ok ? '' : replayed.problem.message, /^the FEN tag is not a position: no square "33"/);
    const [polish] = read('[GameType "20"]\n1. 32-28 *');
    assert.ok(polish);
    assert.match(playPdnGame(polish).ok ? '' : 'refused', /refused/);
  });

  it('the server export writes SetUp and FEN for a set position, numbered from White when White starts', () => {
    const text = writePdn({ black: 'a', white: 'b', result: '*', moves: ['30-26', '4-8'], fen: 'W:W21,K30:B1,K4' });
    assert.match(text, /\[GameType "21"\]\n\[SetUp "1"\]\n\[FEN "W:W21,K30:B1,K4"\]/);
    assert.match(text, /\n1\.\.\. 30-26 2\. 4-8 \*\n$/);
    const [record] = read(text);
    assert.ok(record);
    assert.equal(playPdnGame(record).ok, true);
  });
});
