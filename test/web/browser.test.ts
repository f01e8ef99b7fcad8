import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, BrowserContextOptions, Locator, Page } from 'playwright-core';
import { moveByteOf } from '../../src/common/wire.js';
import { BLACK, type Color, type Position, WHITE } from '../../src/game/position.js';
import { bitOfSquare, squareNumber } from '../../src/game/squares.js';
import { legalSteps, newV1Game } from '../../src/game/v1.js';
import { type ArrowKey, neighbourByArrow } from '../../src/web/board/board-geometry.js';
import { addPlayers, TEST_PASSWORD } from '../support/accounts.js';
import { runPiped } from '../support/client-process.js';
import { RawClient } from '../support/raw-client.js';
import { startTestServer, type TestServer, temporaryDirectory } from '../support/test-server.js';
import { waitUntil } from '../support/wait.js';
import {
  chooseStep,
  chromiumMissing,
  clickStep,
  colourOf,
  launchChromium,
  logIn,
  nextToMove,
  offerOnlyVersion1,
  playTurn,
  readBoard,
  squareLocator,
  WEB_DIR,
} from './browser-support.js';

/** Where the test run leaves its screenshots (CHECKERS_ARTIFACTS_DIR, or a temporary directory). */
const ARTIFACTS = process.env.CHECKERS_ARTIFACTS_DIR ?? join(temporaryDirectory(), 'artifacts');

/**
 * The page against a server that offers only protocol version 1 (as a cluster node does): it falls back
 * to version 1 with a one-line notice, and plays as before version 2. Version 2 in the browser:
 * standard-browser.test.ts.
 */
describe('the web client in Chromium, falling back to protocol version 1', { skip: chromiumMissing() }, () => {
  let browser: Browser;
  let server: TestServer;
  let contexts: BrowserContext[] = [];
  let extra: string[] = [];
  /** Script errors and CSP violations any page reported. */
  const pageErrors: string[] = [];

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    [browser, server] = await Promise.all([launchChromium(), startTestServer({ web: { staticDir: WEB_DIR } })]);
    extra = await addPlayers(server.store, 'web', 6);
  });
  afterEach(async () => {
    await Promise.all(contexts.map((context) => context.close()));
    contexts = [];
    // The server's Content-Security-Policy forbids inline script and style: the client must need neither.
    assert.deepEqual(pageErrors.splice(0), []);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function newPage(options: BrowserContextOptions & { origin?: string } = {}): Promise<Page> {
    const { origin = `http://127.0.0.1:${server.port}`, ...contextOptions } = options;
    const context = await browser.newContext({ viewport: { width: 1000, height: 760 }, ...contextOptions });
    contexts.push(context);
    await offerOnlyVersion1(context);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) pageErrors.push(message.text());
    });
    await page.goto(`${origin}/`);
    return page;
  }

  function status(page: Page): Promise<string> {
    return text(page.getByRole('status'));
  }

  async function waitForStatus(page: Page, pattern: RegExp): Promise<void> {
    await waitUntil(async () => pattern.test(await status(page)), `status line matching ${pattern}`, 10_000);
  }

  async function waitForMyTurn(page: Page): Promise<void> {
    await page.locator('.board.your-turn').waitFor();
  }

  it('two browser players play a whole game by clicking, and see the ratings the store keeps', async () => {
    const cam = await newPage();
    const jen = await newPage();
    await logIn(cam, 'cam', 'mac');
    await cam.getByText('Waiting for an opponent').first().waitFor();
    assert.match(await text(cam.getByRole('note')), /^This server speaks only protocol version 1 /);
    assert.equal(await cam.getByRole('radio').count(), 0, 'no time control to choose in version 1');
    assert.equal(await text(cam.locator('.my-rating')), '1200');
    await logIn(jen, 'jen', 'nej');
    await waitForMyTurn(cam);
    assert.equal(await colourOf(cam), BLACK);
    assert.equal(await colourOf(jen), WHITE);
    assert.equal(
      await squareLocator(cam, bitOfSquare(11)).getAttribute('aria-label'),
      'square 11, black man, can move',
    );
    assert.equal(await cam.locator('[data-square]').count(), 32);
    assert.equal(await cam.locator('[data-piece="black-man"]').count(), 12);
    assert.match(await text(cam.locator('.player.opponent')), /jen · rating 1200/);
    let plies = 0;
    let screenshot: string | undefined;
    for (; plies < 200; plies++) {
      const page = await nextToMove([cam, jen]);
      if (!page) break;
      if (page === cam && plies >= 6 && !screenshot) {
        // Mid-game, a piece picked up and its destinations shown, square numbers on: the README's picture.
        await cam.getByLabel('Show square numbers').check();
        const step = chooseStep(await readBoard(cam), BLACK, 'keep');
        await squareLocator(cam, step.from).click();
        await cam.locator('.board:not(.animating) .square.target').first().waitFor();
        screenshot = join(ARTIFACTS, 'board.png');
        await cam.screenshot({ path: screenshot });
        await squareLocator(cam, step.to).click();
        continue;
      }
      await playTurn(page, page === cam ? 'keep' : 'feed');
    }
    assert.ok(plies < 200, 'the game ended');
    assert.ok(screenshot && existsSync(screenshot), 'the screenshot of the board mid-game was saved');
    assert.match(await text(cam.locator('.game-over .result')), /You won/);
    assert.match(await text(jen.locator('.game-over .result')), /You lost/);
    assert.match(await text(jen.locator('.game-over .how')), /You have no (pieces|move) left/);
    assert.match(await status(jen), /^You lost: you have no (pieces|move) left\.$/);
    assert.equal(await cam.getByLabel('Type a move').isVisible(), false, 'no move to type after the game');
    for (const [page, name] of [
      [cam, 'cam'],
      [jen, 'jen'],
    ] as const) {
      const stored = Math.round((await server.store.findAccount(name))?.rating.rating ?? Number.NaN);
      assert.notEqual(stored, 1200);
      assert.match(await text(page.locator('.rating-change')), new RegExp(`^Rating 1200 → ${stored} `));
    }
    const moves = await cam.locator('.moves li').allInnerTexts();
    assert.ok(moves.length >= 3);
    assert.match(moves[0] ?? '', /^\d+-\d+ \d+-\d+$/);
    await cam.getByRole('button', { name: 'Play again' }).click();
    await cam.getByText('Waiting for an opponent').first().waitFor();
  });

  it('explains a wrong password, an unknown name and an account already logged in', async () => {
    const page = await newPage();
    await logIn(page, 'kain', 'wrong');
    await page.getByText('Wrong password. Check it and try again.').waitFor();
    await logIn(page, 'nobody', 'x');
    await page.getByText('There is no account with that name.').waitFor();
    const elsewhere = await RawClient.connect(server.port);
    try {
      await elsewhere.login('andrei', 'ierdna');
      await logIn(page, 'andrei', 'ierdna');
      await page.getByText('That account is already logged in elsewhere.').waitFor();
      assert.equal(await page.evaluate('sessionStorage.length + localStorage.length + document.cookie.length'), 0);
    } finally {
      elsewhere.close();
    }
  });

  it('a browser player meets a raw version-1 client over TCP, moving by typing, by keyboard focus and by dragging', async () => {
    const raw = await RawClient.connect(server.port);
    try {
      await raw.login('neil', 'lien');
      const page = await newPage();
      await logIn(page, 'safa', 'afas');
      await raw.expect('GameStart');
      const first = await raw.expect('YourTurn');
      assert.equal(first.lastMove, 0);
      raw.send({ type: 'MakeMove', move: moveByteOf(bitOfSquare(11), 0) });
      await waitForMyTurn(page);
      assert.equal(await colourOf(page), WHITE);
      assert.match(await status(page), /neil moved 11-15\. Your move/);
      // Typed: the move input.
      await page.getByLabel('Type a move').fill('22x15');
      await page.getByRole('button', { name: 'Play move' }).click();
      await page.getByText('the server plays every capture for you').waitFor();
      await page.getByLabel('Type a move').fill('23-19');
      await page.getByLabel('Type a move').press('Enter');
      const afterTyped = await raw.expect('YourTurn');
      assert.equal(afterTyped.lastMove, moveByteOf(bitOfSquare(23), 3));
      raw.send({ type: 'MakeMove', move: moveByteOf(bitOfSquare(9), 0) });
      await waitForMyTurn(page);
      // Keyboard: arrows move the focus over the squares, Enter picks up and drops.
      const keyStep = chooseStep(await readBoard(page), WHITE, 'keep');
      await squareLocator(page, keyStep.from).focus();
      await page.keyboard.press('Enter');
      for (const key of arrowPath(keyStep.from, keyStep.to, WHITE)) await page.keyboard.press(key);
      assert.equal(await page.evaluate('document.activeElement.dataset.square'), String(squareNumber(keyStep.to)));
      await page.keyboard.press(' ');
      const afterKeys = await raw.expect('YourTurn');
      assert.notEqual(afterKeys.lastMove, 0);
      const rawStep = firstStep(await readBoard(page), BLACK);
      raw.send({ type: 'MakeMove', move: rawStep });
      await waitForMyTurn(page);
      // Drag: press on a piece, move over its destination, release.
      const dragStep = chooseStep(await readBoard(page), WHITE, 'keep');
      const from = await squareLocator(page, dragStep.from).boundingBox();
      const to = await squareLocator(page, dragStep.to).boundingBox();
      assert.ok(from && to);
      await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
      await page.mouse.down();
      await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 5 });
      await page.mouse.up();
      const afterDrag = await raw.next(['QueuePosition', 'CompulsoryMove']);
      assert.equal(afterDrag.type, 'YourTurn');
      const moves = await page.locator('.moves li').allInnerTexts();
      assert.deepEqual(moves.slice(0, 2), [
        '11-15 23-19',
        `9-13 ${squareNumber(keyStep.from)}-${squareNumber(keyStep.to)}`,
      ]);
      raw.send({ type: 'LogOut' });
      await page.getByText('You won: neil left the game.').waitFor();
    } finally {
      raw.close();
    }
  });

  it("shows the server's forced jumps one after another, each animated, and lists them in notation", async () => {
    const raw = await RawClient.connect(server.port);
    try {
      await raw.login(extra[2] ?? '', TEST_PASSWORD);
      const page = await newPage();
      await logIn(page, extra[3] ?? '', TEST_PASSWORD);
      await raw.expect('GameStart');
      await raw.expect('YourTurn');
      raw.send({ type: 'MakeMove', move: moveByteOf(bitOfSquare(11), 0) });
      await waitForMyTurn(page);
      await page.locator('.board:not(.animating)').waitFor();
      // Record every square the board marks as "last move to", and whether it animated.
      await page.evaluate(`
        window.marked = [];
        window.animated = 0;
        new MutationObserver(() => {
          const square = document.querySelector('.board .last-to')?.dataset.square;
          if (square && window.marked.at(-1) !== square) window.marked.push(square);
          if (document.querySelector('.board.animating')) window.animated += 1;
        }).observe(document.querySelector('.board'), { subtree: true, attributes: true, attributeFilter: ['class'] });
      `);
      // 22-18 offers a piece: the server jumps 15x22 for Black, then 25x18 or 26x17 for White.
      await clickStep(page, { from: bitOfSquare(22), to: bitOfSquare(18) });
      await raw.expect('CompulsoryMove');
      await raw.expect('CompulsoryMove');
      await raw.expect('YourTurn');
      await waitUntil(async () => (await page.locator('.moves li').count()) === 2, 'both rows of moves', 5000);
      await page.locator('.board:not(.animating)').waitFor();
      const marked = (await page.evaluate('window.marked')) as string[];
      const [, secondJump] = /^15x22 (25x18|26x17)$/.exec(await text(page.locator('.moves li').nth(1))) ?? [];
      assert.ok(secondJump, 'the second row holds both jumps');
      assert.deepEqual(marked.slice(-3), ['18', '22', secondJump.split('x')[1]]);
      assert.ok(((await page.evaluate('window.animated')) as number) > 0, 'the jumps were animated');
      assert.match(await status(page), /jumped for .*: 15x22\. .*jumped for you: (25x18|26x17)/s);
    } finally {
      raw.close();
    }
  });

  it('a browser player meets our terminal client', async () => {
    // This browser page speaks version 1, and players of different versions are never paired.
    const terminal = runPiped(['--host', '127.0.0.1', '--port', String(server.port), '--protocol', '1']);
    try {
      terminal.type('colbert', 'trebloc');
      await terminal.waitFor(/Waiting for an opponent/);
      const page = await newPage();
      await logIn(page, 'khanh', 'hnahk');
      const shown = await terminal.waitFor(/Your move, Black\. Legal: (.+)\n/);
      const legal = /Your move, Black\. Legal: (.+)\n/.exec(shown)?.[1]?.split(' ') ?? [];
      terminal.type(legal[0] ?? '');
      await waitForMyTurn(page);
      assert.match(await status(page), new RegExp(`colbert moved ${legal[0]}\\. Your move`));
      const answer = await playTurn(page, 'keep');
      await terminal.waitFor(new RegExp(`khanh moved ${answer}|${answer}`));
      terminal.type('quit', 'y');
      await page.getByText('You won: colbert left the game.').waitFor();
      assert.equal(await terminal.exited, 0);
    } finally {
      terminal.child.kill();
    }
  });

  it('a dropped connection during a game reconnects by itself and the game goes on', async () => {
    const dropped = await browser.newContext({ viewport: { width: 1000, height: 760 } });
    contexts.push(dropped);
    // The page's /play WebSocket runs through Playwright, which can cut it as a network failure would.
    const cuts: Array<() => Promise<void>> = [];
    await offerOnlyVersion1(dropped, (cut) => cuts.push(cut));
    const black = await dropped.newPage();
    black.on('pageerror', (error) => pageErrors.push(error.message));
    await black.goto(`http://127.0.0.1:${server.port}/`);
    await logIn(black, extra[4] ?? '', TEST_PASSWORD);
    await black.getByText('Waiting for an opponent').first().waitFor();
    const white = await newPage();
    await logIn(white, extra[5] ?? '', TEST_PASSWORD);
    for (let i = 0; i < 2; i++) {
      const page = await nextToMove([black, white]);
      assert.ok(page);
      await playTurn(page, 'keep');
    }
    await waitForMyTurn(black);
    const before = await readBoard(black);
    assert.equal(cuts.length, 1);
    await cuts[0]?.();
    await waitUntil(() => cuts.length === 2, 'the page opening a new connection', 10_000);
    await waitForMyTurn(black);
    assert.deepEqual(await readBoard(black), before);
    // Version 1 needs the password to log in again: the page kept it in memory, never in the browser's storage.
    assert.equal(await black.evaluate('sessionStorage.length + localStorage.length + document.cookie.length'), 0);
    await playTurn(black, 'keep');
    await waitForMyTurn(white);
  });

  it('works over HTTPS with the self-signed certificate, at phone width, in the dark theme; leaves and rejoins the queue', async () => {
    const secure = await startTestServer({ tls: true, web: { staticDir: WEB_DIR } });
    try {
      await addPlayers(secure.store, 'tls', 1);
      const page = await newPage({
        origin: `https://localhost:${secure.port}`,
        ignoreHTTPSErrors: true,
        viewport: { width: 375, height: 720 },
        colorScheme: 'dark',
        isMobile: true,
        hasTouch: true,
      });
      await logIn(page, 'tls1', TEST_PASSWORD);
      await page.getByText('Waiting for an opponent').first().waitFor();
      await page.getByRole('button', { name: 'Leave the queue' }).click();
      await waitForStatus(page, /You left the queue/);
      await page.getByRole('button', { name: 'Join the queue' }).click();
      await page.getByText('Waiting for an opponent').first().waitFor();
      const raw = await RawClient.connect(secure.port);
      try {
        await raw.login('cam', 'mac');
        await page.locator('.board').waitFor();
        await raw.expect('GameStart');
        await waitForMyTurn(page);
        await page.locator('.board:not(.animating)').waitFor();
        const width = (await page.evaluate('document.documentElement.scrollWidth')) as number;
        assert.ok(width <= 375, `no sideways scrolling at phone width (${width} px)`);
        const box = await page.locator('.board').boundingBox();
        assert.ok(box && box.width >= 300 && box.width <= 375);
        const background = await page.evaluate('getComputedStyle(document.body).backgroundColor');
        assert.equal(background, 'rgb(22, 24, 27)');
        await page.screenshot({ path: join(ARTIFACTS, 'phone-dark.png') });
        const step = chooseStep(await readBoard(page), await colourOf(page), 'keep');
        await squareLocator(page, step.from).tap();
        await squareLocator(page, step.to).tap();
        const reply = await raw.next(['QueuePosition', 'CompulsoryMove']);
        assert.equal(reply.type, 'YourTurn');
      } finally {
        raw.close();
      }
    } finally {
      await Promise.all(contexts.map((context) => context.close()));
      contexts = [];
      await secure.stop();
    }
  });
});

async function text(locator: Locator): Promise<string> {
  return (await locator.textContent()) ?? '';
}

/** The arrow keys that move keyboard focus from one square to another as drawn with `bottom` at the bottom. */
function arrowPath(from: number, to: number, bottom: Color): ArrowKey[] {
  const keys: ArrowKey[] = ['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight'];
  const paths = new Map<number, ArrowKey[]>([[from, []]]);
  const queue = [from];
  for (let square = queue.shift(); square !== undefined; square = queue.shift()) {
    const path = paths.get(square) ?? [];
    if (square === to) return path;
    for (const key of keys) {
      const next = neighbourByArrow(square, key, bottom);
      if (!paths.has(next)) {
        paths.set(next, [...path, key]);
        queue.push(next);
      }
    }
  }
  throw new Error(`no arrow path from ${from} to ${to}`);
}

/** The wire byte of the first legal step of `color`. */
function firstStep(position: Position, color: Color): number {
  const step = legalSteps(newV1Game({ ...position, turn: color }))[0];
  if (!step) throw new Error('no legal step');
  return moveByteOf(step.from, step.direction);
}
