import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchRoute } from '../../src/web/shell/route-match.js';

function route(pattern: string): { pattern: string } {
  return { pattern };
}

describe('the web client router', () => {
  const routes = [route('/'), route('/standings'), route('/players/:name'), route('/games/:id')];

  it('matches fixed paths and ignores a query string and a trailing slash', () => {
    assert.equal(matchRoute(routes, '/')?.route.pattern, '/');
    assert.equal(matchRoute(routes, '/standings?limit=20')?.route.pattern, '/standings');
    assert.equal(matchRoute(routes, '/standings/')?.route.pattern, '/standings');
  });

  it('hands named parts over decoded', () => {
    assert.deepEqual(matchRoute(routes, '/players/cam')?.params, { name: 'cam' });
    assert.deepEqual(matchRoute(routes, '/players/a%20b')?.params, { name: 'a b' });
  });

  it('matches nothing for an unknown path, a missing part or one that does not decode', () => {
    assert.equal(matchRoute(routes, '/nowhere'), undefined);
    assert.equal(matchRoute(routes, '/players'), undefined);
    assert.equal(matchRoute(routes, '/players/cam/extra'), undefined);
    assert.equal(matchRoute(routes, '/players/%E0%A4%A'), undefined);
  });
});
