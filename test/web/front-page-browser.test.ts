import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startTestServer, type TestServer, temporaryDirectory } from '../support/test-server.js';
import { chromiumMissing, launchChromium, WEB_DIR } from './browser-support.js';

const ARTIFACTS = process.env.CHECKERS_ARTIFACTS_DIR ?? join(temporaryDirectory(), 'artifacts');

async function siteFacts(server: TestServer): Promise<unknown> {
  const response = await fetch(`http://127.0.0.1:${server.port}/api/site`, { signal: AbortSignal.timeout(5000) });
  assert.equal(response.status, 200);
  return response.json();
}

/** The play page's login view says what the site is, mentions the demo accounts while they exist, and links to /rules. */
describe('the front page (login view of the play page)', () => {
  let server: TestServer;
  let browser: Browser | undefined;
  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    server = await startTestServer({ web: { staticDir: WEB_DIR } });
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function openFrontPage(): Promise<Page> {
    browser ??= await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
    page.setDefaultTimeout(10_000);
    const answered = page.waitForResponse((response) => response.url().endsWith('/api/site'));
    await page.goto(`http://127.0.0.1:${server.port}/`);
    await answered;
    await page.waitForFunction('document.readyState === "complete"');
    return page;
  }

  it('says in one line what the site is, names the demo accounts, and links to the rules', {
    skip: chromiumMissing(),
  }, async () => {
    assert.deepEqual(await siteFacts(server), { registration: 'closed', demoAccounts: true });
    const page = await openFrontPage();
    await page.getByText('Play checkers (English draughts) online against people or the computer.').waitFor();
    await page.locator('.demo-accounts', { hasText: 'cam / mac' }).waitFor();
    assert.match((await page.locator('.demo-accounts').textContent()) ?? '', /jen \/ nej/);
    await page.screenshot({ path: join(ARTIFACTS, 'front-page.png') });
    await page.getByRole('link', { name: 'The rules' }).click();
    await page.getByRole('heading', { name: 'Rules of checkers' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/rules');
    await page.close();
  });

  it('once the demo account cam is removed, the page no longer mentions demo accounts', {
    skip: chromiumMissing(),
  }, async () => {
    assert.equal(await server.store.removeAccount('cam'), true);
    assert.deepEqual(await siteFacts(server), { registration: 'closed', demoAccounts: false });
    const page = await openFrontPage();
    await page.getByText('against people or the computer').waitFor();
    assert.equal(await page.locator('.demo-accounts').isVisible(), false);
    await page.close();
  });
});
