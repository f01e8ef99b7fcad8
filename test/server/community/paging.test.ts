import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadParameter, cursorPage, MAX_OFFSET, MAX_PAGE, offsetPage } from '../../../src/server/web/api/answers.js';

const query = (text: string) => new URLSearchParams(text);

describe('paging parameters of the community API', () => {
  it('offset pages: the defaults when absent or empty, the values when in range', () => {
    assert.deepEqual(offsetPage(query(''), 50), { limit: 50, offset: 0 });
    assert.deepEqual(offsetPage(query('limit=&offset='), 20), { limit: 20, offset: 0 });
    assert.deepEqual(offsetPage(query(`limit=${MAX_PAGE}&offset=${MAX_OFFSET}`), 50), {
      limit: MAX_PAGE,
      offset: MAX_OFFSET,
    });
  });

  it('offset pages: a limit outside 1 to 100 or an offset outside 0 to 100,000 is a bad parameter that says the range', () => {
    for (const text of ['limit=0', `limit=${MAX_PAGE + 1}`, 'limit=-1', 'limit=1.5', 'limit=ten', 'limit=1e2']) {
      assert.throws(() => offsetPage(query(text), 50), {
        message: `limit must be a whole number from 1 to ${MAX_PAGE}`,
      });
    }
    assert.throws(() => offsetPage(query(`offset=${MAX_OFFSET + 1}`), 50), BadParameter);
    assert.throws(() => offsetPage(query('offset=-5'), 50), /offset must be a whole number from 0 to 100000/);
  });

  it('cursor pages: no cursor on the first page, a game id after it; anything else is a bad parameter', () => {
    assert.deepEqual(cursorPage(query(''), 20), { limit: 20 });
    assert.deepEqual(cursorPage(query('before='), 20), { limit: 20 });
    assert.deepEqual(cursorPage(query('limit=5&before=41'), 20), { limit: 5, before: 41 });
    for (const text of ['before=0', 'before=x', 'before=-1', 'before=041']) {
      assert.throws(() => cursorPage(query(text), 20), /before must be the next cursor of a page/);
    }
    assert.throws(() => cursorPage(query('limit=101&before=41'), 20), /limit must be a whole number/);
  });
});
