import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { hashPassword } from '../../src/server/passwords.js';
import { VISIBLE_SPACE } from '../../src/web/community/player-name.js';
import { recordGameBetween } from '../server/community/records.js';
import { TEST_HASH_COST, TEST_PASSWORD } from '../support/accounts.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { chromiumMissing, launchChromium, WEB_DIR } from './browser-support.js';

const V = VISIBLE_SPACE;

describe('names that look alike or have no path (real server, real SQLite, Chromium)', () => {
  let server: TestServer;
  let browser: Browser | undefined;
  const base = () => `http://127.0.0.1:${server.port}`;

  async function post(path: string, body: unknown): Promise<{ status: number; error: string }> {
    const response = await fetch(`${base()}${path}`, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'Content-Type': 'application/json' },
      signal: AbortSignal.timeout(5000),
    });
    const json = (await response.json()) as { error?: string };
    return { status: response.status, error: json.error ?? '' };
  }

  before(async () => {
    server = await startTestServer({
      web: { staticDir: WEB_DIR },
      community: { registration: 'open', hashCost: TEST_HASH_COST },
    });
    // Accounts made before the rules: they must keep working.
    const hash = await hashPassword(TEST_PASSWORD, TEST_HASH_COST);
    for (const name of ['a b', 'a  b', '..']) await server.store.createAccount(name, hash);
    await recordGameBetween(server.store, 'a b', 'a  b', 'black', ['11-15', '24-20'], new Date(Date.UTC(2026, 10, 1)));
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('sign-up refuses runs of spaces, spaces at the ends and names of only dots, each with its reason', async () => {
    for (const [name, reason] of [
      ['x  y', /two spaces in a row/],
      [' xy', /start or end with a space/],
      ['..', /only dots/],
      ['.', /only dots/],
      ['....', /only dots/],
    ] as const) {
      const answer = await post('/api/accounts', { name, password: 'secret' });
      assert.equal(answer.status, 400, name);
      assert.match(answer.error, reason, name);
    }
    assert.equal((await post('/api/accounts', { name: 'x y', password: 'secret' })).status, 201);
    assert.equal((await post('/api/accounts', { name: 'x.y', password: 'secret' })).status, 201);
  });

  it('existing accounts named ".." and "a  b" keep their profiles and can change their passwords', async () => {
    const dots = await fetch(`${base()}/api/players?name=..`, { signal: AbortSignal.timeout(5000) });
    assert.equal(dots.status, 200);
    assert.equal(((await dots.json()) as { name: string }).name, '..');
    const spaced = await fetch(`${base()}/api/players/a%20%20b`, { signal: AbortSignal.timeout(5000) });
    assert.equal(((await spaced.json()) as { name: string; games: number }).games, 1);
    const missing = await fetch(`${base()}/api/players`, { signal: AbortSignal.timeout(5000) });
    assert.equal(missing.status, 400);
    const changed = await post('/api/password', { name: 'a  b', password: TEST_PASSWORD, newPassword: 'new-one' });
    assert.equal(changed.status, 200, changed.error);
  });

  it('the pages show "a b" and "a  b" differently, in the monospace face, and reach ".." by its link', {
    skip: chromiumMissing(),
  }, async () => {
    browser = await launchChromium();
    const page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    const [game] = await server.store.gamesPage({ limit: 1 });
    await page.goto(`${base()}/games/${game?.id}`);
    const names = page.locator('.players a.player-name');
    await names.first().waitFor();
    assert.deepEqual(await names.allTextContents(), ['a b', `a${V}${V}b`]);
    const face = await page.evaluate("getComputedStyle(document.querySelector('.players a.player-name')).fontFamily");
    assert.match(String(face), /monospace/);
    await page.goto(`${base()}/standings`);
    const dotsLink = page.locator('a.player-name', { hasText: /^\.\.$/ });
    await dotsLink.click();
    await page.locator('.player-page dl.facts').waitFor();
    assert.equal(await page.locator('.player-page h1').textContent(), '..');
    assert.equal(new URL(page.url()).search, '?name=..');
  });

  it('sign-up refuses a name starting with guest-; pages mark a guest and show it no rating', {
    skip: chromiumMissing(),
  }, async () => {
    const refused = await post('/api/accounts', { name: 'Guest-13579', password: 'secret' });
    assert.equal(refused.status, 400);
    assert.match(refused.error, /names starting with guest- are kept for guests/);
    await server.store.createAccount('guest-24680', 'no hash', undefined, { guest: true });
    const guestGame = await recordGameBetween(server.store, 'guest-24680', 'a b', 'white', ['11-15']);
    browser ??= await launchChromium();
    const page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${base()}/games/${guestGame}`);
    const players = page.locator('.players');
    await players.locator('.guest-mark').waitFor();
    const text = (await players.textContent()) ?? '';
    assert.match(text, /guest-24680 guest \(Black\) against a b \(White, \d+\)/);
    await page.goto(`${base()}/players/guest-24680`);
    await page.locator('.player-page .guest-note').waitFor();
    assert.equal(await page.locator('.player-page dl.facts').count(), 0, 'no rating facts');
    assert.deepEqual(await page.locator('.player-page h2').allTextContents(), ['Recent results']);
  });
});
