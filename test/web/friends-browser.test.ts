import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { addPlayers, TEST_PASSWORD } from '../support/accounts.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { chromiumMissing, launchChromium, logIn, myTurnOrOver, squareLocator, WEB_DIR } from './browser-support.js';

/** Where the screenshots a person looks at go (issue 26 asks for the front page, a computer game and an invite). */
const SHOTS = process.env.CHECKERS_SHOTS_DIR ?? '/work/tmp/shots-web';
const BOT = 'checkers-bot';

/**
 * Guests, the computer with hints, invite links and challenges in Chromium,
 * against a real server (real SQLite, real house bot): the done-when of issue 26.
 */
/**
 * The WCAG contrast ratio of an element's text against the background it is
 * drawn on (its own, or the nearest ancestor's that is not transparent), and
 * that background's relative luminance.
 */
async function contrastOf(element: Locator): Promise<{ ratio: number; background: number }> {
  return element.evaluate((start) => {
    // The test's TypeScript has no DOM types: the little of it used here.
    type Styled = { readonly parentElement: Styled | null };
    const styleOf = (node: Styled) =>
      (
        globalThis as unknown as { getComputedStyle(node: Styled): { color: string; backgroundColor: string } }
      ).getComputedStyle(node);
    const channels = (css: string) => (css.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = (css: string) => {
      const [r = 0, g = 0, b = 0] = channels(css).map((value) => {
        const c = value / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    let behind: Styled | null = start as unknown as Styled;
    let background = 'rgb(255, 255, 255)';
    while (behind) {
      const css = styleOf(behind).backgroundColor;
      const alpha = channels(css)[3];
      if (css !== 'transparent' && alpha !== 0) {
        background = css;
        break;
      }
      behind = behind.parentElement;
    }
    const [lighter, darker] = [luminance(styleOf(start as unknown as Styled).color), luminance(background)].sort(
      (a, b) => b - a,
    );
    return { ratio: ((lighter ?? 0) + 0.05) / ((darker ?? 0) + 0.05), background: luminance(background) };
  });
}

describe('guests, the computer, invite links and challenges in Chromium', { skip: chromiumMissing() }, () => {
  let browser: Browser;
  let server: TestServer;
  const contexts: BrowserContext[] = [];

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    [browser, server] = await Promise.all([
      launchChromium(),
      startTestServer({
        web: { staticDir: WEB_DIR },
        houseBot: { name: BOT, maxGames: 2, pauseMs: [0, 2], threads: 1 },
      }),
    ]);
  });
  after(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.stop();
  });

  async function openPage(
    path: string,
    width = 1100,
    height = 900,
    colorScheme: 'light' | 'dark' = 'light',
  ): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({ viewport: { width, height }, colorScheme });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`http://127.0.0.1:${server.port}${path}`);
    return { page, errors };
  }

  it('a guest beats level 1 of the computer from the front page, playing the hints', async () => {
    const { page, errors } = await openPage('/');
    await page.getByRole('button', { name: 'Play as a guest' }).waitFor();
    await page.screenshot({ path: join(SHOTS, 'front-page.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(SHOTS, 'front-page-phone.png'), fullPage: true });
    await page.setViewportSize({ width: 1100, height: 900 });
    assert.equal(await page.getByLabel(/Rated/).isVisible(), false, 'no rated choice before logging in');
    await page.getByRole('button', { name: 'Join the queue' }).click();
    await page.locator('#status', { hasText: 'Log in with your account to join the queue' }).waitFor();
    assert.equal(await page.evaluate('document.activeElement?.id'), 'username', 'the login form is next');
    await page.getByRole('radio', { name: /^10\+5/ }).check();
    await page.getByLabel('Your colour').selectOption('black');
    await page.getByRole('button', { name: 'Play the computer' }).click();
    await page.locator('.opponent-row', { hasText: BOT }).waitFor();
    await page.locator('.me-row .guest-mark').waitFor();
    const guest = ((await page.locator('.me-row').textContent()) ?? '').match(/guest-\d{5}/)?.[0];
    assert.ok(guest, 'the guest plays under a name the server made');
    let moves = 0;
    for (; moves < 100; moves++) {
      if ((await myTurnOrOver(page)) === 'over') break;
      await page.getByRole('button', { name: 'Hint' }).click();
      const hint = page.locator('button.hint[data-hint]');
      await hint.waitFor();
      const text = (await hint.getAttribute('data-hint')) ?? '';
      assert.match(text, /^\d+([-x]\d+)+$/);
      assert.equal((await page.locator('.board .square.hint').count()) >= 2, true, 'the hint is on the board');
      if (moves === 3) {
        await page.screenshot({ path: join(SHOTS, 'computer-game.png') });
        await page.setViewportSize({ width: 390, height: 844 });
        await page.screenshot({ path: join(SHOTS, 'computer-game-phone.png'), fullPage: true });
        await page.setViewportSize({ width: 1100, height: 900 });
      }
      for (const square of text.split(/[-x]/).map(Number)) await squareLocator(page, square - 1).click();
    }
    await page.locator('.game-over .result').waitFor();
    await page.screenshot({ path: join(SHOTS, 'computer-over.png') });
    assert.equal(await page.locator('.game-over .result').textContent(), 'You won');
    assert.match(
      (await page.locator('.game-over .hints-used').textContent()) ?? '',
      new RegExp(`^${moves} hints? used`),
    );
    assert.match((await page.locator('.game-over .rating-change').textContent()) ?? '', /guests have no rating/);
    assert.equal(await page.locator('.game-over').getByRole('button', { name: 'Play again' }).count(), 0, 'no queue');
    await page.getByRole('button', { name: 'Choose another game' }).click();
    await page.getByRole('button', { name: 'Create an invite link' }).waitFor();
    assert.equal(await page.locator('.game').isVisible(), false, 'the choices replace the finished game');
    const record = (await server.store.listGames({ user: guest })).at(-1);
    assert.equal(record?.black.name, guest);
    assert.equal(record?.white.name, BOT);
    assert.equal(record?.winner, 'black');
    assert.deepEqual(errors, []);
  });

  it('an invite link made in one browser context and opened in another starts a game between them', async () => {
    const [maker = ''] = await addPlayers(server.store, 'inviter', 1);
    const { page: host, errors } = await openPage('/');
    await logIn(host, maker, TEST_PASSWORD);
    await host.getByRole('button', { name: 'Create an invite link' }).waitFor();
    await host.getByLabel('Your colour').selectOption('white');
    await host.getByRole('button', { name: 'Create an invite link' }).click();
    const field = host.getByLabel('Invite link');
    await field.waitFor();
    const link = await field.inputValue();
    assert.match(link, new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/invite/[0-9a-f]{32}$`));
    await host.locator('.open-offer .countdown', { hasText: /^(10:00|9:5\d)$/ }).waitFor();
    await host.screenshot({ path: join(SHOTS, 'invite-made.png'), fullPage: true });

    const { page: friend } = await openPage(new URL(link).pathname);
    await friend.getByRole('heading', { name: 'You are invited to a game of checkers' }).waitFor();
    await friend.screenshot({ path: join(SHOTS, 'invite-opened.png'), fullPage: true });
    await friend.getByRole('button', { name: 'Play as a guest' }).click();
    await friend.locator('.opponent-row', { hasText: maker }).waitFor();
    await host.locator('.opponent-row .guest-mark').waitFor();
    assert.equal(new URL(friend.url()).pathname, '/', 'the game plays on the play page');
    assert.equal(
      await host.locator('.board').getAttribute('data-bottom'),
      'white',
      'the maker plays the colour chosen',
    );
    assert.equal(await friend.locator('.board').getAttribute('data-bottom'), 'black');
    await friend.screenshot({ path: join(SHOTS, 'invite-game.png') });
    // A link works once: a third visitor is told so in words.
    const { page: late } = await openPage(new URL(link).pathname);
    await late.getByRole('button', { name: 'Play as a guest' }).click();
    await late.locator('.friends-notice', { hasText: 'That invite is unknown, already used or expired' }).waitFor();
    assert.deepEqual(errors, []);
  });

  it('a challenge by name declined, then one accepted (the one challenged sees it in the dark theme, readable)', async () => {
    const [cam = '', jen = ''] = await addPlayers(server.store, 'challenger', 2);
    const { page: first } = await openPage('/');
    const { page: second } = await openPage('/', 1100, 900, 'dark');
    await logIn(first, cam, TEST_PASSWORD);
    await logIn(second, jen, TEST_PASSWORD);
    await first.getByLabel('Challenge a player by name').waitFor();
    await second.getByLabel('Challenge a player by name').waitFor();

    await first.getByLabel('Challenge a player by name').fill(jen);
    await first.getByRole('button', { name: 'Challenge', exact: true }).click();
    const offer = second.locator('.challenge-offer', { hasText: cam });
    await offer.waitFor();
    await second.screenshot({ path: join(SHOTS, 'challenge-offered-dark.png'), fullPage: true });
    for (const part of [offer, offer.getByRole('button', { name: 'Accept' }), second.locator('.offers')]) {
      const { ratio, background } = await contrastOf(part);
      assert.ok(ratio >= 4.5, `contrast ${ratio.toFixed(2)} of ${await part.evaluate((e) => e.className)}`);
      assert.ok(background < 0.2 || part !== offer, `the offer's background is dark: luminance ${background}`);
    }
    await offer.getByRole('button', { name: 'Decline' }).click();
    await first.locator('.friends-notice', { hasText: `${jen} declined your challenge.` }).waitFor();
    assert.equal(await offer.count(), 0);

    await second.getByLabel('Challenge a player by name').fill(cam);
    await second.getByRole('button', { name: 'Challenge', exact: true }).click();
    const back = first.locator('.challenge-offer', { hasText: jen });
    await back.waitFor();
    await back.getByRole('button', { name: 'Accept' }).click();
    await first.locator('.opponent-row', { hasText: jen }).waitFor();
    await second.locator('.opponent-row', { hasText: cam }).waitFor();
  });
});
