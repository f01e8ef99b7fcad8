import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { addPlayers } from '../support/accounts.js';
import { RawClient } from '../support/raw-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { loginV2, seek } from '../support/v2-game.js';
import { chromiumMissing, launchChromium, logIn, WEB_DIR } from './browser-support.js';

/* "Waiting now" on the play page: a version-2 seeker appears, on the login view and in the lobby, and goes when they leave. */

describe('the play page lists who is waiting (real server, Chromium)', { skip: chromiumMissing() }, () => {
  let server: TestServer;
  let browser: Browser | undefined;
  let seeker: RawClient | undefined;

  before(async () => {
    server = await startTestServer({ web: { staticDir: WEB_DIR } });
  });
  after(async () => {
    seeker?.close();
    await browser?.close();
    await server.stop();
  });

  it('shows a waiting player before and after login, and empties when they leave the queue', async () => {
    browser = await launchChromium();
    const page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`http://127.0.0.1:${server.port}/`);
    const waiting = page.getByRole('region', { name: 'Waiting now' });
    await waiting.getByText('Nobody is waiting right now.').waitFor();

    const [name = ''] = await addPlayers(server.store, 'lobbyseek', 1);
    seeker = await RawClient.connectV2(server.port);
    const loggedIn = await loginV2(seeker, name);
    await seek(seeker, 180, 2);
    const line = waiting.getByRole('listitem').filter({ hasText: name });
    await line.filter({ hasText: `(${loggedIn.rating}) · 3+2 · waiting` }).waitFor();

    await logIn(page, 'cam', 'mac');
    await page.getByRole('region', { name: 'Lobby' }).waitFor();
    await line.waitFor();

    seeker.send({ type: 'LeaveQueue' });
    await waiting.getByText('Nobody is waiting right now.').waitFor();
    await line.waitFor({ state: 'detached' });
  });
});
