import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { quoted, withoutByteOrderMark } from '../../src/server/cli-support.js';
import { parseImport } from '../../src/server/user-import.js';

describe('quoted input in error messages', () => {
  it('keeps printable ASCII and escapes everything else, quotes and backslashes included', () => {
    assert.equal(quoted('alice'), '"alice"');
    assert.equal(quoted('a"b\\c'), '"a\\"b\\\\c"');
    assert.equal(quoted('\u001b[2J\u0007\t\u009b\u00e9\ufeff'), '"\\x1b[2J\\x07\\t\\x9b\\xe9\\u{feff}"');
    assert.equal(quoted('\u{1f600}'), '"\\u{1f600}"');
  });

  it('cuts long input', () => {
    assert.equal(quoted('x'.repeat(100)), `"${'x'.repeat(40)}..."`);
  });
});

describe('user import lines', () => {
  it('a byte-order mark is not part of the first name', () => {
    assert.equal(withoutByteOrderMark('\ufeffa:b'), 'a:b');
    const reading = parseImport('\ufeffann:pw\n', () => undefined);
    assert.deepEqual(reading, { ok: true, accounts: [{ line: 1, name: 'ann', password: 'pw' }] });
  });

  it('names that differ only in case are a duplicate', () => {
    assert.deepEqual(
      parseImport('Ann:pw\nann:pw\n', () => undefined),
      {
        ok: false,
        line: 2,
        reason: '"ann" and "Ann" differ only in case (names ignore case)',
      },
    );
  });
});
