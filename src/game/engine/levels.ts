import type { SearchRules } from './rules.js';
import { type GameHistory, Searcher, type SearcherOptions, type SearchLimits, type SearchResult } from './search.js';

/** How a level plays: how deep and how long it thinks, and how often it plays a random move on purpose. */
export interface LevelSettings {
  readonly level: number;
  readonly maxDepth: number;
  readonly timeMs: number;
  /** Chance of playing a random legal move instead of the searched one. */
  readonly blunder: number;
}

/** Level 1 "makes mistakes on purpose" (half its moves are random); level 10 is full strength. */
export const LEVELS: readonly LevelSettings[] = [
  { level: 1, maxDepth: 1, timeMs: 50, blunder: 0.5 },
  { level: 2, maxDepth: 2, timeMs: 50, blunder: 0.35 },
  { level: 3, maxDepth: 2, timeMs: 100, blunder: 0.2 },
  { level: 4, maxDepth: 3, timeMs: 100, blunder: 0.1 },
  { level: 5, maxDepth: 4, timeMs: 200, blunder: 0.05 },
  { level: 6, maxDepth: 5, timeMs: 300, blunder: 0.02 },
  { level: 7, maxDepth: 6, timeMs: 400, blunder: 0 },
  { level: 8, maxDepth: 8, timeMs: 600, blunder: 0 },
  { level: 9, maxDepth: 12, timeMs: 800, blunder: 0 },
  { level: 10, maxDepth: 64, timeMs: 1000, blunder: 0 },
];

export function levelSettings(level: number): LevelSettings {
  const settings = LEVELS[Math.min(LEVELS.length, Math.max(1, Math.round(level))) - 1];
  if (!settings) throw new RangeError(`no level ${level}`);
  return settings;
}

/** A player of one rule set at one level; keeps its transposition table between moves. */
export class EnginePlayer<S, M> {
  readonly #searcher: Searcher<S, M>;

  constructor(
    private readonly rules: SearchRules<S, M>,
    readonly settings: LevelSettings,
    private readonly random: () => number = Math.random,
    /** Overrides the level's time per move (match runs, tests). */
    private readonly timeMs: number = settings.timeMs,
    options: SearcherOptions = {},
  ) {
    this.#searcher = new Searcher(rules, options);
  }

  /**
   * A move at this level; `limits` replaces the level's depth and time (a
   * server bounds work by nodes); `history` is the game's since the last capture or man move.
   */
  choose(state: S, limits?: SearchLimits, history?: GameHistory): SearchResult<M> {
    const moves = this.rules.moves(state);
    if (moves.length > 1 && this.random() < this.settings.blunder) {
      const move = moves[Math.floor(this.random() * moves.length)];
      return { move, score: 0, depth: 0, nodes: 0, elapsedMs: 0 };
    }
    return this.#searcher.search(state, limits ?? { maxDepth: this.settings.maxDepth, timeMs: this.timeMs }, history);
  }
}
