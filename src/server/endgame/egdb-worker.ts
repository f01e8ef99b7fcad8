import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { writeMissingEndgameFiles } from '../../game/engine/egdb/files.js';

/** What the generating thread is given, and what it answers once its files are written. */
export interface GenerateRequest {
  readonly dir: string;
  readonly pieces: number;
  /** Exact files (with distances) up to this many pieces. */
  readonly exactPieces: number;
}
export interface GenerateReply {
  readonly seconds: number;
  readonly bytes: number;
}

/** Writes the missing files (files.ts writeMissingEndgameFiles), at the lowest priority. */
const port = parentPort;
if (!port) throw new Error('egdb-worker.js runs only as a worker thread of EndgameDatabases');
try {
  setPriority(19);
} catch {
  // Not permitted here: it generates at normal priority.
}
const { dir, pieces, exactPieces } = workerData as GenerateRequest;
const started = performance.now();
const bytes = await writeMissingEndgameFiles(dir, pieces, exactPieces);
const reply: GenerateReply = { seconds: (performance.now() - started) / 1000, bytes };
port.postMessage(reply);
