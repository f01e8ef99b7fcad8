import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { writeWdlFile } from '../../game/engine/egdb/files.js';
import { solveUpTo } from '../../game/engine/egdb/solve.js';

/** What the generating thread is given, and what it answers once its files are written. */
export interface GenerateRequest {
  readonly dir: string;
  readonly pieces: number;
}
export interface GenerateReply {
  readonly seconds: number;
  readonly bytes: number;
}

/** Solves every slice of up to `pieces` pieces and writes the compressed files, at the lowest priority. */
const port = parentPort;
if (!port) throw new Error('egdb-worker.js runs only as a worker thread of EndgameDatabases');
try {
  setPriority(19);
} catch {
  // Not permitted here: it generates at normal priority.
}
const { dir, pieces } = workerData as GenerateRequest;
const started = performance.now();
const tables = solveUpTo(pieces);
let bytes = 0;
for (let count = 2; count <= pieces; count++) bytes += (await writeWdlFile(dir, tables, count)).bytes;
const reply: GenerateReply = { seconds: (performance.now() - started) / 1000, bytes };
port.postMessage(reply);
