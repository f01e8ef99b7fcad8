import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isValidUsername, usernameProblem } from '../../src/server/accounts.js';

describe('names for new accounts', () => {
  it('accepts names with single spaces between words, dots among other characters, and look-alike letters', () => {
    for (const name of ['cam', 'a b', 'Jean Paul Sartre', 'a.b', '...x', 'x..', 'Il1|', 'O0O0', 'rn', 'm']) {
      assert.equal(usernameProblem(name), undefined, name);
    }
  });

  it('refuses a space at either end, saying so', () => {
    for (const name of [' a', 'a ', ' ', '  a b  ']) {
      assert.match(usernameProblem(name) ?? '', /is not a valid name: it may not start or end with a space/, name);
    }
  });

  it('refuses two or more spaces in a row, saying to use one', () => {
    for (const name of ['a  b', 'a   b', 'x y  z']) {
      assert.match(usernameProblem(name) ?? '', /has two spaces in a row; use one space between words/, name);
    }
  });

  it('refuses names that are only dots (".", ".." and longer), which no page address can carry', () => {
    for (const name of ['.', '..', '...', '.'.repeat(16)]) {
      assert.match(usernameProblem(name) ?? '', /is only dots; use at least one other character/, name);
    }
  });

  it('refuses names starting with guest- in any case, kept for guests; guest in other places is fine', () => {
    for (const name of ['guest-12345', 'GUEST-1', 'Guest-anything', 'guest-']) {
      assert.match(
        usernameProblem(name) ?? '',
        /is not a valid name: names starting with guest- are kept for guests/,
        name,
      );
    }
    for (const name of ['guest', 'guest12345', 'my-guest-1', 'guests'])
      assert.equal(usernameProblem(name), undefined, name);
  });

  it('still refuses what the wire cannot carry', () => {
    assert.match(usernameProblem('x'.repeat(17)) ?? '', /use 1 to 16 printable ASCII characters/);
    assert.match(usernameProblem('') ?? '', /use 1 to 16 printable ASCII characters/);
    assert.match(usernameProblem('caf\u00e9') ?? '', /use 1 to 16 printable ASCII characters/);
  });

  it('existing accounts with such names still log in: the login check is only what the wire carries', () => {
    for (const name of ['a  b', '..', '.', ' a']) assert.equal(isValidUsername(name), true, name);
  });
});
