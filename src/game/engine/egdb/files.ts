import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { decodeTables, encodeTables, fileNameFor } from './format.js';
import { EndgameTables } from './solve.js';
import { encodeWdl, WdlTables, wdlFileNameFor } from './wdl.js';

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

/** Writes the compressed (win/draw/loss, gzipped) file for `pieces` pieces, atomically; returns its path and size. */
export async function writeWdlFile(
  dir: string,
  tables: EndgameTables,
  pieces: number,
): Promise<{ path: string; bytes: number }> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, wdlFileNameFor(pieces));
  const file = gzipSync(encodeWdl(tables, pieces), { level: 9 });
  await writeFile(`${path}.tmp`, file);
  await rename(`${path}.tmp`, path);
  return { path, bytes: file.length };
}

/**
 * Loads the compressed files for 2 to `maxPieces` pieces from `dir` into
 * one WdlTables; `pieces` is the largest count loaded with every smaller
 * one present (1: none, and the engine plays without them). With `shared`
 * the packed data lives in SharedArrayBuffers, so threads share one copy.
 */
export async function loadWdlTables(
  dir: string,
  maxPieces: number,
  shared = false,
): Promise<{ tables: WdlTables; pieces: number }> {
  const tables = new WdlTables();
  let pieces = 1;
  for (let count = 2; count <= maxPieces; count++) {
    let file: Buffer;
    try {
      file = gunzipSync(await readFile(join(dir, wdlFileNameFor(count))));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') break;
      throw new Error(
        `${wdlFileNameFor(count)} in ${dir} is damaged (${(error as Error).message}); delete it to regenerate it`,
      );
    }
    const newline = file.indexOf(10);
    const packed = shared
      ? new Uint8Array(new SharedArrayBuffer(file.length - newline - 1))
      : new Uint8Array(file.length - newline - 1);
    packed.set(file.subarray(newline + 1));
    tables.addPart({ header: file.subarray(0, newline).toString('utf8'), packed });
    pieces = count;
  }
  return { tables, pieces };
}
