import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { loadLayeredTables, missingEndgameFiles } from '../../game/engine/egdb/files.js';
import type { LayeredTables } from '../../game/engine/egdb/layered.js';
import { wdlFileNameFor } from '../../game/engine/egdb/wdl.js';
import type { ApiRoute } from '../web/http-types.js';
import type { GenerateReply, GenerateRequest } from './egdb-worker.js';

/**
 * Up to 4 pieces by default: solved and written in 8 to 10 s of one core
 * with 150 MB at its peak. 5 pieces take about 5 minutes and 1.2 GB at the peak
 * (`--egdb-pieces 5`), too much to impose on every server at its first start.
 */
export const DEFAULT_EGDB_PIECES = 4;
export const MAX_EGDB_PIECES = 5;
/**
 * The house bot keeps exact values (with distances: it converts every won
 * ending the shortest way) up to this many pieces, 14.9 MB in memory and
 * 3.7 MB of files; win/draw/loss above (5 pieces: 2 bits a position, 90 MB).
 */
export const EXACT_EGDB_PIECES = 4;
/** The browser's analysis fetches the win/draw/loss files up to this many pieces (0.63 MB in all); the 5-piece file is far bigger. */
export const BROWSER_EGDB_PIECES = 4;
/** Where the browser fetches them: `/api/egdb/egdb-standard-N.wdl.gz`, listed at `/api/egdb`. */
export const EGDB_ROUTE = '/api/egdb/:file';
export const EGDB_INDEX_ROUTE = '/api/egdb';

/** What GET /api/egdb answers: the files ready for the browser, smallest first (none: turned off, or not ready yet). */
export interface EgdbIndex {
  readonly files: readonly string[];
}

/**
 * The browser's routes: the list of files ready, on every server (so that
 * the analysis asks for no file that is not there), and the files.
 */
export function endgameRoutes(databases: EndgameDatabases | undefined): ApiRoute[] {
  const index: ApiRoute = {
    method: 'GET',
    pattern: EGDB_INDEX_ROUTE,
    handle: () => {
      const answer: EgdbIndex = { files: databases?.browserFiles ?? [] };
      return { status: 200, body: answer };
    },
  };
  return databases ? [index, databases.route] : [index];
}

export interface EndgameSettings {
  /** The directory of the compressed files (egdb/ beside the SQLite database by default). */
  readonly dir: string;
  /** The most pieces, 2 to MAX_EGDB_PIECES. */
  readonly pieces: number;
}

/**
 * The server's endgame databases: loaded from `dir` at start when every file
 * is there, else generated first by a worker thread at the lowest priority
 * while the server plays without them; logged once when ready. Whoever
 * needs them (the house bot's threads) registers with onReady.
 */
export class EndgameDatabases {
  #tables: LayeredTables | undefined;
  readonly #listeners: ((tables: LayeredTables) => void)[] = [];
  readonly #browserFiles = new Map<string, Buffer>();
  #worker: Worker | undefined;
  #stopped = false;
  /** Settles once the tables are ready, or failed (logged), or the server stopped. */
  readonly settled: Promise<void>;
  #settle: () => void = () => {};

  constructor(
    private readonly settings: EndgameSettings,
    private readonly log: Logger,
    /** The generating thread's script. */
    private readonly workerUrl: URL = new URL('./egdb-worker.js', import.meta.url),
  ) {
    this.settled = new Promise((resolve) => {
      this.#settle = resolve;
    });
  }

  get tables(): LayeredTables | undefined {
    return this.#tables;
  }

  /** Calls `listener` with the tables once they are ready (at once if they are). */
  onReady(listener: (tables: LayeredTables) => void): void {
    if (this.#tables) listener(this.#tables);
    else this.#listeners.push(listener);
  }

  /** Loads or generates in the background; never throws (a failure is logged and the server plays without them). */
  start(): void {
    void this.#prepare()
      .catch((error: unknown) => {
        this.log.error(
          { err: (error as Error).message, dir: this.settings.dir },
          'endgame databases unavailable; the house bot plays without them',
        );
      })
      .finally(() => this.#settle());
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#worker?.terminate();
    this.#settle();
  }

  /** The files the browser may fetch now. */
  get browserFiles(): string[] {
    return [...this.#browserFiles.keys()];
  }

  /** GET /api/egdb/egdb-standard-N.wdl.gz: the gzipped file, for the browser's analysis (N up to BROWSER_EGDB_PIECES). */
  get route(): ApiRoute {
    return {
      method: 'GET',
      pattern: EGDB_ROUTE,
      handle: (request) => {
        const name = request.params.file ?? '';
        const file = this.#browserFiles.get(name);
        if (file) {
          return {
            status: 200,
            body: file,
            headers: { 'Content-Type': 'application/gzip', 'Cache-Control': 'public, max-age=86400' },
          };
        }
        const known = [...Array(BROWSER_EGDB_PIECES - 1).keys()].map((i) => wdlFileNameFor(i + 2)).includes(name);
        return {
          status: 404,
          body: {
            error: known
              ? `${name} is not ready on this server yet (it is generated in the background, or turned off); try again later`
              : `no endgame database ${name}; the files are egdb-standard-2.wdl.gz to egdb-standard-${BROWSER_EGDB_PIECES}.wdl.gz`,
          },
        };
      },
    };
  }

  async #prepare(): Promise<void> {
    const { dir, pieces } = this.settings;
    const exactPieces = Math.min(pieces, EXACT_EGDB_PIECES);
    let generated: GenerateReply | undefined;
    const missing = missingEndgameFiles(dir, pieces, exactPieces);
    if (missing.length > 0) {
      this.log.info(
        { dir, pieces, missing },
        'generating the endgame databases in the background; the house bot plays without them meanwhile',
      );
      generated = await this.#generate(exactPieces);
      if (this.#stopped || !generated) return;
    }
    const loaded = await loadLayeredTables(dir, pieces, exactPieces, true);
    if (this.#stopped) return;
    for (let count = 2; count <= Math.min(pieces, BROWSER_EGDB_PIECES); count++) {
      const name = wdlFileNameFor(count);
      this.#browserFiles.set(name, await readFile(join(dir, name)));
    }
    this.#tables = loaded.tables;
    this.log.info(
      {
        dir,
        pieces: loaded.pieces,
        exactPieces: loaded.tables.exactPieces,
        memoryMB: Math.round(loaded.tables.bytes / 1e5) / 10,
        ...(generated
          ? {
              generatedInSeconds: Math.round(generated.seconds * 10) / 10,
              filesMB: Math.round(generated.bytes / 1e5) / 10,
            }
          : {}),
      },
      'endgame databases ready; the house bot uses them in standard games',
    );
    for (const listener of this.#listeners.splice(0)) listener(loaded.tables);
  }

  #generate(exactPieces: number): Promise<GenerateReply | undefined> {
    const request: GenerateRequest = { dir: this.settings.dir, pieces: this.settings.pieces, exactPieces };
    const worker = new Worker(this.workerUrl, { workerData: request });
    this.#worker = worker;
    return new Promise((resolve, reject) => {
      let reply: GenerateReply | undefined;
      worker.on('message', (message: GenerateReply) => {
        reply = message;
      });
      worker.on('error', reject);
      worker.on('exit', (code) => {
        this.#worker = undefined;
        if (reply || this.#stopped) resolve(reply);
        else reject(new Error(`the generating thread stopped (exit code ${code})`));
      });
    });
  }
}
