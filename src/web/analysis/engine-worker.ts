import { PositionAnalyser } from '../../game/engine/analysis.js';
import { positionFromFen } from '../../game/fen.js';
import { loadEndgame } from './endgame-fetch.js';
import type { AnalyseRequest, WorkerReply, WorkerRequest } from './worker-protocol.js';

/*
 * The engine in a Web Worker (its own bundle, built apart from the pages by
 * tools/build-web.mjs): searches one position at a time, one depth after
 * another, and between depths gives the event loop a turn so that a cancel
 * or a newer request is read. A depth is searched in slices of SLICE_MS; a
 * slice that runs out is searched again from the warm table, so a cancel
 * waits at most about one slice.
 */

const SLICE_MS = 100;

/** What the script uses of a worker's global scope (typed here, so that it also builds without the DOM's types). */
interface WorkerScope {
  postMessage(message: WorkerReply): void;
  onmessage: ((event: { readonly data: WorkerRequest }) => void) | null;
}

const scope = (globalThis as unknown as { readonly self: WorkerScope }).self;
const analyser = new PositionAnalyser();
void loadEndgame(analyser);
/** The job that may run; 0 when none. */
let current = 0;

scope.onmessage = (event) => {
  const request = event.data;
  if (request.type === 'cancel') {
    if (current === request.id) current = 0;
    return;
  }
  current = request.id;
  void run(request);
};

async function run(request: AnalyseRequest): Promise<void> {
  const started = performance.now();
  let best: WorkerReply & { type: 'done' } = { type: 'done', id: request.id, evaluation: null };
  try {
    const position = positionFromFen(request.fen);
    for (let depth = 1; depth <= request.maxDepth; ) {
      await nextTask();
      if (current !== request.id) return;
      const left = request.timeMs - (performance.now() - started);
      if (left <= 0) break;
      const rules = request.rules;
      const evaluation = analyser.searchDepth(position, rules, depth, Math.min(SLICE_MS, left), request.quietPlies);
      if (!evaluation) continue;
      best = { type: 'done', id: request.id, evaluation };
      scope.postMessage({ type: 'progress', id: request.id, evaluation });
      if (evaluation.decided) break;
      depth = evaluation.depth + 1;
    }
    if (current === request.id) scope.postMessage(best);
  } catch (error) {
    if (current === request.id) scope.postMessage({ type: 'error', id: request.id, message: (error as Error).message });
  } finally {
    if (current === request.id) current = 0;
  }
}

function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
