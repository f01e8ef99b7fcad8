import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page, type WebSocketRoute } from 'playwright-core';
import { BLACK, type Color, type Position } from '../../src/game/position.js';
import { squareNumber } from '../../src/game/squares.js';
import { legalSteps, newV1Game, playV1Step } from '../../src/game/v1.js';
import { skipUnless } from '../support/capability.js';
import { waitUntil } from '../support/wait.js';

export const CHROMIUM = '/usr/bin/chromium';
/** The built web client (npm run build), from dist/test/web/. */
export const WEB_DIR = fileURLToPath(new URL('../../web/', import.meta.url));

/** The skip reason when this machine has no Chromium (a failure under CI). */
export function chromiumMissing(): string | false {
  return skipUnless(
    existsSync(CHROMIUM) ? undefined : `Chromium is not installed at ${CHROMIUM} (apt-get install chromium)`,
  );
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    headless: true,
    timeout: 30_000,
  });
}

export async function logIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

/**
 * Logs in and waits until the page says so (its Log out button): the front page offers Join the queue
 * and the game choices before login too, and a click on them then would take the logged-out path.
 */
export async function logInAndWait(page: Page, username: string, password: string): Promise<void> {
  await logIn(page, username, password);
  await page.getByRole('button', { name: 'Log out' }).first().waitFor();
}

/** The position the page's board shows, read from data-square and data-piece. */
export async function readBoard(page: Page): Promise<Position> {
  const cells = (await page.evaluate(
    `[...document.querySelectorAll('.board [data-square]')].map((square) => [Number(square.dataset.square), square.querySelector('[data-piece]')?.dataset.piece ?? ''])`,
  )) as Array<[number, string]>;
  const position = { black: 0, white: 0, kings: 0, turn: BLACK as Color };
  for (const [square, piece] of cells) {
    const mask = (1 << (square - 1)) >>> 0;
    if (piece.startsWith('black')) position.black = (position.black | mask) >>> 0;
    if (piece.startsWith('white')) position.white = (position.white | mask) >>> 0;
    if (piece.endsWith('king')) position.kings = (position.kings | mask) >>> 0;
  }
  return position;
}

/** The colour this page plays: the side its board draws at the bottom. */
export async function colourOf(page: Page): Promise<Color> {
  return (await page.locator('.board').getAttribute('data-bottom')) === 'white' ? 1 : 0;
}

export function isMyTurn(page: Page): Promise<boolean> {
  return page.locator('.board.your-turn').isVisible();
}

export function isOver(page: Page): Promise<boolean> {
  return page.locator('.game-over').isVisible();
}

/** Waits until it is this page's move (and no move is being drawn) or the game is over; says which. */
export async function myTurnOrOver(page: Page): Promise<'move' | 'over'> {
  let state: 'move' | 'over' = 'move';
  await waitUntil(
    async () => {
      if (await page.locator('.game-over .result').isVisible()) {
        state = 'over';
        return true;
      }
      return page.locator('.board.your-turn:not(.animating)').isVisible();
    },
    'my move or the end of the game',
    30_000,
  );
  return state;
}

export type Style = 'feed' | 'keep';

/**
 * A step for `color` on `position`: `feed` offers pieces (the fewest own
 * pieces after the server's forced jumps), `keep` takes them and keeps its
 * own (the most own pieces less the opponent's). Either way a short game.
 */
export function chooseStep(position: Position, color: Color, style: Style): { from: number; to: number } {
  const game = newV1Game({ ...position, turn: color });
  let best: { from: number; to: number; score: number } | undefined;
  for (const step of legalSteps(game)) {
    const outcome = playV1Step(game, step.from, step.direction);
    if (!outcome.ok) continue;
    const after = outcome.game.position;
    const mine = popcount(color === BLACK ? after.black : after.white);
    const theirs = popcount(color === BLACK ? after.white : after.black);
    const score = style === 'feed' ? -mine + theirs / 100 : mine - theirs;
    if (!best || score > best.score) best = { from: step.from, to: step.to, score };
  }
  if (!best) throw new Error('no legal step on the board shown');
  return best;
}

function popcount(bits: number): number {
  let count = 0;
  for (let rest = bits >>> 0; rest !== 0; rest &= rest - 1) count++;
  return count;
}

export function squareLocator(page: Page, bit: number) {
  return page.locator(`.board [data-square="${squareNumber(bit)}"]`);
}

/** Clicks the piece, then its destination. */
export async function clickStep(page: Page, step: { from: number; to: number }): Promise<void> {
  await squareLocator(page, step.from).click();
  await squareLocator(page, step.to).click();
}

/** Plays one step chosen by `style` on the page whose turn it is, by clicking. */
export async function playTurn(page: Page, style: Style): Promise<string> {
  const position = await readBoard(page);
  const color = await colourOf(page);
  const step = chooseStep(position, color, style);
  await clickStep(page, step);
  return `${squareNumber(step.from)}-${squareNumber(step.to)}`;
}

/** Waits until one of `pages` may move or every page shows the game's end; returns that page, or undefined when over. */
export async function nextToMove(pages: readonly Page[], timeoutMs = 15_000): Promise<Page | undefined> {
  let found: Page | undefined;
  let over = false;
  await waitUntil(
    async () => {
      for (const page of pages) {
        if (await isMyTurn(page)) {
          found = page;
          return true;
        }
      }
      over = (await Promise.all(pages.map(isOver))).every(Boolean);
      return over;
    },
    'a page whose turn it is, or the end of the game',
    timeoutMs,
  );
  return found;
}

/**
 * Makes the game server look, to the pages of `context`, like one that offers
 * only protocol version 1 (a cluster node, or a server from before version 2):
 * a version-2 Connect or a Resume on /play is answered with
 * InvalidVersion(highest 1, lowest 1), the bytes such a server sends, and goes
 * no further; everything else passes to the real server. `onForwarded` gets a
 * function that cuts each forwarded connection as a network failure would.
 */
export async function offerOnlyVersion1(
  context: BrowserContext,
  onForwarded?: (cut: () => Promise<void>) => void,
): Promise<void> {
  await context.routeWebSocket(/\/play$/, (socket: WebSocketRoute) => {
    const upstream = socket.connectToServer();
    let decided = false;
    let refused = false;
    socket.onMessage((message) => {
      if (refused) return;
      const bytes = typeof message === 'string' ? Buffer.from(message) : message;
      if (!decided) {
        decided = true;
        refused = (bytes[0] === 0x01 && bytes[1] === 2) || bytes[0] === 0x10;
        if (refused) {
          socket.send(Buffer.from([0x0d, 1, 1]));
          return;
        }
        onForwarded?.(async () => {
          await upstream.close();
          await socket.close({ code: 4001, reason: '' });
        });
      }
      upstream.send(message);
    });
  });
}
