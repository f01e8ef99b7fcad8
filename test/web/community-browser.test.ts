import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { fenOf } from '../../src/game/fen.js';
import { BLACK, WHITE } from '../../src/game/position.js';
import { rateGame } from '../../src/server/domain/rating.js';
import { hashPassword } from '../../src/server/passwords.js';
import { positionAt, replayMoves } from '../../src/web/community/replay.js';
import { recordGameBetween } from '../server/community/records.js';
import { addPlayers, TEST_HASH_COST, TEST_PASSWORD } from '../support/accounts.js';
import { startGame } from '../support/game-setup.js';
import { legalMoveByte, nextTurn, playGame } from '../support/player.js';
import { RawClient } from '../support/raw-client.js';
import { startTestServer, type TestServer, temporaryDirectory } from '../support/test-server.js';
import { waitUntil } from '../support/wait.js';
import {
  chromiumMissing,
  launchChromium,
  logIn,
  nextToMove,
  offerOnlyVersion1,
  playTurn,
  readBoard,
  WEB_DIR,
} from './browser-support.js';

/** Where the test run leaves its screenshots (CHECKERS_ARTIFACTS_DIR, or a temporary directory). */
const ARTIFACTS = process.env.CHECKERS_ARTIFACTS_DIR ?? join(temporaryDirectory(), 'artifacts');

/** A real game's moves (a short one), recorded between seeded players so the pages have history to show. */
const SEED_MOVES = ['11-15', '24-20', '15-19', '23x16', '12x19', '22-17', '8-12', '17-13', '4-8', '27-24'];

describe('community pages in Chromium', { skip: chromiumMissing() }, () => {
  let browser: Browser;
  let server: TestServer;
  let contexts: BrowserContext[] = [];
  const base = () => `http://127.0.0.1:${server.port}`;

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    [browser, server] = await Promise.all([
      launchChromium(),
      startTestServer({ web: { staticDir: WEB_DIR }, community: { registration: 'open', hashCost: TEST_HASH_COST } }),
    ]);
    // Standings with something to rank: four established players and a history of games among them.
    const hash = await hashPassword(TEST_PASSWORD, TEST_HASH_COST);
    const seeded = ['alice', 'bruno', 'chloe', 'dmitri'];
    for (const [index, name] of seeded.entries()) {
      await server.store.createAccount(name, hash, { rating: 1500 - index * 60, deviation: 90, volatility: 0.06 });
    }
    for (let round = 0; round < 12; round++) {
      const black = seeded[round % 4] ?? 'alice';
      const white = seeded[(round + 1 + (round >> 2)) % 4] ?? 'bruno';
      if (black === white) continue;
      const winner = round % 3 === 0 ? 'white' : round % 5 === 0 ? 'draw' : 'black';
      await recordGameBetween(server.store, black, white, winner, SEED_MOVES, new Date(Date.UTC(2026, 10, 1 + round)));
    }
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
    const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
    contexts.push(context);
    // These pages meet version-1 clients (RawClient): the page plays version 1, as against a cluster node.
    await offerOnlyVersion1(context);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${base()}${path}`);
    return page;
  }

  async function screenshot(page: Page, name: string): Promise<void> {
    const file = join(ARTIFACTS, name);
    await page.screenshot({ path: file, fullPage: true });
    assert.ok(existsSync(file), `${name} was saved`);
  }

  it('signs up in the browser, then plays a game with the new account against a version-1 client', async () => {
    const page = await open('/signup');
    await page.getByLabel('Username').fill('Newcomer');
    await page.getByLabel('Password', { exact: true }).fill('fresh-pass');
    await page.getByLabel('Password again').fill('fresh-pass');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByText(/Welcome, Newcomer!/).waitFor();
    // The same name in another case is taken, said in words.
    await page.getByLabel('Username').fill('NEWCOMER');
    await page.getByLabel('Password', { exact: true }).fill('other');
    await page.getByLabel('Password again').fill('other');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByText(/"Newcomer" is taken \(names ignore case\)/).waitFor();
    await page.goto(`${base()}/`);
    await logIn(page, 'newcomer', 'fresh-pass');
    await page.getByText('Waiting for an opponent').first().waitFor();
    const opponent = await RawClient.connect(server.port);
    try {
      await opponent.login('cam', 'mac');
      const raw = playGame(opponent, undefined, 30_000);
      for (let plies = 0; plies < 200; plies++) {
        const mover = await nextToMove([page], 30_000);
        if (!mover) break;
        await playTurn(page, 'feed');
      }
      const log = await raw;
      assert.ok(log.gameOver, 'the game ended with a GameOver');
      const [finished] = await server.store.gamesPage({ limit: 1 });
      assert.deepEqual([finished?.black.name, finished?.white.name].sort(), ['Newcomer', 'cam']);
    } finally {
      opponent.close();
    }
  });

  it('changes a password in the browser: a wrong current password is refused in words, the right one works', async () => {
    const [name = ''] = await addPlayers(server.store, 'changer', 1);
    const page = await open('/password');
    await page.getByLabel('Username').fill(name);
    await page.getByLabel('Current password').fill('not-it');
    await page.getByLabel('New password').fill('new-pass');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('wrong password; the password was not changed').waitFor();
    await page.getByLabel('Current password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText(/Your password is changed/).waitFor();
    assert.equal(await page.getByLabel('New password').inputValue(), '');
    const client = await RawClient.connect(server.port);
    try {
      assert.equal((await client.login(name, 'new-pass')).type, 'QueuePosition');
    } finally {
      client.close();
    }
  });

  it('shows the standings after the game: ranked players first, the new players apart', async () => {
    const page = await open('/standings');
    const ranked = page.locator('.standings-ranked tbody tr');
    await ranked.first().waitFor();
    assert.equal(await ranked.count(), 4);
    const provisional = page.locator('.standings-provisional tbody tr', { hasText: 'Newcomer' });
    await provisional.waitFor();
    const cells = await provisional.locator('td').allTextContents();
    assert.equal(cells[4], '1', 'one game');
    assert.equal(Number(cells[5]) + Number(cells[6]) + Number(cells[7]), 1);
    await screenshot(page, 'standings.png');
  });

  it("draws a player's rating history as an SVG chart, one point per game, and the recent results", async () => {
    const page = await open('/players/alice');
    const chart = page.locator('svg.rating-chart');
    await chart.waitFor();
    const profile = (await (await fetch(`${base()}/api/players/alice`)).json()) as { history: unknown[] };
    assert.equal(await chart.locator('circle').count(), profile.history.length);
    assert.ok(profile.history.length >= 5);
    assert.ok((await page.locator('table.results tbody tr').count()) >= 5);
    await screenshot(page, 'player.png');
  });

  it('replays a finished game move by move to its final position (buttons, keys, slider, move list)', async () => {
    const [game] = await server.store.gamesPage({ limit: 1 });
    assert.ok(game);
    const replay = replayMoves(game.moves);
    assert.equal(replay.ok, true);
    const page = await open(`/games/${game.id}`);
    const viewer = page.locator('.replay');
    await viewer.waitFor();
    const shows = async (ply: number) => {
      await waitUntil(async () => (await viewer.getAttribute('data-ply')) === String(ply), `ply ${ply}`, 5000);
      await page.locator('.board:not(.animating)').waitFor();
      assert.equal(
        fenOf({ ...(await readBoard(page)), turn: BLACK }),
        fenOf({ ...positionAt(replay, ply), turn: BLACK }),
      );
    };
    await shows(0);
    await page.getByRole('button', { name: 'Next' }).click();
    await shows(1);
    await page.keyboard.press('ArrowRight');
    await shows(2);
    await page.keyboard.press('ArrowLeft');
    await shows(1);
    for (let ply = 2; ply <= game.moves.length; ply++) {
      await page.getByRole('button', { name: 'Next' }).click();
      await shows(ply);
    }
    assert.match(
      (await page.locator('#replay-status').textContent()) ?? '',
      new RegExp(`Turn ${game.moves.length} of ${game.moves.length}`),
    );
    await page.locator('.replay-moves [data-ply="3"]').click();
    await shows(3);
    await page.locator('#replay-slider').fill('0');
    await shows(0);
    await page.getByRole('button', { name: 'Last' }).click();
    await shows(game.moves.length);
    assert.equal(
      await page.getByRole('link', { name: 'Download PDN' }).getAttribute('href'),
      `/api/games/${game.id}.pdn`,
    );
    await page.locator('.replay-moves [data-ply="6"]').click();
    await shows(6);
    await screenshot(page, 'replay.png');
  });

  it('lists a live game between two other players and shows its moves as they are played', async () => {
    const game = await startGame(server);
    try {
      const page = await open('/live');
      const row = page.locator('.live-games tbody tr', { hasText: game.names[0] });
      await row.waitFor();
      await row.getByRole('link', { name: 'Watch' }).click();
      await page.locator('#watch-status', { hasText: 'Black to play' }).waitFor();
      const clients = [game.black, game.white] as const;
      const liveMoves = async () =>
        (await server.store.liveGamesPage(100, 0)).games.find((entry) => entry.black.name === game.names[0])?.moves ??
        [];
      const shownTurns = () => page.locator('.watch-page .moves [data-ply]').count();
      game.black.send({ type: 'MakeMove', move: legalMoveByte(game.firstTurn.board, BLACK) });
      let seen = 0;
      for (let played = 1; ; played++) {
        // Each turn played reaches the watcher once committed: its move list and its board (after the animation).
        await waitUntil(
          async () => {
            const moves = await liveMoves();
            if (moves.length <= seen || (await shownTurns()) !== moves.length) return false;
            const expected = fenOf({ ...positionAt(replayMoves(moves), moves.length), turn: BLACK });
            if (fenOf({ ...(await readBoard(page)), turn: BLACK }) !== expected) return false;
            seen = moves.length;
            return true;
          },
          `the watcher shows turn ${played} on its move list and board`,
          10_000,
        );
        if (played >= 6) {
          // The list numbers full moves itself: one item per Black-and-White pair, no number in the text.
          const items = await page.locator('.watch-page .moves li').allTextContents();
          assert.equal(items.length, Math.ceil(seen / 2));
          assert.match(items[0] ?? '', /^\d+[-x]\d+(?:[-x]\d+)* \d+[-x]\d+/);
          break;
        }
        const { index, turn: yourTurn } = await nextTurn(clients);
        clients[index]?.send({ type: 'MakeMove', move: legalMoveByte(yourTurn.board, index === 0 ? BLACK : WHITE) });
      }
      game.black.send({ type: 'LogOut' });
      await page.locator('#watch-status', { hasText: 'White won' }).waitFor();
      assert.equal(await page.getByRole('link', { name: 'Replay the game' }).count(), 1);
    } finally {
      game.close();
    }
  });

  it('shows the standard rating apart: a rating choice on the standings, both ratings on a player page', async () => {
    const [black = '', white = ''] = await addPlayers(server.store, 'std', 2);
    const [b, w] = await Promise.all([server.store.findAccount(black), server.store.findAccount(white)]);
    assert.ok(b && w);
    const rated = rateGame(b.standard.rating, w.standard.rating, 1);
    await server.store.recordGame({
      black: { accountId: b.id, name: b.name, before: b.standard.rating, after: rated.black },
      white: { accountId: w.id, name: w.name, before: w.standard.rating, after: rated.white },
      winner: 'black',
      termination: 'resignation',
      moves: SEED_MOVES.slice(0, 4),
      startedAt: new Date(),
      endedAt: new Date(),
      rules: 'standard',
      timeControl: { initialSeconds: 300, incrementSeconds: 3 },
    });
    const page = await open('/standings');
    const provisional = page.locator('.standings-provisional tbody tr', { hasText: black });
    await provisional.waitFor();
    assert.equal((await provisional.locator('td').allTextContents())[4], '0', 'no version-1 game');
    await page.getByRole('button', { name: 'Standard rules' }).click();
    // Everyone is provisional on the standard rating; the only winner of a standard game leads.
    const first = page.locator('.standings-provisional tbody tr').first();
    await first.filter({ hasText: black }).waitFor();
    const cells = await first.locator('td').allTextContents();
    assert.deepEqual(
      [cells[1], cells[2], cells[4], cells[5]],
      [black, String(Math.round(rated.black.rating)), '1', '1'],
    );
    assert.equal(await page.getByRole('button', { name: 'Standard rules' }).getAttribute('aria-pressed'), 'true');
    assert.equal(new URL(page.url()).search, '?rules=standard');
    await screenshot(page, 'standings-standard.png');

    await page.goto(`${base()}/players/${black}`);
    const facts = page.locator('.player-page dl.facts');
    await facts.waitFor();
    assert.match(
      (await facts.textContent()) ?? '',
      new RegExp(`Standard rating${Math.round(rated.black.rating)} ± \\d+ \\(provisional\\)`),
    );
    assert.equal(await page.locator('table.results tbody tr', { hasText: 'Standard 5+3' }).count(), 1);
    await page.getByRole('img', { name: /^Standard rating over 1 game, from 1200 to \d+$/ }).waitFor();
    assert.equal(await page.locator('svg.rating-chart').count(), 1, 'no version-1 chart: no version-1 game');
    await screenshot(page, 'player-standard.png');
  });

  it('shows the rules at /rules, reached from the navigation bar', async () => {
    const page = await open('/standings');
    await page.getByRole('link', { name: 'Rules' }).click();
    await page.getByRole('heading', { name: 'Rules of checkers' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/rules');
    for (const heading of ['Moving', 'Capturing', 'How a game ends', 'Older clients (protocol version 1)']) {
      assert.equal(await page.getByRole('heading', { name: heading }).count(), 1, `a section "${heading}"`);
    }
    assert.match((await page.locator('main').textContent()) ?? '', /Capturing is compulsory/);
    await screenshot(page, 'rules.png');
  });
});
