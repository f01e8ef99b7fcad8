import type { AnalysisRules, Evaluation } from '../../game/engine/analysis.js';

/*
 * The messages between a page and the engine worker (engine-worker.ts). A
 * page asks for one position at a time: a new `analyse` replaces the job
 * under way, `cancel` stops it. The worker answers each completed depth with
 * `progress`, then `done` (with the deepest evaluation), or `error`; a
 * cancelled or replaced job gets no further answer.
 */

export interface AnalyseRequest {
  readonly type: 'analyse';
  /** Chosen by the page; echoed in every answer. */
  readonly id: number;
  /** The position in PDN FEN, e.g. `W:W21,K30:B1,K4`. */
  readonly fen: string;
  readonly rules: AnalysisRules;
  /** Plies since the last capture or man move (version 1's forty-move rule). */
  readonly quietPlies?: number;
  readonly maxDepth: number;
  /** The whole job's time (ms); the worker stops deepening when it is spent. */
  readonly timeMs: number;
}

export interface CancelRequest {
  readonly type: 'cancel';
  readonly id: number;
}

export type WorkerRequest = AnalyseRequest | CancelRequest;

export type WorkerReply =
  | { readonly type: 'progress'; readonly id: number; readonly evaluation: Evaluation }
  | { readonly type: 'done'; readonly id: number; readonly evaluation: Evaluation | null }
  | { readonly type: 'error'; readonly id: number; readonly message: string };
