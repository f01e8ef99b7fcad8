import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { chromiumMissing, launchChromium, WEB_DIR } from './browser-support.js';

async function siteFacts(server: TestServer): Promise<unknown> {
  const response = await fetch(`http://127.0.0.1:${server.port}/api/site`, { signal: AbortSignal.timeout(5000) });
  assert.equal(response.status, 200);
  return response.json();
}

describe('sign-up offered only where it is open (real servers, Chromium)', () => {
  let closed: TestServer;
  let open: TestServer;
  let browser: Browser | undefined;

  before(async () => {
    [closed, open] = await Promise.all([
      startTestServer({ web: { staticDir: WEB_DIR } }),
      startTestServer({ web: { staticDir: WEB_DIR }, community: { registration: 'open' } }),
    ]);
  });
  after(async () => {
    await browser?.close();
    await Promise.all([closed?.stop(), open?.stop()]);
  });

  it('GET /api/site says whether sign-up is open', async () => {
    assert.deepEqual(await siteFacts(closed), { registration: 'closed', demoAccounts: true });
    assert.deepEqual(await siteFacts(open), { registration: 'open', demoAccounts: true });
  });

  it('with sign-up closed the pages show no Sign up link, and /signup says so before any form', {
    skip: chromiumMissing(),
  }, async () => {
    browser = await launchChromium();
    const page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    // The link starts hidden and must stay hidden once the page has the server's answer.
    const answered = page.waitForResponse((response) => response.url().endsWith('/api/site'));
    await page.goto(`http://127.0.0.1:${closed.port}/rules`);
    await answered;
    await page.getByRole('heading', { name: 'Rules of checkers' }).waitFor();
    await page.waitForFunction('document.readyState === "complete"');
    assert.equal(await page.getByRole('link', { name: 'Sign up' }).count(), 0);
    await page.goto(`http://127.0.0.1:${closed.port}/signup`);
    await page.getByRole('alert').filter({ hasText: 'Sign-up is closed on this server' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Sign up' }).count(), 0);

    await page.goto(`http://127.0.0.1:${open.port}/rules`);
    await page.getByRole('link', { name: 'Sign up' }).waitFor();
  });

  it('the front page offers Sign up beside Log in only where sign-up is open', {
    skip: chromiumMissing(),
  }, async () => {
    browser ??= await launchChromium();
    const page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    const answered = page.waitForResponse((response) => response.url().endsWith('/api/site'));
    await page.goto(`http://127.0.0.1:${closed.port}/`);
    await answered;
    await page.getByRole('button', { name: 'Play as a guest' }).waitFor();
    await page.waitForFunction('document.readyState === "complete"');
    assert.equal(await page.getByRole('link', { name: 'Sign up' }).count(), 0);
    await page.goto(`http://127.0.0.1:${open.port}/`);
    await page.locator('.login').getByRole('link', { name: 'Sign up' }).waitFor();
    await page.close();
  });
});
