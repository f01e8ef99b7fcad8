import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeTables, encodeTables, fileNameFor } from './format.js';
import { EndgameTables } from './solve.js';

/** The endgame databases' only I/O: files in a directory, one per piece count. */
export const DEFAULT_EGDB_DIR = 'data/egdb';

/** Writes the file for `pieces` pieces (atomically: a temporary file renamed). */
export async function writeTablesFile(dir: string, tables: EndgameTables, pieces: number): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, fileNameFor(pieces));
  await writeFile(`${path}.tmp`, encodeTables(tables, pieces));
  await rename(`${path}.tmp`, path);
  return path;
}

/**
 * Loads the files for 2, 3, ... pieces from `dir` while they exist; the
 * tables cover every piece count up to the first missing one (none: an
 * empty set of tables, and the engine plays without them).
 */
export async function loadTables(dir: string, maxPieces = 5): Promise<{ tables: EndgameTables; pieces: number }> {
  const tables = new EndgameTables();
  let pieces = 1;
  for (let count = 2; count <= maxPieces; count++) {
    let file: Buffer;
    try {
      file = await readFile(join(dir, fileNameFor(count)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') break;
      throw error;
    }
    decodeTables(file, tables);
    pieces = count;
  }
  return { tables, pieces };
}
