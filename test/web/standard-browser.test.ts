import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, BrowserContextOptions, Locator, Page } from 'playwright-core';
import { BLACK, type Color, INITIAL_POSITION, type Position, piecesOf, WHITE } from '../../src/game/position.js';
import { applyMove, legalMoves, type Move } from '../../src/game/standard.js';
import { pathText } from '../../src/web/play/path-text.js';
import { addPlayers, TEST_PASSWORD } from '../support/accounts.js';
import { ManualClock } from '../support/manual-clock.js';
import { startTestServer, type TestServer, temporaryDirectory } from '../support/test-server.js';
import { waitUntil } from '../support/wait.js';
import {
  chromiumMissing,
  colourOf,
  launchChromium,
  logIn,
  logInAndWait,
  readBoard,
  squareLocator,
  WEB_DIR,
} from './browser-support.js';
import { firstCaptureChoice, firstPathFork } from './standard-support.js';

/** Where the test run leaves its screenshots (CHECKERS_ARTIFACTS_DIR, or a temporary directory). */
const ARTIFACTS = process.env.CHECKERS_ARTIFACTS_DIR ?? join(temporaryDirectory(), 'artifacts');

/** Standard rules (protocol version 2) in the browser: captures chosen by clicking, draws, resignation, rematch, clocks. */
describe('standard games (protocol version 2) in Chromium', { skip: chromiumMissing() }, () => {
  let browser: Browser;
  let server: TestServer;
  let contexts: BrowserContext[] = [];
  let names: string[] = [];
  const pageErrors: string[] = [];

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    [browser, server] = await Promise.all([launchChromium(), startTestServer({ web: { staticDir: WEB_DIR } })]);
    names = await addPlayers(server.store, 'std', 16);
  });
  afterEach(async () => {
    await Promise.all(contexts.map((context) => context.close()));
    contexts = [];
    assert.deepEqual(pageErrors.splice(0), []);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function newPage(port: number, options: BrowserContextOptions = {}): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1000, height: 820 }, ...options });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) pageErrors.push(message.text());
    });
    await page.goto(`http://127.0.0.1:${port}/`);
    return page;
  }

  /** Two players logged in, both in the 3+2 queue, until their game starts; returns them as [black, white]. */
  async function pair(
    port: number,
    first: string,
    second: string,
    clock?: ManualClock,
    options: BrowserContextOptions = {},
  ): Promise<[Page, Page]> {
    const pages = [await newPage(port, options), await newPage(port, options)] as const;
    for (const [page, name] of [
      [pages[0], first],
      [pages[1], second],
    ] as const) {
      await logInAndWait(page, name, TEST_PASSWORD);
      await page.getByRole('radio', { name: /^3\+2/ }).check();
      await page.getByRole('button', { name: 'Join the queue' }).click();
      await page.getByText('Waiting for an opponent').first().waitFor();
    }
    await waitUntil(
      async () => {
        clock?.advance(1000);
        return (await pages[0].locator('.board').isVisible()) && (await pages[1].locator('.board').isVisible());
      },
      'both pages showing the board',
      10_000,
    );
    return (await colourOf(pages[0])) === BLACK ? [pages[0], pages[1]] : [pages[1], pages[0]];
  }

  async function bothClocksShown(page: Page): Promise<void> {
    assert.equal(await page.getByRole('timer').count(), 2);
    assert.ok(await page.getByRole('timer', { name: 'Your clock' }).isVisible());
    assert.ok(await page.getByRole('timer', { name: "Opponent's clock" }).isVisible());
  }

  /** Plays `move` on `page` by clicking the piece, then each landing in order. */
  async function clickPath(page: Page, move: Move): Promise<void> {
    await page.locator('.board.your-turn:not(.animating)').waitFor();
    await squareLocator(page, move.from).click();
    for (const landing of move.path) await squareLocator(page, landing).click();
  }

  it('one side chooses between two different captures by clicking; the other side sees the one chosen', async () => {
    const [black, white] = await pair(server.port, names[0] ?? '', names[1] ?? '');
    const choice = firstCaptureChoice();
    let position: Position = INITIAL_POSITION;
    for (const [index, move] of choice.sequence.entries()) {
      const mover = position.turn === BLACK ? black : white;
      if (index === 0) {
        // The first move typed in notation, the others clicked.
        await mover.locator('.board.your-turn').waitFor();
        await mover.getByLabel('Type a move').fill(pathText(move));
        await mover.getByLabel('Type a move').press('Enter');
      } else {
        await clickPath(mover, move);
      }
      position = applyMove(position, move);
    }
    const chooser = position.turn === BLACK ? black : white;
    const watcher = chooser === black ? white : black;
    await chooser.locator('.board.your-turn:not(.animating)').waitFor();
    assert.equal(await chooser.title(), 'Your move · Checkers');
    assert.notEqual(await watcher.title(), 'Your move · Checkers');
    await bothClocksShown(chooser);
    await bothClocksShown(watcher);
    assert.ok(await chooser.locator('.clock.mine').isVisible(), 'the own clock is marked');
    // Not the rules' first capture: a real choice, and the other one takes a different piece.
    const chosen = choice.captures.at(-1) as Move;
    const other = choice.captures.find((move) => move.captured !== chosen.captured) as Move;
    assert.ok(other);
    await chooser.getByLabel('Show square numbers').check();
    await squareLocator(chooser, chosen.from).click();
    const targets = await chooser
      .locator('.board .square.target')
      .evaluateAll((squares) => squares.map((square) => Number(square.getAttribute('data-square'))));
    const firstLandings = choice.captures
      .filter((move) => move.from === chosen.from)
      .map((move) => (move.path[0] ?? 0) + 1);
    assert.deepEqual(targets.sort(), [...new Set(firstLandings)].sort());
    await chooser.screenshot({ path: join(ARTIFACTS, 'standard-capture-choice.png') });
    // A typed step is refused in words while a capture is compulsory.
    await chooser.getByLabel('Type a move').fill('12-16');
    await chooser.getByLabel('Type a move').press('Enter');
    await chooser.getByText(/^Cannot play that: 12-16 is not a legal move here: a capture is compulsory/).waitFor();
    for (const landing of chosen.path) await squareLocator(chooser, landing).click();
    const after = applyMove(position, chosen);
    await waitUntil(
      async () => samePieces(await readBoard(watcher), after),
      'the watcher’s board showing the capture chosen',
      10_000,
    );
    assert.equal(samePieces(await readBoard(watcher), applyMove(position, other)), false);
    const moves = await watcher.locator('.moves li').allInnerTexts();
    assert.match(moves.at(-1) ?? '', new RegExp(pathText(chosen)));
    assert.match(await text(watcher.getByRole('status')), new RegExp(`played ${pathText(chosen)}`));
    // Flipping the board turns the squares, the edge coordinates and the players' rows round.
    const bottomBefore = await colourOf(watcher);
    const cornerBefore = await text(watcher.locator('.board .coordinate.file').first());
    await watcher.getByRole('button', { name: 'Flip board' }).click();
    assert.notEqual(await colourOf(watcher), bottomBefore);
    assert.equal(await text(watcher.locator('.board .coordinate.file').first()), cornerBefore === 'a' ? 'h' : 'a');
    const ownRow = await watcher.locator('.me-row').boundingBox();
    const board = await watcher.locator('.board').boundingBox();
    assert.ok(ownRow && board && ownRow.y < board.y, 'the own row above the board once flipped');
    assert.ok(samePieces(await readBoard(watcher), after), 'the same position, seen from the other side');
  });

  it('a capture path that forks is chosen square by square, the continuations marked after each landing', async () => {
    const [black, white] = await pair(server.port, names[10] ?? '', names[11] ?? '');
    const fork = firstPathFork();
    let position: Position = INITIAL_POSITION;
    for (const move of fork.sequence) {
      await clickPath(position.turn === BLACK ? black : white, move);
      position = applyMove(position, move);
    }
    const chooser = position.turn === BLACK ? black : white;
    const watcher = chooser === black ? white : black;
    const [, chosen] = fork.paths;
    await chooser.locator('.board.your-turn:not(.animating)').waitFor();
    const marked = () =>
      chooser
        .locator('.board .square.target')
        .evaluateAll((squares) =>
          squares.map((square) => Number(square.getAttribute('data-square'))).sort((a, b) => a - b),
        );
    await squareLocator(chooser, chosen.from).click();
    assert.deepEqual(await marked(), [(chosen.path[0] ?? 0) + 1]);
    await squareLocator(chooser, chosen.path[0] ?? 0).click();
    const continuations = fork.paths.map((path) => (path.path[1] ?? 0) + 1).sort((a, b) => a - b);
    assert.deepEqual(await marked(), continuations, 'both continuations marked after the first landing');
    assert.match(
      (await squareLocator(chooser, chosen.path[1] ?? 0).getAttribute('aria-label')) ?? '',
      /the capture can go on here/,
    );
    await chooser.screenshot({ path: join(ARTIFACTS, 'standard-path-fork.png') });
    // The rest of the path by keyboard: Enter on each landing square.
    for (const landing of chosen.path.slice(1)) {
      await squareLocator(chooser, landing).focus();
      await chooser.keyboard.press('Enter');
    }
    const after = applyMove(position, chosen);
    await waitUntil(
      async () => samePieces(await readBoard(watcher), after),
      'the watcher’s board after the path chosen',
      10_000,
    );
    assert.match((await watcher.locator('.moves li').allInnerTexts()).at(-1) ?? '', new RegExp(`${pathText(chosen)}$`));
  });

  it('a whole standard game by clicking; the result panel shows only after the last move has been animated', async () => {
    const [black, white] = await pair(server.port, names[8] ?? '', names[9] ?? '');
    // Each page notes whether its result panel was ever visible while the board was still animating.
    for (const page of [black, white]) {
      await page.evaluate(`
        window.panelWhileAnimating = false;
        new MutationObserver(() => {
          const panel = document.querySelector('.game-over');
          if (panel && !panel.hidden && document.querySelector('.board.animating')) window.panelWhileAnimating = true;
        }).observe(document.body, { subtree: true, attributes: true, childList: true });
      `);
    }
    let plies = 0;
    for (; plies < 300; plies++) {
      const mover = await nextMover([black, white]);
      if (!mover) break;
      const color: Color = mover === black ? BLACK : WHITE;
      const position = { ...(await readBoard(mover)), turn: color };
      await clickPath(mover, chooseMove(position, color, mover === black ? 'keep' : 'feed'));
    }
    assert.ok(plies < 300, 'the game ended');
    await black.locator('.game-over .result').waitFor();
    await white.locator('.game-over .result').waitFor();
    assert.equal(await text(black.locator('.game-over .result')), 'You won');
    assert.match(await text(white.locator('.game-over .how')), /^You have no (pieces|move) left\.$/);
    for (const page of [black, white]) {
      assert.equal(await page.evaluate('window.panelWhileAnimating'), false, 'no result panel over a moving piece');
    }
    const game = (await server.store.listGames()).at(-1);
    assert.equal(game?.winner, 'black');
    assert.equal(game?.rules, 'standard');
    assert.ok((game?.moves.length ?? 0) >= plies / 2);
  });

  it('a draw offered and accepted ends the game as a draw by agreement, recorded with both ratings', async () => {
    const [black, white] = await pair(server.port, names[2] ?? '', names[3] ?? '');
    await black.locator('.board.your-turn').waitFor();
    await black.getByRole('button', { name: 'Offer draw' }).click();
    assert.equal(await black.getByRole('button', { name: 'Offer draw' }).isDisabled(), true);
    await white.getByRole('button', { name: 'Accept draw' }).waitFor();
    assert.ok(await white.getByRole('button', { name: 'Decline draw' }).isVisible());
    await white.getByRole('button', { name: 'Accept draw' }).click();
    for (const page of [black, white]) {
      await page.locator('.game-over .result').waitFor();
      assert.equal(await text(page.locator('.game-over .result')), 'Draw');
      assert.equal(await text(page.locator('.game-over .how')), 'Drawn by agreement.');
      assert.match(await text(page.locator('.rating-change')), /^Rating \d+ → \d+ /);
    }
    const game = (await server.store.listGames()).at(-1);
    assert.equal(game?.termination, 'draw-agreed');
    assert.equal(game?.winner, 'draw');
    for (const name of [names[2], names[3]]) {
      const account = await server.store.findAccount(name ?? '');
      assert.equal(
        (account as unknown as { standard?: { games: number } })?.standard?.games,
        1,
        `${name}'s standard rating counts the game`,
      );
    }
  });

  it('a resignation ends the game, not the session; both ask for a rematch and play it with colours swapped; then the queue', async () => {
    const [black, white] = await pair(server.port, names[4] ?? '', names[5] ?? '');
    await black.locator('.board.your-turn').waitFor();
    await white.getByRole('button', { name: 'Resign' }).click();
    await white.getByRole('button', { name: 'Yes, give up this game' }).click();
    await white.locator('.game-over .result').waitFor();
    assert.equal(await text(white.locator('.game-over .how')), 'You resigned.');
    await black.locator('.game-over .result').waitFor();
    assert.match(await text(black.locator('.game-over .how')), /resigned\.$/);
    assert.match(await text(white.locator('.rating-change')), /^Rating 1200 → \d+ \(−\d+\)$/);
    assert.equal((await server.store.listGames()).at(-1)?.termination, 'resignation');
    assert.equal(await white.getByLabel('Username').isVisible(), false, 'still logged in');
    await white.getByRole('button', { name: 'Rematch' }).click();
    await black.getByText('wants a rematch').waitFor();
    await black.getByRole('button', { name: 'Rematch' }).click();
    await waitUntil(
      async () => (await colourOf(white)) === BLACK && !(await white.locator('.game-over').isVisible()),
      'the rematch',
      10_000,
    );
    assert.equal(await colourOf(black), WHITE, 'colours swapped');
    await white.locator('.board.your-turn').waitFor();
    await bothClocksShown(white);
    await black.getByRole('button', { name: 'Resign' }).click();
    await black.getByRole('button', { name: 'Yes, give up this game' }).click();
    await black.getByRole('button', { name: 'Play again' }).click();
    await black.getByText('Waiting for an opponent').first().waitFor();
  });

  it('a reload comes back to the game with the resume token alone; another window takes over; logging out forfeits', async () => {
    const [black, white] = await pair(server.port, names[6] ?? '', names[7] ?? '');
    await clickPath(black, { from: 10, path: [14], captured: 0 });
    await clickPath(white, { from: 21, path: [17], captured: 0 });
    await black.locator('.board.your-turn:not(.animating)').waitFor();
    const kept = (await white.evaluate(
      'JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie',
    )) as string;
    assert.match(kept, /checkers\.resume/);
    assert.equal(kept.includes(TEST_PASSWORD), false, 'the password is kept nowhere');
    const before = await readBoard(white);
    const movesBefore = await white.locator('.moves li').allInnerTexts();
    await white.reload();
    await white.locator('.board').waitFor();
    await waitUntil(async () => samePieces(await readBoard(white), before), 'the same board after the reload', 10_000);
    assert.match(await text(white.getByRole('status')), /Back in your game against|move/);
    assert.deepEqual(await white.locator('.moves li').allInnerTexts(), movesBefore);
    await bothClocksShown(white);
    // Another window logging in to the account takes the game over; this page says so and stays away.
    const other = await newPage(server.port);
    await logIn(other, names[7] ?? '', TEST_PASSWORD);
    await other.locator('.board').waitFor();
    await white.getByText('This account logged in from another window or client, which took over.').waitFor();
    await other.getByRole('button', { name: 'Log out' }).click();
    await other.getByRole('button', { name: 'Log out and forfeit' }).click();
    await other.getByLabel('Username').waitFor();
    assert.equal(
      await other.evaluate('localStorage.getItem("checkers.resume")'),
      null,
      'logging out forgets the token',
    );
    await black.locator('.game-over .result').waitFor();
    assert.match(await text(black.locator('.game-over .how')), /logged out\.$/);
    assert.match(await text(black.locator('.rating-change')), /^Rating \d+ → \d+ \(\+\d+\)$/);
  });

  it('a dropped connection in a game comes back by itself with the token; the opponent is told meanwhile', async () => {
    const context = await browser.newContext({ viewport: { width: 1000, height: 820 } });
    contexts.push(context);
    // The page's /play WebSocket runs through Playwright, which can cut it as a network failure would.
    const cuts: Array<() => Promise<void>> = [];
    const sent: number[] = [];
    await context.routeWebSocket(/\/play$/, (socket) => {
      const upstream = socket.connectToServer();
      socket.onMessage((message) => {
        if (typeof message !== 'string') sent.push(message[0] ?? -1);
        upstream.send(message);
      });
      cuts.push(async () => {
        await upstream.close();
        await socket.close({ code: 4001, reason: '' });
      });
    });
    const dropped = await context.newPage();
    dropped.on('pageerror', (error) => pageErrors.push(error.message));
    await dropped.goto(`http://127.0.0.1:${server.port}/`);
    await logInAndWait(dropped, names[12] ?? '', TEST_PASSWORD);
    await dropped.getByRole('radio', { name: /^3\+2/ }).check();
    await dropped.getByRole('button', { name: 'Join the queue' }).click();
    await dropped.getByText('Waiting for an opponent').first().waitFor();
    const other = await newPage(server.port);
    await logInAndWait(other, names[13] ?? '', TEST_PASSWORD);
    await other.getByRole('radio', { name: /^3\+2/ }).check();
    await other.getByRole('button', { name: 'Join the queue' }).click();
    await dropped.locator('.board').waitFor();
    const [black, white] = (await colourOf(dropped)) === BLACK ? [dropped, other] : [other, dropped];
    await clickPath(black, { from: 10, path: [14], captured: 0 });
    await white.locator('.board.your-turn:not(.animating)').waitFor();
    const before = await readBoard(dropped);
    assert.equal(cuts.length, 1);
    await cuts[0]?.();
    await other.getByText(/connection dropped; they have \d+ s to come back/).waitFor();
    assert.match(await text(other.locator('.player.opponent')), /away/);
    await waitUntil(() => cuts.length === 2, 'the page opening a new connection', 10_000);
    await other.getByText(/is back/).waitFor();
    await waitUntil(async () => samePieces(await readBoard(dropped), before), 'the same board again', 10_000);
    // The new connection logged in with Resume (0x10) and the token: no password crossed the wire again.
    assert.deepEqual(
      sent.filter((code) => code === 0x01 || code === 0x10),
      [0x01, 0x10],
    );
    await clickPath(white, { from: 21, path: [17], captured: 0 });
    await black.locator('.board.your-turn:not(.animating)').waitFor();
  });

  it('at phone width in the dark theme the board, both clocks and the game buttons fit without sideways scrolling', async () => {
    const phone = {
      viewport: { width: 375, height: 760 },
      colorScheme: 'dark',
      isMobile: true,
      hasTouch: true,
    } as const;
    const [black] = await pair(server.port, names[14] ?? '', names[15] ?? '', undefined, phone);
    await black.locator('.board.your-turn:not(.animating)').waitFor();
    await bothClocksShown(black);
    const width = (await black.evaluate('document.documentElement.scrollWidth')) as number;
    assert.ok(width <= 375, `no sideways scrolling at phone width (${width} px)`);
    const within = async (locator: Locator, what: string) => {
      const box = await locator.boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= 375, `${what} within the screen`);
    };
    for (const name of ['Offer draw', 'Resign', 'Flip board']) await within(black.getByRole('button', { name }), name);
    // The clocks line up with the board's edge, not past it.
    const board = await black.locator('.board').boundingBox();
    for (const name of ['Your clock', "Opponent's clock"]) {
      const clock = await black.getByRole('timer', { name }).boundingBox();
      assert.ok(
        board && clock && clock.x + clock.width <= board.x + board.width + 1,
        `${name} within the board's width`,
      );
      const overflow = await black
        .getByRole('timer', { name })
        .evaluate((element) => element.scrollWidth - element.clientWidth);
      assert.ok(overflow <= 0, `${name}'s time fits in its box (${overflow} px over)`);
    }
    await black.screenshot({ path: join(ARTIFACTS, 'standard-phone-dark.png'), fullPage: true });
  });

  it('a game lost on time, with both clocks visible throughout; the result panel after the last move', async () => {
    const clock = new ManualClock();
    const timed = await startTestServer({ clock, web: { staticDir: WEB_DIR } });
    try {
      const [first, second] = await addPlayers(timed.store, 'clock', 2);
      const [black, white] = await pair(timed.port, first ?? '', second ?? '', clock);
      for (const page of [black, white]) await bothClocksShown(page);
      // The page counts the running clock down itself between the server's messages.
      assert.match(
        await text(black.getByRole('timer', { name: 'Your clock' }).locator('.clock-time')),
        /^(3:00|2:5\d)$/,
      );
      await clickPath(black, { from: 10, path: [14], captured: 0 });
      await white.locator('.board.your-turn:not(.animating)').waitFor();
      for (const page of [black, white]) await bothClocksShown(page);
      // White thinks for the whole three minutes, on the server's clock.
      clock.advance(180_000);
      await white.locator('.game-over .result').waitFor();
      for (const page of [black, white]) await bothClocksShown(page);
      assert.equal(await text(white.locator('.game-over .how')), 'You ran out of time.');
      // The flagged clock stands at zero, marked low; the winner's keeps its time.
      const ownClock = white.getByRole('timer', { name: 'Your clock' });
      assert.equal(await text(ownClock.locator('.clock-time')), '0:00.0');
      assert.match((await ownClock.getAttribute('class')) ?? '', /\blow\b/);
      assert.equal(await text(black.getByRole('timer', { name: "Opponent's clock" }).locator('.clock-time')), '0:00.0');
      assert.match(await text(black.locator('.game-over .how')), /ran out of time\.$/);
      assert.equal((await timed.store.listGames()).at(-1)?.termination, 'out-of-time');
      const result = join(ARTIFACTS, 'standard-result.png');
      await white.screenshot({ path: result });
      assert.ok(existsSync(result));
    } finally {
      await Promise.all(contexts.map((context) => context.close()));
      contexts = [];
      await timed.stop();
    }
  });
});

/** Waits until one page may move (returns it) or both show the game's end (returns undefined). */
async function nextMover(pages: readonly Page[]): Promise<Page | undefined> {
  let found: Page | undefined;
  await waitUntil(
    async () => {
      for (const page of pages) {
        if (await page.locator('.board.your-turn:not(.animating)').isVisible()) {
          found = page;
          return true;
        }
      }
      return (await Promise.all(pages.map((page) => page.locator('.game-over').isVisible()))).every(Boolean);
    },
    'a page to move, or the end of the game',
    15_000,
  );
  return found;
}

/** A legal move for `color`: `keep` takes the most and keeps its own, `feed` gives pieces away. A short game either way. */
function chooseMove(position: Position, color: Color, style: 'keep' | 'feed'): Move {
  let best: { move: Move; score: number } | undefined;
  for (const move of legalMoves({ ...position, turn: color })) {
    const after = applyMove({ ...position, turn: color }, move);
    const mine = count(piecesOf(after, color));
    const theirs = count(piecesOf(after, color === BLACK ? WHITE : BLACK));
    const replies = legalMoves(after);
    const lost = Math.max(0, ...replies.map((reply) => count(reply.captured)));
    const score = style === 'keep' ? 10 * (mine - lost) - theirs : -(mine - lost) * 10 + theirs;
    if (!best || score > best.score) best = { move, score };
  }
  if (!best) throw new Error('no legal move on the board shown');
  return best.move;
}

function count(bits: number): number {
  let n = 0;
  for (let rest = bits >>> 0; rest !== 0; rest &= rest - 1) n++;
  return n;
}

function samePieces(a: Position, b: Position): boolean {
  return a.black === b.black && a.white === b.white && a.kings === b.kings;
}

async function text(locator: Locator): Promise<string> {
  return (await locator.textContent()) ?? '';
}
