import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { isLoss, solveUpTo } from '../../src/game/engine/egdb/solve.js';
import { positionFromFen } from '../../src/game/fen.js';
import { formatMove } from '../../src/game/notation.js';
import { applyMove, legalMoves } from '../../src/game/standard.js';
import { startTestServer, type TestServer, temporaryDirectory } from '../support/test-server.js';
import { chromiumMissing, launchChromium, WEB_DIR } from './browser-support.js';

/** White's two men against a king: won in 47 plies, out of any search's sight; a 6-ply search draws it. */
const WON = 'W:W10,23:BK17';

describe("the analysis board with the server's endgame databases (Chromium)", { skip: chromiumMissing() }, () => {
  let browser: Browser;
  let server: TestServer;
  const three = solveUpTo(3);

  before(async () => {
    [browser, server] = await Promise.all([
      launchChromium(),
      startTestServer({ web: { staticDir: WEB_DIR }, endgame: { dir: join(temporaryDirectory(), 'egdb'), pieces: 3 } }),
    ]);
    await server.server.endgame?.settled;
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function analyse(fen: string): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage();
    page.setDefaultTimeout(20_000);
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('response', (response) => {
      if (response.status() >= 400 && !response.url().endsWith('/favicon.ico'))
        problems.push(`${response.status()} ${response.url()}`);
    });
    await page.goto(`http://127.0.0.1:${server.port}/analysis?fen=${encodeURIComponent(fen)}`);
    await page.locator('.engine-panel[data-analysis="done"]').waitFor({ timeout: 30_000 });
    return { page, problems };
  }

  it('fetches the files the server lists and shows a won ending as won, with a move that keeps the win', async () => {
    const listed = await (await fetch(`http://127.0.0.1:${server.port}/api/egdb`)).json();
    assert.deepEqual(listed, { files: ['egdb-standard-2.wdl.gz', 'egdb-standard-3.wdl.gz'] });
    // The worker loads the tables as the page opens; the first analysis may run before they arrive.
    let shown = '';
    for (let attempt = 0; attempt < 5 && !shown.includes('endgame database'); attempt++) {
      const { page, problems } = await analyse(WON);
      shown = (await page.locator('.eval').first().textContent()) ?? '';
      if (shown.includes('endgame database')) {
        assert.equal(shown, 'White wins (endgame database)');
        const best = (await page.locator('[data-best-move]').getAttribute('data-best-move')) ?? '';
        const position = positionFromFen(WON);
        const move = legalMoves(position).find((each) => formatMove(each) === best);
        assert.ok(move, `a legal best move: ${best}`);
        const next = applyMove(position, move);
        assert.ok(isLoss(three.probe(next.black, next.white, next.kings, next.turn)), `${best} keeps the win`);
        assert.deepEqual(problems, []);
      }
      await page.close();
    }
    assert.equal(shown, 'White wins (endgame database)');
  });
});
