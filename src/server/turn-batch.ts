import type { Logger } from 'pino';
import type { LiveGame, Store } from './store/store.js';

/** Output held until the turn's commit; released by `flushOutput`. */
export interface HeldOutput {
  flushOutput(): void;
}

/** A game whose state changed this turn; `snapshot` is undefined once it has finished. */
export interface ChangedGame {
  readonly id: number;
  snapshot(): LiveGame | undefined;
}

/**
 * The commit-before-reply barrier. During a turn of the event loop, sessions
 * hold their output and games report that they changed. Once per loop
 * iteration, every changed game is written in one transaction, and only then
 * is the held output released. So a move is never answered before it is on
 * disk, and thousands of games cost one commit per turn, not one per move.
 */
export class TurnBatch {
  readonly #held = new Set<HeldOutput>();
  readonly #changed = new Map<number, ChangedGame>();
  #scheduled = false;
  commits = 0;

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
    /** Off only for measuring what persistence costs. */
    private readonly persistMoves = true,
  ) {}

  hold(output: HeldOutput): void {
    this.#held.add(output);
    this.#schedule();
  }

  changed(game: ChangedGame): void {
    if (!this.persistMoves) return;
    this.#changed.set(game.id, game);
    this.#schedule();
  }

  /** Commits and releases now (shutdown, tests). */
  flush(): void {
    this.#scheduled = false;
    const games: LiveGame[] = [];
    for (const game of this.#changed.values()) {
      const snapshot = game.snapshot();
      if (snapshot) games.push(snapshot);
    }
    this.#changed.clear();
    if (games.length > 0) {
      try {
        this.store.saveLiveGames(games);
        this.commits++;
      } catch (error) {
        this.log.error({ err: error, games: games.length }, 'could not save games in progress');
      }
    }
    const held = [...this.#held];
    this.#held.clear();
    for (const output of held) output.flushOutput();
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    // setImmediate from inside the check phase runs in the next loop iteration,
    // so everything handled in this iteration shares one commit.
    setImmediate(() => this.flush());
  }
}
