import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  loadLayeredTables,
  loadWdlTables,
  missingEndgameFiles,
  writeMissingEndgameFiles,
} from '../src/game/engine/egdb/files.js';
import type { EndgameProbe } from '../src/game/engine/egdb/probe.js';
import { EXACT_EGDB_PIECES } from '../src/server/endgame/endgame-databases.js';

/** Where the benches keep the files: the system's temporary directory. */
export const BENCH_EGDB_DIR = join(tmpdir(), 'checkers-bench-egdb');

/**
 * The endgame databases for the engine benches, as the server uses them
 * (exact values up to EXACT_EGDB_PIECES, win/draw/loss above; `wdl`: win,
 * draw or loss only, as the browser's analysis has them): solved once into
 * BENCH_EGDB_DIR (4 pieces: seconds) and loaded from there afterwards.
 * Fewer than 2 pieces: none.
 */
export async function benchEndgame(
  pieces: number,
  log: (line: string) => void,
  kind: 'server' | 'wdl' = 'server',
): Promise<EndgameProbe | undefined> {
  if (pieces < 2) return undefined;
  const exactPieces = Math.min(pieces, EXACT_EGDB_PIECES);
  if (missingEndgameFiles(BENCH_EGDB_DIR, pieces, exactPieces).length > 0) {
    log(`solving the endgame databases up to ${pieces} pieces into ${BENCH_EGDB_DIR}...`);
    await writeMissingEndgameFiles(BENCH_EGDB_DIR, pieces, exactPieces);
  }
  if (kind === 'wdl') return (await loadWdlTables(BENCH_EGDB_DIR, pieces)).tables;
  return (await loadLayeredTables(BENCH_EGDB_DIR, pieces, exactPieces)).tables;
}
