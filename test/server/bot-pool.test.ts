import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { describe, it } from 'node:test';
import pino from 'pino';
import { moveByteOf, toWireBoard } from '../../src/common/wire.js';
import { positionFromFen } from '../../src/game/fen.js';
import { parseMoveText } from '../../src/game/notation.js';
import { BLACK, INITIAL_POSITION, type Position } from '../../src/game/position.js';
import { legalMoves } from '../../src/game/standard.js';
import { newStandardGame, playStandardPath } from '../../src/game/standard-game.js';
import { legalSteps, newV1Game } from '../../src/game/v1.js';
import { type AnyMessage, type Message, type MoveByte, NO_MOVE } from '../../src/protocol/index.js';
import { BotPool, defaultBotThreads, thinkBudgetMs } from '../../src/server/bot-pool.js';
import { type BotThinker, InlineThinker, type ThinkAnswer, type ThinkRequest } from '../../src/server/bot-thinker.js';
import { DEFAULT_RATING } from '../../src/server/domain/rating.js';
import { HouseBot } from '../../src/server/house-bot.js';
import { StandardBot } from '../../src/server/play/standard-bot.js';
import { ManualClock } from '../support/manual-clock.js';
import { waitUntil } from '../support/wait.js';

const OPENING_MOVES = legalSteps(newV1Game(INITIAL_POSITION)).map((step) => moveByteOf(step.from, step.direction));
const OPENING: ThinkRequest = { position: INITIAL_POSITION, level: 10 };

/** The position after `moves` (standard notation) under standard rules. */
function standardPosition(moves: readonly string[]): Position {
  let game = newStandardGame();
  for (const text of moves) {
    const reading = parseMoveText(text);
    assert.ok(reading.ok);
    const outcome = playStandardPath(game, reading.move.squares);
    assert.ok(outcome.ok);
    game = outcome.game;
  }
  assert.equal(legalMoves(game.position).length, 1);
  return game.position;
}

function capturingLog(): { log: pino.Logger; lines: string[] } {
  const lines: string[] = [];
  return { log: pino({ level: 'info' }, { write: (line: string) => lines.push(line) }), lines };
}

/** The answer to one request, or a rejection naming it after `timeoutMs`. */
function ask(pool: BotThinker, request: ThinkRequest, timeoutMs = 15_000): Promise<MoveByte | undefined> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer at level ${request.level}`)), timeoutMs);
    pool.think(request, (move) => {
      clearTimeout(timer);
      resolve(move);
    });
  });
}

describe('BotPool: the house bot in worker threads', () => {
  it('leaves a core to the event loop: 1 thread on 2 cores, at most 4', () => {
    assert.equal(defaultBotThreads(1), 1);
    assert.equal(defaultBotThreads(2), 1);
    assert.equal(defaultBotThreads(4), 3);
    assert.equal(defaultBotThreads(64), 4);
  });

  it("shares a level's time with the requests waiting, down to 20 ms", () => {
    assert.equal(thinkBudgetMs(1000, 1, 0), 1000, 'nobody waiting: the full time');
    assert.equal(thinkBudgetMs(1000, 1, 1), 500);
    assert.equal(thinkBudgetMs(1000, 2, 2), 500, 'one waiting per thread halves it');
    assert.equal(thinkBudgetMs(1000, 1, 99), 20, 'never under 20 ms');
    assert.equal(thinkBudgetMs(10, 1, 5), 10, 'nor over the level time');
  });

  it('searches on another thread: the event loop stays responsive during a full level-10 search', async () => {
    const pool = new BotPool({ threads: 1, log: capturingLog().log });
    const delay = monitorEventLoopDelay({ resolution: 10 });
    try {
      // The first search also starts the thread; time the second, a full second of level-10 search.
      assert.ok(OPENING_MOVES.includes((await ask(pool, OPENING)) ?? NO_MOVE));
      const started = performance.now();
      delay.enable();
      const move = await ask(pool, OPENING);
      delay.disable();
      assert.ok(OPENING_MOVES.includes(move ?? NO_MOVE), 'a legal opening move');
      assert.ok(performance.now() - started >= 500, 'the search used the level time (1 s), not a node budget');
      // Generous: on the loop the same search would hold it for its full second.
      assert.ok(delay.max / 1e6 < 300, `the loop was held up ${(delay.max / 1e6).toFixed(0)} ms`);
    } finally {
      delay.disable();
      await pool.close();
    }
  });

  it('answers a standard-rules request with the index of a legal move, in a thread and on the loop alike', async () => {
    // After 11-15 22-18 Black must take 15x22: the only legal move, index 0.
    const afterOpening = { position: standardPosition(['11-15', '22-18']), level: 3, rules: 'standard' as const };
    const pool = new BotPool({ threads: 1, log: capturingLog().log });
    try {
      assert.equal(await ask(pool, afterOpening), 0);
      const index = await ask(pool, { position: INITIAL_POSITION, level: 3, rules: 'standard' });
      assert.ok(index !== undefined && index >= 0 && index < legalMoves(INITIAL_POSITION).length);
    } finally {
      await pool.close();
    }
    assert.equal(await ask(new InlineThinker(() => 0.5), afterOpening), 0);
  });

  it('its threads run at the lowest priority, so the event loop comes first when cores are short (Linux)', async (t) => {
    if (!existsSync('/proc/self/task')) {
      t.skip('no /proc: per-thread nice values are read on Linux');
      return;
    }
    const niceValues = () =>
      readdirSync('/proc/self/task').map((task) => {
        const stat = readFileSync(`/proc/self/task/${task}/stat`, 'utf8');
        // Fields after the command name start at state (3rd); nice is the 19th.
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
      });
    assert.ok(!niceValues().includes(19), 'no thread is niced before the pool starts one');
    const pool = new BotPool({ threads: 1, log: capturingLog().log });
    try {
      await ask(pool, { position: INITIAL_POSITION, level: 1 });
      assert.equal(niceValues().filter((nice) => nice === 19).length, 1, 'the bot thread, and only it');
    } finally {
      await pool.close();
    }
  });

  it('a request cancelled while it waits is never answered; close() drops what waits and ends the threads', async () => {
    const pool = new BotPool({ threads: 1, log: capturingLog().log });
    try {
      const answered: string[] = [];
      const record =
        (name: string): ThinkAnswer =>
        () =>
          answered.push(name);
      pool.think(OPENING, record('first'));
      const cancel = pool.think({ position: INITIAL_POSITION, level: 1 }, record('cancelled'));
      pool.think({ position: INITIAL_POSITION, level: 2 }, record('third'));
      assert.equal(pool.waiting, 2, 'one thread: the others wait');
      cancel();
      assert.equal(pool.waiting, 1);
      await waitUntil(() => answered.length === 2, 'the first and third answers');
      assert.deepEqual(answered, ['first', 'third'], 'served in turn, without the cancelled one');

      pool.think(OPENING, record('running at close'));
      pool.think(OPENING, record('waiting at close'));
      assert.equal(pool.threads, 1);
      await pool.close();
      assert.equal(pool.threads, 0, 'the thread is terminated');
      assert.equal(pool.waiting, 0);
      pool.think(OPENING, record('after close'));
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.deepEqual(answered, ['first', 'third'], 'nothing answered after close');
    } finally {
      await pool.close();
    }
  });

  it('a request with its own budget (a hint) is given that time instead of its level’s', async () => {
    const pool = new BotPool({
      threads: 1,
      log: capturingLog().log,
      workerUrl: new URL('../support/budget-echo-worker.js', import.meta.url),
    });
    try {
      assert.equal(await ask(pool, { position: INITIAL_POSITION, level: 10, rules: 'standard', budgetMs: 500 }), 500);
      assert.equal(await ask(pool, { position: INITIAL_POSITION, level: 10, rules: 'standard' }), 1000);
    } finally {
      await pool.close();
    }
  });

  it('a request cancelled while it is searched stops its thread at once: the next one does not wait out its time', async () => {
    const pool = new BotPool({ threads: 1, log: capturingLog().log });
    try {
      await ask(pool, { position: INITIAL_POSITION, level: 1 });
      const answered: string[] = [];
      // A minute's search: without the stop it would hold the only thread for the rest of that minute,
      // so the bound below holds on any machine, however loaded, when the stop works, and fails when it does not.
      const cancel = pool.think({ ...OPENING, budgetMs: 60_000 }, () => answered.push('cancelled'));
      await new Promise((resolve) => setTimeout(resolve, 50));
      const started = performance.now();
      cancel();
      const next = await ask(pool, { position: INITIAL_POSITION, level: 1 });
      const waited = performance.now() - started;
      assert.ok(OPENING_MOVES.includes(next ?? NO_MOVE));
      assert.ok(waited < 20_000, `the next request waited ${waited.toFixed(0)} ms`);
      assert.deepEqual(answered, [], 'the cancelled request is never answered');
    } finally {
      await pool.close();
    }
  });

  it('a crashed thread is replaced; its request is answered on the loop, with one log line', async () => {
    const { log, lines } = capturingLog();
    const pool = new BotPool({
      threads: 1,
      log,
      workerUrl: new URL('../support/crashing-bot-worker.js', import.meta.url),
    });
    try {
      const fallback = await ask(pool, { position: INITIAL_POSITION, level: 1 });
      assert.ok(OPENING_MOVES.includes(fallback ?? NO_MOVE), 'the fallback plays a legal move');
      assert.equal(lines.length, 1, 'one log line');
      const entry = JSON.parse(lines[0] ?? '{}') as { msg?: string; err?: string; answeredOnLoop?: boolean };
      assert.match(entry.msg ?? '', /house-bot thread crashed/);
      assert.equal(entry.err, 'crashing on purpose (test)');
      assert.equal(entry.answeredOnLoop, true);
      const move = await ask(pool, { position: INITIAL_POSITION, level: 5 });
      assert.ok(OPENING_MOVES.includes(move ?? NO_MOVE));
      assert.equal(pool.threadsStarted, 2, 'a new thread answered the next request');
      assert.equal(lines.length, 1, 'and it did not crash');
    } finally {
      await pool.close();
    }
  });
});

/** A thinker that answers only when told, recording what it was asked and what was cancelled. */
class HeldThinker implements BotThinker {
  readonly asked: Array<{ request: ThinkRequest; answer: ThinkAnswer; cancelled: boolean }> = [];

  think(request: ThinkRequest, answer: ThinkAnswer): () => void {
    const entry = { request, answer, cancelled: false };
    this.asked.push(entry);
    return () => {
      entry.cancelled = true;
    };
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

describe('HouseBot with a thinker', () => {
  const yourTurn: Message = { type: 'YourTurn', lastMove: NO_MOVE, board: toWireBoard(INITIAL_POSITION, BLACK) };

  function bot(thinker: BotThinker, clock: ManualClock, played: number[]): HouseBot {
    return new HouseBot({
      accountId: 1,
      name: 'checkers-bot',
      level: 7,
      color: BLACK,
      clock,
      thinker,
      pauseMs: [500, 500],
      play: (_bot, move) => played.push(move),
    });
  }

  it('thinks during its pause and plays once both the pause and the answer are over', () => {
    const clock = new ManualClock();
    const thinker = new HeldThinker();
    const played: number[] = [];
    bot(thinker, clock, played).deliver(yourTurn);
    assert.equal(thinker.asked.length, 1, 'asked at once, not after the pause');
    assert.deepEqual(thinker.asked[0]?.request, {
      position: INITIAL_POSITION,
      level: 7,
      history: { quietPlies: 0, positions: [] },
    });
    const move = OPENING_MOVES[0] ?? NO_MOVE;
    thinker.asked[0]?.answer(move);
    assert.deepEqual(played, [], 'not before the pause');
    clock.advance(500);
    assert.deepEqual(played, [move]);
  });

  it("asks with the game's history, rebuilt from the boards of its turns", () => {
    const clock = new ManualClock();
    const thinker = new HeldThinker();
    const houseBot = bot(thinker, clock, []);
    const turn = (fen: string): Message => ({
      type: 'YourTurn',
      lastMove: NO_MOVE,
      board: toWireBoard(positionFromFen(fen), BLACK),
    });
    houseBot.deliver(turn('B:W25,K30:B5,K14'));
    // Its king went 14-18 and the White king replied 30-26.
    houseBot.deliver(turn('B:W25,K26:B5,K18'));
    assert.deepEqual(thinker.asked[1]?.request.history, {
      quietPlies: 2,
      positions: [positionFromFen('B:W25,K30:B5,K14'), positionFromFen('W:W25,K30:B5,K18')],
    });
    // Then its man moved 5-9: the count restarts after the White king's reply 26-22.
    houseBot.deliver(turn('B:W25,K22:B9,K18'));
    assert.deepEqual(thinker.asked[2]?.request.history, {
      quietPlies: 1,
      positions: [positionFromFen('W:W25,K26:B9,K18')],
    });
  });

  it('a game that ends cancels the request under way, and a late answer plays nothing', () => {
    const clock = new ManualClock();
    const thinker = new HeldThinker();
    const played: number[] = [];
    const houseBot = bot(thinker, clock, played);
    houseBot.deliver(yourTurn);
    houseBot.deliver({ type: 'OpponentDisconnect' });
    assert.equal(thinker.asked[0]?.cancelled, true);
    thinker.asked[0]?.answer(OPENING_MOVES[0]);
    clock.advance(1000);
    assert.deepEqual(played, []);
  });
});

describe('StandardBot with a thinker', () => {
  it("asks with the game's history, rebuilt from the boards of its turns", () => {
    const thinker = new HeldThinker();
    const standardBot = new StandardBot({
      accountId: 1,
      name: 'checkers-bot',
      rating: DEFAULT_RATING,
      level: 7,
      clock: new ManualClock(),
      thinker,
      play: () => {},
    });
    const start: AnyMessage = {
      type: 'GameStart2',
      opponent: 'someone',
      opponentRating: 1200,
      colour: 0,
      initialSeconds: 300,
      incrementSeconds: 0,
      rated: false,
      gameId: 1,
    };
    standardBot.deliver(start);
    const turn = (fen: string): AnyMessage => ({
      type: 'YourMove',
      lastPath: null,
      flags: 0,
      opponentClockMs: 300_000,
      yourClockMs: 300_000,
      board: toWireBoard(positionFromFen(fen), BLACK),
    });
    standardBot.deliver(turn('B:W25,K30:B5,K14'));
    standardBot.deliver(turn('B:W25,K26:B5,K18'));
    assert.equal(thinker.asked[1]?.request.rules, 'standard');
    assert.deepEqual(thinker.asked[1]?.request.history, {
      quietPlies: 2,
      positions: [positionFromFen('B:W25,K30:B5,K14'), positionFromFen('W:W25,K30:B5,K18')],
    });
  });
});
