import type { AnalysisRules, Evaluation } from '../../game/engine/analysis.js';
import type { WorkerReply, WorkerRequest } from './worker-protocol.js';

/** The engine worker's address, set by tools/build-web.mjs (a content-hashed file under /assets). */
declare const ANALYSIS_WORKER_URL: string;

export interface AnalysisJob {
  readonly fen: string;
  readonly rules: AnalysisRules;
  readonly quietPlies?: number;
  readonly maxDepth?: number;
  readonly timeMs?: number;
}

interface Pending {
  readonly onProgress: (evaluation: Evaluation) => void;
  readonly resolve: (evaluation: Evaluation | undefined) => void;
  readonly reject: (error: Error) => void;
}

const DEFAULT_DEPTH = 20;
const DEFAULT_TIME_MS = 3000;

/**
 * The page's side of the engine worker: one worker, started on first use;
 * `analyse` replaces whatever it was doing (the replaced job resolves with
 * undefined) and resolves with the deepest evaluation found.
 */
export class EngineClient {
  #worker: Worker | undefined;
  #nextId = 1;
  readonly #pending = new Map<number, Pending>();

  analyse(job: AnalysisJob, onProgress: (evaluation: Evaluation) => void = () => {}): Promise<Evaluation | undefined> {
    this.cancel();
    const id = this.#nextId++;
    const request: WorkerRequest = {
      type: 'analyse',
      id,
      fen: job.fen,
      rules: job.rules,
      quietPlies: job.quietPlies ?? 0,
      maxDepth: job.maxDepth ?? DEFAULT_DEPTH,
      timeMs: job.timeMs ?? DEFAULT_TIME_MS,
    };
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { onProgress, resolve, reject });
      this.#start().postMessage(request);
    });
  }

  /** Stops the job under way, if any (its promise resolves with undefined). */
  cancel(): void {
    for (const [id, pending] of this.#pending) {
      this.#worker?.postMessage({ type: 'cancel', id } satisfies WorkerRequest);
      pending.resolve(undefined);
    }
    this.#pending.clear();
  }

  /** Ends the worker (the page is left). */
  close(): void {
    this.cancel();
    this.#worker?.terminate();
    this.#worker = undefined;
  }

  #start(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(ANALYSIS_WORKER_URL);
    worker.onmessage = (event: MessageEvent<WorkerReply>) => this.#answer(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      for (const pending of this.#pending.values()) pending.reject(new Error(`the engine stopped: ${event.message}`));
      this.#pending.clear();
      this.#worker = undefined;
    };
    this.#worker = worker;
    return worker;
  }

  #answer(reply: WorkerReply): void {
    const pending = this.#pending.get(reply.id);
    if (!pending) return;
    if (reply.type === 'progress') {
      pending.onProgress(reply.evaluation);
      return;
    }
    this.#pending.delete(reply.id);
    if (reply.type === 'error') pending.reject(new Error(reply.message));
    else pending.resolve(reply.evaluation ?? undefined);
  }
}
