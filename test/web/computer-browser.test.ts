import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { BLACK, type Color, type Position, piecesOf, WHITE } from '../../src/game/position.js';
import { applyMove, legalMoves, type Move } from '../../src/game/standard.js';
import { addPlayers, TEST_PASSWORD } from '../support/accounts.js';
import { startTestServer, type TestServer, temporaryDirectory } from '../support/test-server.js';
import {
  chromiumMissing,
  launchChromium,
  logInAndWait,
  myTurnOrOver,
  readBoard,
  squareLocator,
  WEB_DIR,
} from './browser-support.js';

const ARTIFACTS = process.env.CHECKERS_ARTIFACTS_DIR ?? join(temporaryDirectory(), 'artifacts');
const BOT = 'checkers-bot';

/** Play the computer from the play page (protocol version 2), with --bot-after 0. */
describe('playing the computer in Chromium', { skip: chromiumMissing() }, () => {
  let browser: Browser;
  let server: TestServer;

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    [browser, server] = await Promise.all([
      launchChromium(),
      startTestServer({
        web: { staticDir: WEB_DIR },
        houseBot: { name: BOT, maxGames: 2, pauseMs: [0, 2], threads: 1 },
      }),
    ]);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('a player picks level 1, casual, 10+5 beside "Join the queue" and plays a whole game against it', async () => {
    const [name = ''] = await addPlayers(server.store, 'vsbot', 1);
    const context = await browser.newContext({ viewport: { width: 1000, height: 820 } });
    const errors: string[] = [];
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`http://127.0.0.1:${server.port}/`);
      await logInAndWait(page, name, TEST_PASSWORD);
      await page.getByRole('radio', { name: /^10\+5/ }).check();
      assert.equal(await page.getByLabel('Level').inputValue(), '1', 'level 1 unless chosen otherwise');
      assert.equal(await page.getByLabel(/Rated/).isChecked(), false, 'casual unless chosen otherwise');
      await page.screenshot({ path: join(ARTIFACTS, 'computer-lobby.png') });
      await page.getByRole('button', { name: 'Play the computer' }).click();
      await page.locator('.opponent-row', { hasText: BOT }).waitFor();
      let plies = 0;
      for (; plies < 200; plies++) {
        const state = await myTurnOrOver(page);
        if (state === 'over') break;
        if (plies === 4) await page.screenshot({ path: join(ARTIFACTS, 'computer-game.png') });
        const position = { ...(await readBoard(page)), turn: BLACK as Color };
        await clickPath(page, greedyMove(position, BLACK));
      }
      assert.ok(plies < 200, 'the game ended');
      await page.locator('.game-over .result').waitFor();
      await page.screenshot({ path: join(ARTIFACTS, 'computer-over.png') });
      assert.match((await page.locator('.game-over .rating-change').textContent()) ?? '', /±0/, 'casual: unrated');
      // The house bot never agrees to a rematch: the panel offers another game against it instead.
      const panel = page.locator('.game-over');
      assert.equal(await panel.getByRole('button', { name: 'Rematch' }).count(), 0, 'no Rematch against the computer');
      assert.equal(await panel.getByRole('button', { name: 'Play the computer' }).count(), 1);
      const record = (await server.store.listGames({ user: name })).at(-1);
      assert.equal(record?.white.name, BOT);
      assert.equal(record?.black.name, name);
      assert.equal(record?.rules, 'standard');
      assert.notEqual(record?.winner, 'abandoned');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});

async function clickPath(page: Page, move: Move): Promise<void> {
  await squareLocator(page, move.from).click();
  for (const landing of move.path) await squareLocator(page, landing).click();
}

/** Takes the most, keeps its own: a legal move for `color`, good enough against level 1. */
function greedyMove(position: Position, color: Color): Move {
  let best: { move: Move; score: number } | undefined;
  for (const move of legalMoves({ ...position, turn: color })) {
    const after = applyMove({ ...position, turn: color }, move);
    const lost = Math.max(0, ...legalMoves(after).map((reply) => count(reply.captured)));
    const score = 10 * (count(piecesOf(after, color)) - lost) - count(piecesOf(after, color === BLACK ? WHITE : BLACK));
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
