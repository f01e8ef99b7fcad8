import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { fenOf, positionFromFen } from '../../src/game/fen.js';
import { formatMove, recordTurns } from '../../src/game/notation.js';
import { playPdnGame } from '../../src/game/pdn-games.js';
import { readPdn } from '../../src/game/pdn-read.js';
import { BLACK, type Position, pieceCount, WHITE } from '../../src/game/position.js';
import { applyMove, legalMoves } from '../../src/game/standard.js';
import { legalSteps, newV1Game, playV1Step, type V1Game } from '../../src/game/v1.js';
import { hashPassword } from '../../src/server/passwords.js';
import { SHOT_FEN } from '../game/shot-position.js';
import { recordGameBetween } from '../server/community/records.js';
import { TEST_HASH_COST, TEST_PASSWORD } from '../support/accounts.js';
import { startTestServer, type TestServer, temporaryDirectory } from '../support/test-server.js';
import { waitUntil } from '../support/wait.js';
import { chooseStep, chromiumMissing, launchChromium, readBoard, WEB_DIR } from './browser-support.js';

const ARTIFACTS = process.env.CHECKERS_ARTIFACTS_DIR ?? join(temporaryDirectory(), 'artifacts');
const FIXTURE = readFileSync(
  new URL('../../../test/fixtures/pdn/checkerboard-three-games.pdn', import.meta.url),
  'utf8',
);
/** The planted blunder is Black's first step from this turn (1-based) on. */
const BLUNDER_TURN = 5;
const GAME_TURNS = 24;

/**
 * A version-1 game in which one of Black's early steps drops a man for nothing: every
 * other move keeps material (the step with the most own pieces less the
 * opponent's after the referee's jumps), the planted one gives the most away.
 */
function gameWithBlunder(): { moves: string[]; blunderTurn: number } {
  const record: string[] = [];
  let game: V1Game = newV1Game();
  let blunderTurn = 0;
  const balance = (position: Position) => pieceCount(position, BLACK) - pieceCount(position, WHITE);
  while (!game.result && record.length < GAME_TURNS) {
    const color = game.position.turn;
    const before = game.position;
    // From BLUNDER_TURN on, Black's first step that loses a man net after the referee's jumps is the blunder.
    const dropping =
      blunderTurn === 0 && color === BLACK && record.length + 1 >= BLUNDER_TURN
        ? legalSteps(game).find((candidate) => {
            const outcome = playV1Step(game, candidate.from, candidate.direction);
            return outcome.ok && !outcome.game.result && balance(outcome.game.position) === balance(before) - 1;
          })
        : undefined;
    const kept = chooseStep(game.position, color, 'keep');
    const step =
      dropping ?? legalSteps(game).find((candidate) => candidate.from === kept.from && candidate.to === kept.to);
    assert.ok(step);
    const outcome = playV1Step(game, step.from, step.direction);
    assert.ok(outcome.ok);
    if (dropping) blunderTurn = record.length + 1;
    recordTurns(record, outcome.events);
    game = outcome.game;
  }
  assert.ok(blunderTurn > 0, 'a blunder was planted');
  return { moves: record, blunderTurn };
}

describe('analysis in Chromium: the engine worker, the analysis board, PDN import, the replay analysis', {
  skip: chromiumMissing(),
}, () => {
  let browser: Browser;
  let server: TestServer;
  let contexts: BrowserContext[] = [];
  const base = () => `http://127.0.0.1:${server.port}`;

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    [browser, server] = await Promise.all([launchChromium(), startTestServer({ web: { staticDir: WEB_DIR } })]);
    const hash = await hashPassword(TEST_PASSWORD, TEST_HASH_COST);
    await server.store.createAccount('alice', hash, { rating: 1500, deviation: 90, volatility: 0.06 });
    await server.store.createAccount('bruno', hash, { rating: 1450, deviation: 90, volatility: 0.06 });
  });
  afterEach(async () => {
    await Promise.all(contexts.map((context) => context.close()));
    contexts = [];
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function open(path: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('response', (response) => {
      // The browser asks for /favicon.ico by itself; the site has none.
      if (response.status() >= 400 && !response.url().endsWith('/favicon.ico'))
        problems.push(`${response.status()} ${response.url()}`);
    });
    await page.goto(`${base()}${path}`);
    (page as Page & { problems?: string[] }).problems = problems;
    return page;
  }

  async function screenshot(page: Page, name: string): Promise<void> {
    const file = join(ARTIFACTS, name);
    await page.screenshot({ path: file, fullPage: true });
    assert.ok(existsSync(file), `${name} was saved`);
  }

  async function boardFen(page: Page, turn: Position['turn']): Promise<string> {
    return fenOf({ ...(await readBoard(page)), turn });
  }

  it('/analysis?fen= of a position with one winning shot shows the shot as the best move', async () => {
    const page = await open(`/analysis?fen=${encodeURIComponent(SHOT_FEN)}`);
    await page.locator('.engine-panel[data-analysis="done"]').waitFor({ timeout: 30_000 });
    assert.equal(await page.locator('[data-best-move]').getAttribute('data-best-move'), '27-23');
    const evaluation = (await page.locator('[data-eval]').first().getAttribute('data-eval')) ?? '';
    assert.match(evaluation, /^(-\d+|#-\d+)$/, `White is ahead after the shot: ${evaluation}`);
    assert.ok(evaluation.startsWith('#') || Number(evaluation) <= -150, evaluation);
    assert.match((await page.locator('.best-line').textContent()) ?? '', /^27-23 19x26 31x22x13x6/);
    assert.equal(await page.locator('#analysis-fen').inputValue(), SHOT_FEN);
    await screenshot(page, 'analysis-shot.png');
    assert.deepEqual((page as Page & { problems?: string[] }).problems, []);
  });

  it('plays moves on the board by clicking, steps back and forth, and writes the line as PDN', async () => {
    const page = await open('/analysis');
    await page.locator('.board [data-square="11"]').click();
    await page.locator('.board [data-square="15"]').click();
    await page.locator('.analysis[data-ply="1"]').waitFor();
    assert.equal(
      await page.locator('#analysis-fen').inputValue(),
      'W:W21,22,23,24,25,26,27,28,29,30,31,32:B1,2,3,4,5,6,7,8,9,10,12,15',
    );
    await page.locator('.board [data-square="23"]').click();
    await page.locator('.board [data-square="19"]').click();
    await page.locator('.analysis[data-ply="2"]').waitFor();
    assert.match(await page.locator('#analysis-pdn').inputValue(), /\n1\. 11-15 23-19 \*\n$/);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base() });
    await page.getByRole('button', { name: 'Copy PDN' }).click();
    await page.locator('#analysis-status', { hasText: 'PDN copied.' }).waitFor();
    assert.equal(
      await page.evaluate('navigator.clipboard.readText()'),
      await page.locator('#analysis-pdn').inputValue(),
    );
    await page.getByRole('button', { name: 'Copy FEN' }).click();
    await page.locator('#analysis-status', { hasText: 'FEN copied.' }).waitFor();
    assert.equal(
      await page.evaluate('navigator.clipboard.readText()'),
      await page.locator('#analysis-fen').inputValue(),
    );
    await page.getByRole('button', { name: '‹ Back' }).click();
    await page.locator('.analysis[data-ply="1"]').waitFor();
    assert.equal(await boardFen(page, WHITE), 'W:W21,22,23,24,25,26,27,28,29,30,31,32:B1,2,3,4,5,6,7,8,9,10,12,15');
    await page.locator('.engine-panel[data-analysis="done"]').waitFor({ timeout: 30_000 });
    // The answer is for the position shown (White to move after 11-15), not a stale one from before Back.
    const shown = positionFromFen('W:W21,22,23,24,25,26,27,28,29,30,31,32:B1,2,3,4,5,6,7,8,9,10,12,15');
    const best = (await page.locator('[data-best-move]').getAttribute('data-best-move')) ?? '';
    assert.ok(legalMoves(shown).map(formatMove).includes(best), `${best} is one of White's moves`);
    // A capture with two paths from the same first jump: the board asks for the next square.
    await page.getByLabel('FEN', { exact: true }).fill('B:W6,14,15:BK1');
    await page.getByRole('button', { name: 'Set position' }).click();
    await page.locator('.analysis[data-ply="0"]').waitFor();
    await page.locator('.board [data-square="1"]').click();
    await page.locator('.board [data-square="10"]').click();
    // The board marks where the capture can go on (both ways) and waits for the next square.
    await page.locator('.board [data-square="19"].target').waitFor();
    assert.equal(await page.locator('.board .square.target').count(), 2);
    await page.locator('.board [data-square="19"]').click();
    await page.locator('.analysis[data-ply="1"]').waitFor();
    assert.equal(await page.locator('#analysis-fen').inputValue(), 'W:W14:BK19');
    assert.equal(await page.locator('.analysis-moves [data-ply="1"]').textContent(), '1. 1x10x19');
    // A position set up square by square.
    await page.getByRole('button', { name: 'Edit position' }).click();
    await page.getByRole('button', { name: 'Clear board' }).click();
    const clicks: Array<[number, number]> = [
      [18, 1],
      [19, 2],
      [22, 3],
      [30, 1],
    ];
    for (const [square, times] of clicks) {
      for (let click = 0; click < times; click++) await page.locator(`.board [data-square="${square}"]`).click();
    }
    await page.getByLabel('Side to move').selectOption('1');
    await screenshot(page, 'analysis-edit.png');
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByText('That position cannot be set up: a black man on its crowning row.').waitFor();
    for (let click = 0; click < 4; click++) await page.locator('.board [data-square="30"]').click();
    await page.getByRole('button', { name: 'Done' }).click();
    await page.locator('.engine-panel[data-analysis="done"]').waitFor({ timeout: 30_000 });
    assert.equal(await page.locator('#analysis-fen').inputValue(), 'W:W22:B18,K19');
    // A bad FEN is refused in words and the board stays.
    await page.getByLabel('FEN', { exact: true }).fill('B:W33:B1');
    await page.getByRole('button', { name: 'Set position' }).click();
    await page.getByText('That FEN cannot be set up: no square "33"').waitFor();
  });

  it('imports a PDN with three games and steps through them; a malformed PDN is named by line and column', async () => {
    const reading = readPdn(FIXTURE);
    assert.ok(reading.ok);
    const games = reading.games.map((record) => {
      const played = playPdnGame(record);
      assert.ok(played.ok);
      return played.game;
    });
    const page = await open('/analysis');
    await page.getByLabel('Paste PDN').fill('[Event "x"]\n\n1. 11-15 {never closed\n23-19 *');
    await page.getByRole('button', { name: 'Import PDN' }).click();
    await page
      .getByText('The PDN cannot be read: line 3, column 10: this comment is not closed: a } is missing')
      .waitFor();
    await page.getByLabel('Paste PDN').fill(FIXTURE);
    await page.getByRole('button', { name: 'Import PDN' }).click();
    assert.equal(await page.locator('#pdn-game option').count(), 3);
    for (const [index, game] of games.entries()) {
      await page.locator('#pdn-game').selectOption(String(index));
      let position = game.start;
      await page.locator('.analysis[data-ply="0"]').waitFor();
      assert.equal(await boardFen(page, position.turn), fenOf(position), `game ${index + 1} starts right`);
      for (const [ply, move] of game.moves.entries()) {
        await page.getByRole('button', { name: 'Next ›' }).click();
        await page.locator(`.analysis[data-ply="${ply + 1}"]`).waitFor();
        position = applyMove(position, move);
        assert.equal(await boardFen(page, position.turn), fenOf(position), `game ${index + 1}, move ${ply + 1}`);
        if (index === 0 && ply === 12)
          assert.equal(await page.locator('#analysis-comment').textContent(), '? drops a man');
      }
      assert.equal(await page.locator('#analysis-fen').inputValue(), fenOf(position));
    }
    const written = await page.locator('#analysis-pdn').inputValue();
    assert.match(written, /\[Black "Problem"\]\n\[White "Solver"\]/);
    assert.match(written, /\[SetUp "1"\]\n\[FEN "W:W21,K30:B1,K4"\]/);
    assert.match(written, /\n1\.\.\. 30-26 2\. 4-8 26-22 3\. 8-11 \*\n$/);
    await screenshot(page, 'analysis-pdn-import.png');
    // The same file uploaded; one too big is refused before it is read.
    await page.getByLabel('Upload PDN').setInputFiles({
      name: 'huge.pdn',
      mimeType: 'text/plain',
      buffer: Buffer.alloc(4_000_001, 32),
    });
    await page.getByText(/huge\.pdn is too big \(3906 KB\); split it into smaller files/).waitFor();
    await page.getByLabel('Paste PDN').fill('');
    await page.getByLabel('Upload PDN').setInputFiles({
      name: 'three.pdn',
      mimeType: 'text/plain',
      buffer: Buffer.from(FIXTURE),
    });
    await page.locator('.analysis[data-ply="0"]').waitFor();
    assert.equal(await page.locator('#pdn-game').inputValue(), '0');
    assert.equal(await page.locator('#pdn-game option').count(), 3);
    assert.equal(await boardFen(page, BLACK), fenOf(games[0]?.start ?? positionFromFen('B:W1:B2')));
  });

  it('analyses a finished game on its replay page: every move evaluated, the planted blunder marked, the page responsive', async () => {
    const { moves, blunderTurn } = gameWithBlunder();
    const id = await recordGameBetween(server.store, 'alice', 'bruno', 'white', moves);
    const page = await open(`/games/${id}`);
    await page.locator('.replay').waitFor();
    await page.evaluate(`(() => {
      window.longestTask = 0;
      window.longTasks = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          window.longTasks += 1;
          window.longestTask = Math.max(window.longestTask, entry.duration);
        }
      }).observe({ type: 'longtask' });
    })()`);
    // The observer sees long tasks here: a task that blocks for 120 ms is counted (then the count starts again).
    await page.evaluate(
      `setTimeout(() => { const end = performance.now() + 120; while (performance.now() < end); }, 0)`,
    );
    await waitUntil(async () => ((await page.evaluate('window.longTasks')) as number) >= 1, 'the long task seen', 5000);
    await page.evaluate('window.longestTask = 0; window.longTasks = 0;');
    const started = Date.now();
    await page.getByRole('button', { name: 'Analyse' }).click();
    await page.locator('.replay-analysis[data-analysis="running"]').waitFor();
    // The board answers while the worker searches: a step forward shows at once.
    const answer = (await page.evaluate(`(async () => {
      const started = performance.now();
      document.querySelector('button[aria-label="Next"]').click();
      while (document.querySelector('.replay').dataset.ply !== '1') await new Promise((r) => setTimeout(r, 1));
      return performance.now() - started;
    })()`)) as number;
    await page.locator('.replay-analysis[data-analysis="done"]').waitFor({ timeout: 120_000 });
    const analysedIn = Date.now() - started;
    const evaluations = await page
      .locator('.replay-moves button[data-ply]')
      .evaluateAll((buttons) =>
        buttons.map((button) => (button as unknown as { dataset: Record<string, string> }).dataset.eval ?? ''),
      );
    assert.equal(evaluations.length, moves.length);
    for (const [index, value] of evaluations.entries()) assert.match(value, /^(#-?\d+|[+-]?\d+)$/, `move ${index + 1}`);
    assert.equal(
      await page.locator(`.replay-moves button[data-ply="${blunderTurn}"]`).getAttribute('data-quality'),
      'blunder',
      `the planted blunder (turn ${blunderTurn}, ${moves[blunderTurn - 1]}) is marked`,
    );
    const marked = await page.locator('.replay-moves button[data-quality="blunder"]').count();
    assert.ok(marked >= 1);
    assert.equal(await page.locator('.eval-graph .dot').count(), moves.length + 1);
    // A point of the graph takes the replay to its turn, by click or by key.
    await page.locator('.eval-graph .dot[data-ply="3"]').click();
    await page.locator('.replay[data-ply="3"]').waitFor();
    await page.locator('.eval-graph .dot[data-ply="4"]').focus();
    await page.keyboard.press('Enter');
    await page.locator('.replay[data-ply="4"]').waitFor();
    assert.match((await page.locator('.rules-note').textContent()) ?? '', /version-1 search/);
    // The best line and "Analyse from here" at a turn.
    await page.locator(`.replay-moves button[data-ply="${blunderTurn - 1}"]`).click();
    await waitUntil(
      async () => ((await page.locator('.replay-analysis .best-line').textContent()) ?? '…') !== '…',
      'a best line',
      5000,
    );
    const link = (await page.getByRole('link', { name: 'Analyse from here' }).getAttribute('href')) ?? '';
    assert.match(link, /^\/analysis\?fen=/);
    await screenshot(page, 'replay-analysis.png');
    const longest = (await page.evaluate('window.longestTask')) as number;
    const count = (await page.evaluate('window.longTasks')) as number;
    console.log(
      `replay analysis: ${moves.length} turns analysed in ${(analysedIn / 1000).toFixed(1)} s; ` +
        `longest main-thread task ${longest.toFixed(0)} ms (${count} tasks over 50 ms); ` +
        `a step forward during the analysis showed in ${answer.toFixed(0)} ms`,
    );
    await page.getByRole('link', { name: 'Analyse from here' }).click();
    await page.locator('.engine-panel[data-analysis="done"]').waitFor({ timeout: 30_000 });
    assert.equal(
      await page.locator('#analysis-fen').inputValue(),
      decodeURIComponent(link.replace('/analysis?fen=', '')),
    );
    assert.deepEqual((page as Page & { problems?: string[] }).problems, []);
  });
});
