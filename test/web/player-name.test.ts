import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { playerApiPath, playerPath, shownName, VISIBLE_SPACE } from '../../src/web/community/player-name.js';

const V = VISIBLE_SPACE;

describe('player names on the pages', () => {
  it('shows a single space between words as a space, and every other space as a visible one', () => {
    assert.equal(shownName('a b'), 'a b');
    assert.equal(shownName('a  b'), `a${V}${V}b`);
    assert.equal(shownName('a   b'), `a${V}${V}${V}b`);
    assert.equal(shownName(' a'), `${V}a`);
    assert.equal(shownName('a '), `a${V}`);
    assert.equal(shownName(' '), V);
    assert.equal(shownName('x y  z'), `x y${V}${V}z`);
  });

  it('names that differ show differently', () => {
    const names = ['a b', 'a  b', 'a   b', ' a b', 'a b ', 'ab'];
    assert.equal(new Set(names.map(shownName)).size, names.length);
  });

  it('addresses "." and ".." by query (a path segment would be removed), every other name by path', () => {
    assert.equal(playerPath('cam'), '/players/cam');
    assert.equal(playerPath('a  b'), '/players/a%20%20b');
    assert.equal(playerPath('...'), '/players/...');
    assert.equal(playerPath('.'), '/players?name=.');
    assert.equal(playerPath('..'), '/players?name=..');
    assert.equal(playerApiPath('..'), '/api/players?name=..');
    assert.equal(playerApiPath('a/b'), '/api/players/a%2Fb');
    // What a browser does to the path form: the reason for the query form.
    assert.equal(new URL('/players/%2E%2E', 'http://x').pathname, '/');
    assert.equal(new URL(playerPath('..'), 'http://x').searchParams.get('name'), '..');
  });
});
