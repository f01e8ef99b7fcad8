import type { Logger } from 'pino';
import { type Clock, systemClock } from './clock.js';
import type { LiveGame } from './domain/games.js';
import { describeStorageFailure } from './store/storage-fault.js';
import type { GameRecord, GameStore, TurnWrites } from './store/store.js';

/** Output held until the turn's commit; released by `flushOutput`. */
export interface HeldOutput {
  flushOutput(): void;
  /** True when the held messages may speak of a game, so they wait for the game's state to be stored. */
  readonly concernsGame: boolean;
  /** Storage stayed down too long: drop what is held, unsent, and close. */
  abandonOutput(): void;
}

/** A game whose state changed this turn; `snapshot` is undefined once it has finished. */
export interface ChangedGame {
  readonly id: number;
  snapshot(): LiveGame | undefined;
}

export interface TurnBatchOptions {
  readonly clock?: Clock;
  /** Off only for measuring what persistence costs (finished games are recorded all the same). */
  readonly persistMoves?: boolean;
  /** First retry after a failed commit; each next one waits twice as long, up to `retryMaxMs`. */
  readonly retryFirstMs?: number;
  readonly retryMaxMs?: number;
  /** How long storage may fail before `outageLimit` is called; 0 = never. */
  readonly outageLimitMs?: number;
  /**
   * Writes wait until this long after the previous commit began (0: the next
   * loop iteration). A store across the network pays per commit (a round trip,
   * a wake-up of its server), so under load a few milliseconds gather many
   * turns' moves into one commit; when idle, the wait has already passed.
   */
  readonly minCommitIntervalMs?: number;
  /** Called once per outage when storage has failed for `outageLimitMs` (the game service abandons its games). */
  readonly outageLimit?: () => void;
  /**
   * Cluster: the commit skipped these games, which another node has taken
   * over (GameStore.commit). Called before the commit's held output is released,
   * so that whoever holds output about them drops it unsent.
   */
  readonly fencedOff?: (gameIds: readonly number[]) => void;
  /** Told how long each commit took, and whether storage took it (the metrics). */
  readonly commitTimed?: (ms: number, ok: boolean) => void;
}

export const DEFAULT_STORAGE_OUTAGE_LIMIT_MS = 60_000;

interface Failure {
  readonly since: number;
  code: string;
  attempts: number;
}

/**
 * The commit-before-reply barrier. During a turn of the event loop, sessions
 * hold their output and games report that they changed or finished. Once per
 * loop iteration, every change is written in one transaction, and only once
 * that commit has resolved is the held output released. So a move is never
 * answered before it is on disk, and thousands of games cost one commit per
 * turn, not one per move.
 *
 * The store is asynchronous (SQLite answers at once, a database across the
 * network does not). At most one commit is in flight: what later turns
 * change and hold waits for the next one, which takes the latest state of
 * every changed game, so the writes of one game reach the store in order.
 * A session whose output is held does not read its next message until that
 * output is released (see `holdsBack`).
 *
 * When a commit fails (disk full, read-only, locked by another process, the
 * file deleted...), nothing is lost and nothing is claimed: the writes stay
 * pending, the replies that may speak of a game stay held (lobby replies go
 * out), the failure is logged once, and the commit is retried with backoff
 * until it succeeds, which releases everything held. If storage stays down
 * for `outageLimitMs`, `outageLimit` is called once (the game service then
 * abandons the games in progress).
 */
export class TurnBatch {
  readonly #held = new Set<HeldOutput>();
  /** Output whose release waits for a commit that failed. */
  readonly #blocked = new Set<HeldOutput>();
  #changed = new Map<number, ChangedGame>();
  #finished: GameRecord[] = [];
  #scheduled = false;
  /** The commit in flight, if any: no other starts until it settles. */
  #inFlight: Promise<boolean> | undefined;
  /** The changed games the commit in flight took; they come back if it fails. */
  #committing: ReadonlyMap<number, ChangedGame> = new Map();
  readonly #clock: Clock;
  readonly #persistMoves: boolean;
  readonly #retryFirstMs: number;
  readonly #retryMaxMs: number;
  readonly #outageLimitMs: number;
  readonly #minCommitIntervalMs: number;
  /** When the last commit began (the clock's time). */
  #lastCommitAt = Number.NEGATIVE_INFINITY;
  #failure: Failure | undefined;
  #cancelRetry: (() => void) | undefined;
  #cancelOutageLimit: (() => void) | undefined;
  /** A deleted database file is being written back (once at a time). */
  #restoring = false;
  readonly #outageLimit: (() => void) | undefined;
  readonly #fencedOff: ((gameIds: readonly number[]) => void) | undefined;
  readonly #commitTimed: ((ms: number, ok: boolean) => void) | undefined;
  commits = 0;
  failedCommits = 0;

  constructor(
    private readonly store: GameStore,
    private readonly log: Logger,
    options: TurnBatchOptions = {},
  ) {
    this.#clock = options.clock ?? systemClock;
    this.#persistMoves = options.persistMoves ?? true;
    this.#retryFirstMs = options.retryFirstMs ?? 100;
    this.#retryMaxMs = options.retryMaxMs ?? 2_000;
    this.#outageLimitMs = options.outageLimitMs ?? DEFAULT_STORAGE_OUTAGE_LIMIT_MS;
    this.#minCommitIntervalMs = options.minCommitIntervalMs ?? 0;
    this.#outageLimit = options.outageLimit;
    this.#fencedOff = options.fencedOff;
    this.#commitTimed = options.commitTimed;
  }

  /** True while storage cannot write: replies about games are held and no new game should start. */
  get failing(): boolean {
    return this.#failure !== undefined;
  }

  /** True while held output cannot go out this turn: a commit is in flight, or storage is failing. */
  get holdsBack(): boolean {
    return this.#inFlight !== undefined || this.failing;
  }

  /** Writes waiting for storage: games in progress and finished games. */
  get pending(): { readonly games: number; readonly results: number } {
    let games = this.#changed.size;
    for (const id of this.#committing.keys()) if (!this.#changed.has(id)) games++;
    return { games, results: this.#finished.length };
  }

  hold(output: HeldOutput): void {
    this.#held.add(output);
    this.#schedule();
  }

  changed(game: ChangedGame): void {
    if (!this.#persistMoves) return;
    this.#changed.set(game.id, game);
    this.#schedule();
  }

  /** A finished game, recorded with the turn's other writes (removing it from the games in progress). */
  finished(record: GameRecord): void {
    this.#finished.push(record);
    this.#schedule();
  }

  /**
   * Replaces every result not yet stored (storage stayed down too long), for
   * instance by an abandoned game; returns the records replaced.
   */
  replacePendingResults(replace: (record: GameRecord) => GameRecord): GameRecord[] {
    const replaced = this.#finished;
    this.#finished = replaced.map(replace);
    return replaced;
  }

  /** Closes, unsent, every connection whose replies wait for storage. */
  abandonBlocked(): number {
    const blocked = [...this.#blocked];
    this.#blocked.clear();
    for (const output of blocked) output.abandonOutput();
    return blocked.length;
  }

  /**
   * Commits what this turn changed and releases what may go out once the
   * commit resolves. While a commit is in flight, this turn's output and
   * writes wait for the next one (started when the one in flight settles).
   */
  flush(): void {
    this.#scheduled = false;
    const wait = this.#lastCommitAt + this.#minCommitIntervalMs - this.#clock.now();
    if (wait > 0 && !this.#inFlight && !this.failing && (this.#changed.size > 0 || this.#finished.length > 0)) {
      this.#scheduled = true;
      this.#clock.after(wait, () => this.flush());
      return;
    }
    void this.#flush();
  }

  async #flush(): Promise<void> {
    if (this.#inFlight) return;
    const held = [...this.#held];
    this.#held.clear();
    // While storage fails, the retry timer makes the commits.
    const committed = !this.failing && (await this.#commit());
    for (const output of held) {
      if (committed || (!output.concernsGame && !this.#blocked.has(output))) output.flushOutput();
      else this.#blocked.add(output);
    }
  }

  /** Shutdown: one last try to store what is pending; says what is lost if it fails. */
  async drain(): Promise<void> {
    this.#stopRetrying();
    await this.#inFlight;
    this.#stopRetrying();
    this.#failure = undefined;
    await this.#flush();
    if (!this.failing) return;
    this.#stopRetrying();
    this.log.error(
      { games: this.pending.games, results: this.#finished.length },
      'shutting down with writes that storage never took; the players were not told of them, and they are lost',
    );
  }

  #stopRetrying(): void {
    this.#cancelRetry?.();
    this.#cancelRetry = undefined;
    this.#cancelOutageLimit?.();
    this.#cancelOutageLimit = undefined;
  }

  /** Writes everything pending in one transaction; resolves false if storage refused. Never two at once. */
  #commit(): Promise<boolean> {
    const taken = this.#changed;
    const live: LiveGame[] = [];
    for (const game of taken.values()) {
      const snapshot = game.snapshot();
      if (snapshot) live.push(snapshot);
    }
    // Results stay listed until stored (so that an outage may still replace them); these are the first `results`.
    const results = this.#finished.length;
    if (live.length === 0 && results === 0) {
      this.#changed.clear();
      return Promise.resolve(true);
    }
    this.#changed = new Map();
    this.#committing = taken;
    this.#lastCommitAt = this.#clock.now();
    const commit = this.#write({ live, finished: this.#finished.slice() }, taken, results);
    this.#inFlight = commit;
    return commit;
  }

  async #write(writes: TurnWrites, taken: Map<number, ChangedGame>, results: number): Promise<boolean> {
    let ok: boolean;
    let fenced: readonly number[] = [];
    const startedAt = performance.now();
    try {
      fenced = (await this.store.commit(writes)).fenced;
      this.#commitTimed?.(performance.now() - startedAt, true);
      this.commits++;
      this.#finished.splice(0, results);
      ok = true;
    } catch (error) {
      this.failedCommits++;
      this.#commitTimed?.(performance.now() - startedAt, false);
      // Games changed again meanwhile are listed already; their snapshot is taken afresh at the next commit.
      for (const [id, game] of taken) if (!this.#changed.has(id)) this.#changed.set(id, game);
      this.#failed(error);
      ok = false;
    }
    if (fenced.length > 0) {
      // Still in flight: output held about these games cannot go out while they are dropped.
      for (const id of fenced) this.#changed.delete(id);
      this.#fencedOff?.(fenced);
    }
    this.#committing = new Map();
    this.#inFlight = undefined;
    // What later turns changed or held waited for this commit.
    if (this.#held.size > 0 || this.#changed.size > 0 || this.#finished.length > 0) this.#schedule();
    return ok;
  }

  #failed(error: unknown): void {
    const { code, text } = describeStorageFailure(error);
    let failure = this.#failure;
    if (!failure) {
      failure = { since: this.#clock.now(), code, attempts: 0 };
      this.#failure = failure;
      this.log.error(
        { code, games: this.#changed.size, results: this.#finished.length },
        `storage cannot write: ${text}. Replies about games are held and no new game starts until it can; retrying`,
      );
      if (this.#outageLimitMs > 0) {
        this.#cancelOutageLimit = this.#clock.after(this.#outageLimitMs, () => {
          this.#cancelOutageLimit = undefined;
          if (this.failing) this.#outageLimit?.();
        });
      }
    } else if (failure.code !== code) {
      failure.code = code;
      this.log.error({ code }, `storage still cannot write, now because ${text}`);
    }
    if (code === 'DB_DELETED') this.#restoreDeletedFile();
    const delay = Math.min(this.#retryMaxMs, this.#retryFirstMs * 2 ** Math.min(failure.attempts, 20));
    failure.attempts++;
    this.#cancelRetry = this.#clock.after(delay, () => this.#retry());
  }

  /** A deleted database file is written back from the open connection, once; the retries then succeed. */
  #restoreDeletedFile(): void {
    if (this.#restoring || !this.store.restoreDeletedFile) return;
    this.#restoring = true;
    this.store
      .restoreDeletedFile()
      .then((restored) => {
        if (restored) this.log.warn('the deleted database file was written back from the open database');
      })
      .catch((error: unknown) => this.log.error({ err: error }, 'could not write the deleted database file back'))
      .finally(() => {
        this.#restoring = false;
      });
  }

  #retry(): void {
    this.#cancelRetry = undefined;
    if (this.#inFlight) {
      // A retry never overlaps a commit: try again once that one settles (it may succeed and end the outage).
      void this.#inFlight.then(() => {
        if (this.failing && !this.#cancelRetry) this.#retry();
      });
      return;
    }
    void this.#commit().then((committed) => {
      if (committed) this.#recovered();
    });
  }

  /** The first commit that succeeds after failures: the outage ends and every held reply goes out. */
  #recovered(): void {
    if (!this.failing) return;
    const failure = this.#failure;
    this.#failure = undefined;
    this.#stopRetrying();
    const blocked = [...this.#blocked];
    this.#blocked.clear();
    this.log.warn(
      { seconds: failure ? (this.#clock.now() - failure.since) / 1000 : 0, released: blocked.length },
      'storage writes again; held replies released',
    );
    for (const output of blocked) output.flushOutput();
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    // setImmediate from inside the check phase runs in the next loop iteration,
    // so everything handled in this iteration shares one commit.
    setImmediate(() => this.flush());
  }
}
