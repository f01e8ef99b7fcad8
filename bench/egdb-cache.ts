import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadWdlTables, writeWdlFile } from '../src/game/engine/egdb/files.js';
import { solveUpTo } from '../src/game/engine/egdb/solve.js';
import { type WdlTables, wdlFileNameFor } from '../src/game/engine/egdb/wdl.js';

/**
 * The compressed endgame databases for the engine benches, as the server
 * uses them: solved once into the system's temporary directory (4 pieces:
 * seconds) and loaded from there afterwards. Fewer than 2 pieces: none.
 */
export async function benchEndgame(pieces: number, log: (line: string) => void): Promise<WdlTables | undefined> {
  if (pieces < 2) return undefined;
  const dir = join(tmpdir(), 'checkers-bench-egdb');
  if (!existsSync(join(dir, wdlFileNameFor(pieces)))) {
    log(`solving the endgame databases up to ${pieces} pieces into ${dir}...`);
    const tables = solveUpTo(pieces);
    for (let count = 2; count <= pieces; count++) await writeWdlFile(dir, tables, count);
  }
  return (await loadWdlTables(dir, pieces)).tables;
}
