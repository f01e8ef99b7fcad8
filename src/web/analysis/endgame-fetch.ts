import type { PositionAnalyser } from '../../game/engine/analysis.js';
import { WdlTables, wdlFileNameFor } from '../../game/engine/egdb/wdl.js';

/*
 * The server's endgame databases for the analysis worker: the compressed
 * files of 2, 3 and 4 pieces (0.7 MB in all) from /api/egdb/, gunzipped
 * here, handed to the analyser as each piece count arrives. /api/egdb lists
 * the files ready: none on a server without them (turned off, or still
 * generating), and the analysis then goes on without them, as it does for
 * every piece count after the first one missing.
 */

/** The most pieces fetched (the 5-piece file is about 25 times bigger). */
export const BROWSER_EGDB_PIECES = 4;
export const EGDB_PATH = '/api/egdb/';
/** Lists the files the server has ready, so that none is asked for in vain. */
export const EGDB_INDEX = '/api/egdb';

interface GunzipStream {
  readonly readable: unknown;
  readonly writable: unknown;
}
type GunzipConstructor = new (format: 'gzip') => GunzipStream;

export async function loadEndgame(analyser: PositionAnalyser): Promise<number> {
  const Gunzip = (globalThis as unknown as { readonly DecompressionStream?: GunzipConstructor }).DecompressionStream;
  if (!Gunzip || typeof fetch !== 'function') return 1;
  const tables = new WdlTables();
  let pieces = 1;
  try {
    const index = (await (await fetch(EGDB_INDEX)).json()) as { readonly files?: readonly string[] };
    for (let count = 2; count <= BROWSER_EGDB_PIECES; count++) {
      const name = wdlFileNameFor(count);
      if (!index.files?.includes(name)) break;
      const response = await fetch(`${EGDB_PATH}${name}`);
      if (!response.ok || !response.body) break;
      const gunzipped = response.body.pipeThrough(new Gunzip('gzip') as never) as ReadableStream<Uint8Array>;
      tables.addFile(new Uint8Array(await new Response(gunzipped).arrayBuffer()));
      pieces = count;
      analyser.useEndgame(tables);
    }
  } catch {
    // A failed or damaged download: the analysis keeps what arrived before it.
  }
  return pieces;
}
