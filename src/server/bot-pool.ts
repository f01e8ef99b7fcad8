import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { EndgameParts } from '../game/engine/egdb/layered.js';
import { levelSettings } from '../game/engine/levels.js';
import type { MoveByte } from '../protocol/index.js';
import { type BotThinker, InlineThinker, type ThinkAnswer, type ThinkRequest } from './bot-thinker.js';

/** A request as it crosses to a worker: the position, the level and the time it may think. */
export interface WorkerRequest extends ThinkRequest {
  readonly id: number;
  readonly timeMs: number;
}

export interface WorkerReply {
  readonly id: number;
  readonly move: MoveByte | undefined;
}

/**
 * One thread fewer than the machine's cores, from 1 to 4: the event loop
 * keeps a core of its own (it serves every player; storage and password
 * hashing use libuv's threads beside it), so a 2-core machine gets 1 thread.
 */
export function defaultBotThreads(cores: number = availableParallelism()): number {
  return Math.min(4, Math.max(1, cores - 1));
}

/** The budget never shrinks below this: 20 ms is still about 60,000 nodes, three times the old budget on the loop. */
export const MIN_THINK_MS = 20;

/**
 * A search's time: its level's, shared with the requests still waiting for a
 * thread (one waiting per thread halves it), never under MIN_THINK_MS (or the
 * level's time, if that is less). So the bot keeps up with many games at once
 * by thinking less per move rather than answering late.
 */
export function thinkBudgetMs(levelMs: number, threads: number, waiting: number): number {
  return Math.max(Math.min(MIN_THINK_MS, levelMs), Math.round((levelMs * threads) / (threads + waiting)));
}
/** A crashed worker's request is answered on the loop with this many nodes (about 1 ms). */
export const FALLBACK_MAX_NODES = 2_000;

export interface BotPoolOptions {
  /** Threads at most; started on first use, replaced when one crashes. */
  readonly threads: number;
  readonly log: Logger;
  /** The worker script (tests substitute one that crashes). */
  readonly workerUrl?: URL;
}

/** What a worker is started with: the flag its pool sets to stop the search under way. */
export interface WorkerSetup {
  /** An Int32Array's SharedArrayBuffer of one element: not 0 asks the running search to end now. */
  readonly stop: SharedArrayBuffer;
  /** The endgame databases, if ready when the thread starts (their data in SharedArrayBuffers: one copy for all). */
  readonly endgame?: EndgameParts;
}

/** Sent to running workers when the endgame databases become ready. */
export interface WorkerEndgame {
  readonly endgame: EndgameParts;
}

interface Job {
  readonly request: ThinkRequest;
  readonly answer: ThinkAnswer;
  cancelled: boolean;
  /** The thread searching it, once dispatched. */
  slot: Slot | undefined;
}

interface Slot {
  readonly worker: Worker;
  readonly serial: number;
  /** Shared with the worker (WorkerSetup.stop): cleared before each request, set to cancel it. */
  readonly stop: Int32Array;
  /** The request being searched, under the id its reply names. */
  running: { readonly id: number; readonly job: Job } | undefined;
  error: Error | undefined;
}

/**
 * The house bot's engine in worker threads, so that its searches, up to its
 * level's full time, never hold up the event loop. Requests wait in one
 * first-come queue when every thread is busy; each game has at most one
 * request at a time, so every game is served in turn. While requests wait,
 * each search gets less than its level's time (thinkBudgetMs). A cancelled
 * request still waiting is dropped; one being searched is stopped through a
 * flag shared with its thread (the search checks it every thousand nodes,
 * so the thread is free within about a millisecond) and its answer ignored.
 */
export class BotPool implements BotThinker {
  readonly #slots = new Set<Slot>();
  readonly #queue: Job[] = [];
  readonly #fallback = new InlineThinker(Math.random, FALLBACK_MAX_NODES);
  readonly #workerUrl: URL;
  #nextId = 1;
  #started = 0;
  #closed = false;
  #endgame: EndgameParts | undefined;

  constructor(private readonly options: BotPoolOptions) {
    if (!Number.isInteger(options.threads) || options.threads < 1) {
      throw new RangeError(`a bot pool needs at least one thread, not ${options.threads}`);
    }
    this.#workerUrl = options.workerUrl ?? new URL('./bot-worker.js', import.meta.url);
  }

  /** Threads running now. */
  get threads(): number {
    return this.#slots.size;
  }

  /** Threads started so far, replacements included. */
  get threadsStarted(): number {
    return this.#started;
  }

  /** Requests waiting for a thread. */
  get waiting(): number {
    return this.#queue.length;
  }

  think(request: ThinkRequest, answer: ThinkAnswer): () => void {
    if (this.#closed) return () => {};
    const job: Job = {
      request: {
        position: request.position,
        level: request.level,
        ...(request.rules ? { rules: request.rules } : {}),
        ...(request.history ? { history: request.history } : {}),
        ...(request.budgetMs !== undefined ? { budgetMs: request.budgetMs } : {}),
      },
      answer,
      cancelled: false,
      slot: undefined,
    };
    this.#queue.push(job);
    this.#dispatch();
    return () => {
      if (job.cancelled) return;
      job.cancelled = true;
      const at = this.#queue.indexOf(job);
      if (at >= 0) this.#queue.splice(at, 1);
      if (job.slot?.running?.job === job) Atomics.store(job.slot.stop, 0, 1);
    };
  }

  /** From now on the threads search standard games with these endgame databases (LayeredTables, shared memory). */
  useEndgame(parts: EndgameParts): void {
    this.#endgame = parts;
    const message: WorkerEndgame = { endgame: parts };
    for (const slot of this.#slots) slot.worker.postMessage(message);
    this.options.log.info(
      { threadsRunning: this.#slots.size },
      "the house bot's threads search standard games with the endgame databases from their next move",
    );
  }

  /** Whether the threads have endgame databases. */
  get hasEndgame(): boolean {
    return this.#endgame !== undefined;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#queue.length = 0;
    const slots = [...this.#slots];
    this.#slots.clear();
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  #dispatch(): void {
    while (this.#queue.length > 0) {
      const slot = this.#idleSlot();
      if (!slot) return;
      const job = this.#queue.shift();
      if (!job) return;
      const id = this.#nextId++;
      slot.running = { id, job };
      job.slot = slot;
      Atomics.store(slot.stop, 0, 0);
      const levelMs = job.request.budgetMs ?? levelSettings(job.request.level).timeMs;
      const timeMs = thinkBudgetMs(levelMs, this.options.threads, this.#queue.length);
      const message: WorkerRequest = { id, ...job.request, timeMs };
      slot.worker.postMessage(message);
    }
  }

  #idleSlot(): Slot | undefined {
    for (const slot of this.#slots) if (!slot.running) return slot;
    return this.#slots.size < this.options.threads ? this.#startWorker() : undefined;
  }

  #startWorker(): Slot {
    const stop = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
    const setup: WorkerSetup = { stop, ...(this.#endgame ? { endgame: this.#endgame } : {}) };
    const worker = new Worker(this.#workerUrl, { workerData: setup });
    const slot: Slot = {
      worker,
      serial: ++this.#started,
      stop: new Int32Array(stop),
      running: undefined,
      error: undefined,
    };
    this.#slots.add(slot);
    worker.on('message', (reply: WorkerReply) => {
      const running = slot.running;
      if (!running || running.id !== reply.id) return;
      slot.running = undefined;
      if (!running.job.cancelled) running.job.answer(reply.move);
      this.#dispatch();
    });
    worker.on('error', (error) => {
      slot.error = error;
    });
    worker.on('exit', (code) => this.#exited(slot, code));
    return slot;
  }

  /** A thread ended: after close, as asked; otherwise it crashed, and its request is answered on the loop. */
  #exited(slot: Slot, code: number): void {
    if (!this.#slots.delete(slot)) return;
    const job = slot.running?.job;
    this.options.log.error(
      { thread: slot.serial, code, err: slot.error?.message, answeredOnLoop: job !== undefined && !job.cancelled },
      'a house-bot thread crashed; a new one replaces it (its move, if it had one, came from a quick search on the loop)',
    );
    if (job && !job.cancelled) this.#fallback.think(job.request, job.answer);
    this.#dispatch();
  }
}
