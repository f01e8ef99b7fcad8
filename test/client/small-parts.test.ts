import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { printable } from '../../src/client/printable.js';
import { TurnClock, warningText } from '../../src/client/turn-clock.js';
import { packageVersion } from '../../src/client/version.js';

describe('printable', () => {
  it('shows controls, DEL, C1 and other bytes as escapes, and leaves printable ASCII alone', () => {
    assert.equal(printable('jen 2'), 'jen 2');
    assert.equal(printable('\x1b[2J\x1b]0;pwned\x07'), '\\x1b[2J\\x1b]0;pwned\\x07');
    assert.equal(printable('a\x9bb\x7f\x00\xff'), 'a\\x9bb\\x7f\\x00\\xff');
    assert.equal(printable('back\\slash'), 'back\\\\slash');
    assert.equal(printable('\u2028'), '\\u{2028}');
  });
});

describe('TurnClock', () => {
  it('warns once a minute before the move clock runs out and once 10 s before', () => {
    const clock = new TurnClock(300);
    assert.deepEqual(clock.warningsDue(0), []);
    assert.deepEqual(clock.warningsDue(239), []);
    assert.deepEqual(clock.warningsDue(240), [60]);
    assert.deepEqual(clock.warningsDue(241), []);
    assert.deepEqual(clock.warningsDue(290), [10]);
    assert.deepEqual(clock.warningsDue(299), []);
    assert.equal(clock.status(65.7), '1:05 of 5:00');
  });

  it('skips a warning longer than the clock, and gives only the latest one after a long pause', () => {
    assert.deepEqual(new TurnClock(30).warningsDue(25), [10]);
    assert.deepEqual(new TurnClock(300).warningsDue(295), [10]);
    assert.match(warningText(60, 300), /^About 1 minute left to move: .*\(300 s\)/);
    assert.equal(warningText(10, 300), 'About 10 s left to move!');
  });
});

describe('packageVersion', () => {
  it("is package.json's version, found from the built module's place", () => {
    const packageJson = fileURLToPath(new URL('../../../package.json', import.meta.url));
    const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };
    assert.equal(packageVersion(), version);
  });
});
