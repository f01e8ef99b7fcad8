import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCredentials } from '../../src/client/bot.js';
import { readCredentialLines } from '../../src/common/credentials-file.js';
import { parseImport } from '../../src/server/user-import.js';

describe('the NAME:PASSWORD file', () => {
  it('a password ending in a space that user import accepts is the one --credentials logs in with', () => {
    const text = '\uFEFF# spring ladder\r\nada:lovelace \r\n\r\nbob: builder\n';
    const imported = parseImport(text, () => undefined);
    assert.ok(imported.ok);
    assert.deepEqual(
      imported.accounts.map(({ name, password }) => ({ username: name, password })),
      [
        { username: 'ada', password: 'lovelace ' },
        { username: 'bob', password: ' builder' },
      ],
    );
    assert.deepEqual(parseCredentials(text), [
      { username: 'ada', password: 'lovelace ' },
      { username: 'bob', password: ' builder' },
    ]);
  });

  it('skips blank and # lines, ends the name at the first colon, and numbers a line without one', () => {
    assert.deepEqual(readCredentialLines('# c\n  \na:b:c\nnocolon\n'), [
      { ok: true, line: 3, name: 'a', password: 'b:c' },
      { ok: false, line: 4, reason: 'expected NAME:PASSWORD' },
    ]);
  });
});
