import { moveByteOf } from '../common/wire.js';
import type { EndgameProbe } from '../game/engine/egdb/probe.js';
import { EnginePlayer, levelSettings } from '../game/engine/levels.js';
import { STANDARD_RULES, V1_RULES, type V1Step } from '../game/engine/rules.js';
import type { GameHistory } from '../game/engine/search.js';
import type { Position } from '../game/position.js';
import { legalMoves, type Move } from '../game/standard.js';
import type { V1Game } from '../game/v1.js';
import type { MoveByte } from '../protocol/index.js';

/** What the house bot asks for: a move for the side to move in `position`, at `level`. Plain data, so it crosses threads. */
export interface ThinkRequest {
  readonly position: Position;
  readonly level: number;
  /** Standard rules (a version-2 game); absent: version 1's. */
  readonly rules?: 'standard';
  /** The game's 40-move count and positions since the last capture or man move, as the bot saw them. */
  readonly history?: GameHistory;
  /** The time to think, in place of the level's (a hint's short search); BotPool still shares it when requests wait. */
  readonly budgetMs?: number;
}

/**
 * The move, or undefined when the side to move has none. Version 1: the
 * wire's move byte. Standard rules: the index of the move in
 * `legalMoves(position)` (src/game/standard.ts), which names its whole path.
 */
export type ThinkAnswer = (move: MoveByte | undefined) => void;

/** Finds house-bot moves: in worker threads (BotPool) or on the event loop (InlineThinker). */
export interface BotThinker {
  /** Asks for a move; `answer` is called once, unless the returned function cancels the request first. */
  think(request: ThinkRequest, answer: ThinkAnswer): () => void;
  /** Stops thinking: pending requests are never answered. */
  close(): Promise<void>;
}

/**
 * On the event loop the bot is bounded by nodes, not by the level's time:
 * 20,000 nodes is about 10 ms of work per move.
 */
export const INLINE_MAX_NODES = 20_000;

/** One engine player per level, each keeping its transposition table between moves. */
export class LevelPlayers {
  readonly #players = new Map<number, EnginePlayer<V1Game, V1Step>>();
  readonly #standardPlayers = new Map<number, EnginePlayer<Position, Move>>();
  #endgame: EndgameProbe | undefined;

  constructor(private readonly random: () => number = Math.random) {}

  /**
   * Standard games search with these endgame databases from now on. Not
   * version 1: its referee chooses among jumps at random, so standard-rules
   * values are not exact there (docs/engine.md).
   */
  useEndgame(tables: EndgameProbe): void {
    this.#endgame = tables;
    this.#standardPlayers.clear();
  }

  /** A move for `request`, searched to the level's depth within `budget` (time or nodes). */
  choose(
    request: ThinkRequest,
    budget: { readonly timeMs?: number; readonly maxNodes?: number; readonly stop?: Int32Array },
  ): MoveByte | undefined {
    const settings = levelSettings(request.level);
    if (request.rules === 'standard') return this.#chooseStandard(request, budget);
    let player = this.#players.get(settings.level);
    if (!player) {
      player = new EnginePlayer(V1_RULES, settings, this.random);
      this.#players.set(settings.level, player);
    }
    const game: V1Game = {
      position: request.position,
      quietPlies: request.history?.quietPlies ?? 0,
      result: undefined,
    };
    const { move } = player.choose(game, { maxDepth: settings.maxDepth, ...budget }, request.history);
    return move && moveByteOf(move.from, move.direction);
  }

  #chooseStandard(
    request: ThinkRequest,
    budget: { readonly timeMs?: number; readonly maxNodes?: number; readonly stop?: Int32Array },
  ): number | undefined {
    const settings = levelSettings(request.level);
    let player = this.#standardPlayers.get(settings.level);
    if (!player) {
      const options = this.#endgame ? { endgame: this.#endgame } : {};
      player = new EnginePlayer(STANDARD_RULES, settings, this.random, settings.timeMs, options);
      this.#standardPlayers.set(settings.level, player);
    }
    const { move } = player.choose(request.position, { maxDepth: settings.maxDepth, ...budget }, request.history);
    if (!move) return undefined;
    const index = legalMoves(request.position).findIndex(
      (each) => each.from === move.from && each.path.join() === move.path.join(),
    );
    return index < 0 ? undefined : index;
  }
}

/**
 * Thinks on the event loop, at once, with a node budget: deterministic for a
 * given `random`, so tests on a manual clock replay exactly. The server uses
 * it with `--bot-threads 0`, and BotPool as the fallback when a worker crashes.
 */
export class InlineThinker implements BotThinker {
  readonly #players: LevelPlayers;

  constructor(
    random: () => number = Math.random,
    private readonly maxNodes: number = INLINE_MAX_NODES,
  ) {
    this.#players = new LevelPlayers(random);
  }

  think(request: ThinkRequest, answer: ThinkAnswer): () => void {
    answer(this.#players.choose(request, { maxNodes: this.maxNodes }));
    return () => {};
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
