import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatMove, matchMove, parseMoveText } from '../../src/game/notation.js';
import { writePdn } from '../../src/game/pdn.js';
import { INITIAL_POSITION, positionFromSquares } from '../../src/game/position.js';
import { applyMove, legalMoves, standardResult } from '../../src/game/standard.js';
import { seededRandom } from '../support/random.js';

describe('move text', () => {
  it('reads steps, jumps and multi-jumps', () => {
    assert.deepEqual(parseMoveText('11-15'), { ok: true, move: { squares: [11, 15], kind: 'step' } });
    assert.deepEqual(parseMoveText(' 11 15 '), { ok: true, move: { squares: [11, 15], kind: 'unspecified' } });
    assert.deepEqual(parseMoveText('22x15x24'), { ok: true, move: { squares: [22, 15, 24], kind: 'capture' } });
  });

  it('says what is wrong with bad text', () => {
    const reason = (text: string) => {
      const reading = parseMoveText(text);
      return reading.ok ? 'ok' : reading.reason;
    };
    assert.match(reason('33-29'), /square 33 does not exist/);
    assert.match(reason('0-4'), /square 0 does not exist/);
    assert.match(reason('e3-f4'), /is not a move/);
    assert.match(reason('11'), /is not a move/);
    assert.match(reason('11-15-19'), /use x for jumps/);
  });

  it('matches text to the legal move, including a multi-jump given by its ends', () => {
    const position = positionFromSquares({ black: [14], white: [18, 27] });
    const legal = legalMoves(position);
    for (const text of ['14x23x32', '14x32', '14 32']) {
      const parsed = parseMoveText(text);
      assert.ok(parsed.ok);
      const match = matchMove(legal, parsed.move);
      assert.ok(match.ok, text);
      assert.equal(formatMove(match.move), '14x23x32');
    }
    const wrong = parseMoveText('14-18');
    assert.ok(wrong.ok);
    assert.deepEqual(matchMove(legal, wrong.move), { ok: false, reason: '14-18 is not a legal move here' });
  });

  it('names an ambiguous shorthand', () => {
    // A king on 14 takes 10, 11, 18 and 19 going round either way and lands back on 14.
    const position = positionFromSquares({ black: [14], kings: [14], white: [10, 11, 18, 19] });
    const legal = legalMoves(position);
    assert.deepEqual(legal.map(formatMove).sort(), ['14x23x16x7x14', '14x7x16x23x14']);
    const parsed = parseMoveText('14x14');
    assert.ok(parsed.ok);
    const match = matchMove(legal, parsed.move);
    assert.equal(match.ok, false);
    assert.match(
      match.ok ? '' : match.reason,
      /^that is ambiguous: 14x(23x16x7|7x16x23)x14 or 14x(7x16x23|23x16x7)x14$/,
    );
  });

  it('format then parse then match gives back every legal move of random games', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const random = seededRandom(seed);
      let position = INITIAL_POSITION;
      for (let ply = 0; ply < 120 && !standardResult(position); ply++) {
        const legal = legalMoves(position);
        for (const move of legal) {
          const parsed = parseMoveText(formatMove(move));
          assert.ok(parsed.ok);
          assert.deepEqual(matchMove(legal, parsed.move), { ok: true, move });
        }
        const next = legal[random(legal.length)];
        assert.ok(next);
        position = applyMove(position, next);
      }
    }
  });
});

describe('PDN writer', () => {
  it('writes the tags and numbered movetext ending in the result', () => {
    const text = writePdn({
      event: 'Ladder "spring"',
      date: new Date(Date.UTC(2026, 10, 5)),
      black: 'cam',
      white: 'jen',
      result: '0-1',
      moves: ['11-15', '23-19', '8-11', '22x8x15'],
      tags: { Termination: 'no-moves' },
    });
    assert.equal(
      text,
      [
        '[Event "Ladder \\"spring\\""]',
        '[Site "?"]',
        '[Date "2026.11.05"]',
        '[Round "-"]',
        '[Black "cam"]',
        '[White "jen"]',
        '[Result "0-1"]',
        '[GameType "21"]',
        '[Termination "no-moves"]',
        '',
        '1. 11-15 23-19 2. 8-11 22x8x15 0-1',
        '',
      ].join('\n'),
    );
  });

  it('wraps long movetext under 80 columns', () => {
    const moves = Array.from({ length: 90 }, (_, i) => (i % 2 ? '28-32' : '1-5'));
    const text = writePdn({ black: 'a', white: 'b', result: '1/2-1/2', moves });
    const movetext = text.split('\n\n')[1] ?? '';
    for (const line of movetext.trimEnd().split('\n')) assert.ok(line.length <= 79, line);
    assert.ok(movetext.trimEnd().endsWith('1/2-1/2'));
    assert.ok(movetext.includes('45. 1-5 28-32'));
  });
});
