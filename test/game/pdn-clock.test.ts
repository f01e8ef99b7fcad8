import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { clockComment, clockOfComment, writePdn } from '../../src/game/pdn.js';
import { playPdnGame } from '../../src/game/pdn-games.js';
import { readPdn } from '../../src/game/pdn-read.js';

/** Clock comments as lichess and CheckerBoard write them, one with tenths, one with text after it, one move without. */
const FIXTURE = readFileSync(new URL('../../../test/fixtures/pdn/clock-comments.pdn', import.meta.url), 'utf8');

function played(text: string) {
  const reading = readPdn(text);
  assert.ok(reading.ok, reading.ok ? '' : JSON.stringify(reading.problem));
  const game = reading.games[0];
  assert.ok(game);
  const replay = playPdnGame(game);
  assert.ok(replay.ok, replay.ok ? '' : JSON.stringify(replay.problem));
  return replay.game;
}

describe('PDN clock comments ([%clk H:MM:SS])', () => {
  it('writes the time left in hours, minutes and whole seconds, and reads it back', () => {
    assert.equal(clockComment(295_999), '[%clk 0:04:55]');
    assert.equal(clockComment(3_607_000), '[%clk 1:00:07]');
    assert.equal(clockComment(-5), '[%clk 0:00:00]');
    assert.equal(clockOfComment('[%clk 0:04:55]'), 295_000);
    assert.equal(clockOfComment('before [%clk 0:04:55.4] after'), 295_400);
    assert.equal(clockOfComment('[%clk 1:00:07]'), 3_607_000);
    assert.equal(clockOfComment('no clock here'), undefined);
    assert.equal(clockOfComment('[%clk soon]'), undefined);
  });

  it('reads the clocks of a record written by another program, undefined where a move has none', () => {
    const game = played(FIXTURE);
    assert.deepEqual(game.clocks, [302_000, 301_000, 298_000, 295_400, 280_000, 290_000, 3_607_000, undefined]);
  });

  it('round-trips: written with the clocks of the last moves, read back to the same times', () => {
    const moves = ['11-15', '23-19', '8-11', '22-17', '9-13', '17-14', '10x17'];
    // The first two moves without clocks (a ballot's, say); then each mover's time left.
    const clocks = [298_000, 295_000, 280_500, 290_000, 61_000];
    const text = writePdn({ black: 'cam', white: 'mac', result: '*', moves, clocks, tags: { TimeControl: '300+2' } });
    assert.match(text, /1\. 11-15 23-19 2\. 8-11 \{\[%clk 0:04:58\]\} 2\.\.\. 22-17 \{\[%clk 0:04:55\]\}/);
    const game = played(text);
    assert.deepEqual(game.texts, moves);
    assert.deepEqual(game.clocks, [undefined, undefined, 298_000, 295_000, 280_000, 290_000, 61_000]);
    assert.doesNotMatch(writePdn({ black: 'a', white: 'b', result: '*', moves }), /%clk/, 'no clock, no comments');
  });
});
