import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { missingEndgameFiles, writeExactFile, writeWdlFile } from '../../game/engine/egdb/files.js';
import { exactFileNameFor } from '../../game/engine/egdb/format.js';
import { solveUpTo } from '../../game/engine/egdb/solve.js';
import { wdlFileNameFor } from '../../game/engine/egdb/wdl.js';

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

/**
 * Solves the slices up to the most pieces of any missing file and writes
 * the missing files (win/draw/loss up to `pieces`, exact up to
 * `exactPieces`), at the lowest priority.
 */
const port = parentPort;
if (!port) throw new Error('egdb-worker.js runs only as a worker thread of EndgameDatabases');
try {
  setPriority(19);
} catch {
  // Not permitted here: it generates at normal priority.
}
const { dir, pieces, exactPieces } = workerData as GenerateRequest;
const started = performance.now();
const missing = new Set(missingEndgameFiles(dir, pieces, exactPieces));
let needed = 0;
for (let count = 2; count <= pieces; count++) {
  if (missing.has(wdlFileNameFor(count)) || missing.has(exactFileNameFor(count))) needed = count;
}
const tables = solveUpTo(needed);
let bytes = 0;
for (let count = 2; count <= needed; count++) {
  if (missing.has(wdlFileNameFor(count))) bytes += (await writeWdlFile(dir, tables, count)).bytes;
  if (missing.has(exactFileNameFor(count))) bytes += (await writeExactFile(dir, tables, count)).bytes;
}
const reply: GenerateReply = { seconds: (performance.now() - started) / 1000, bytes };
port.postMessage(reply);
