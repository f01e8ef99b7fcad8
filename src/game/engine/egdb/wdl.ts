import { BLACK } from '../../position.js';
import { checksumOf, type TableHeader, tableFile } from './format.js';
import { indexOf, keyOfPosition, materialName, materialsOf, type Slice, sliceOf } from './indexing.js';
import type { EndgameProbe } from './probe.js';
import { DRAW, type EndgameTables, INVALID, isLoss, isWin } from './solve.js';

/**
 * The compressed form of the endgame databases: win, draw or loss for the
 * side to move at 2 bits a position (4 to a byte, the lowest bits first),
 * one file per piece count holding every slice of that many pieces: a
 * one-line JSON header (format, version, pieces, slices, checksum of the
 * packed data), a newline, the packed bytes. On disk and on the wire the
 * whole file is gzipped (`egdb-standard-N.wdl.gz`).
 *
 * Indices that name no position (two groups on one square) hold the value
 * before them: never probed, and runs compress better.
 */
export const WDL_FORMAT = 'checkers-egdb-wdl';
export const WDL_FORMAT_VERSION = 1;
const PACKED_DRAW = 0;
const PACKED_WIN = 1;
const PACKED_LOSS = 2;
/** Probe codes in solve.ts's coding: a win or loss whose distance (1 or 0 here) means nothing. */
const WIN_CODE = 3;
const LOSS_CODE = 2;

export function wdlFileNameFor(pieces: number): string {
  return `egdb-standard-${pieces}.wdl.gz`;
}

/** One piece count's packed file contents, shareable between threads (the buffer may be a SharedArrayBuffer). */
export interface WdlPart {
  readonly header: string;
  readonly packed: Uint8Array;
}

/** Win/draw/loss tables: 2 bits a position. */
export class WdlTables implements EndgameProbe {
  readonly exactPieces = 0;
  readonly #slices = new Map<number, { readonly slice: Slice; readonly packed: Uint8Array; readonly offset: number }>();
  readonly #parts: WdlPart[] = [];
  maxPieces = 0;

  /** Adds one piece count's file (gunzipped); throws a one-line reason if it is not one, or is damaged. */
  addFile(file: Uint8Array): number {
    const newline = file.indexOf(10);
    if (newline < 0) throw new Error('not a compressed endgame database file (no header)');
    return this.addPart({
      header: new TextDecoder().decode(file.subarray(0, newline)),
      packed: file.subarray(newline + 1),
    });
  }

  /** Adds one piece count, as addFile or as another thread's WdlTables.parts gave it (no copy). */
  addPart(part: WdlPart): number {
    let header: TableHeader;
    try {
      header = JSON.parse(part.header) as TableHeader;
    } catch {
      throw new Error('not a compressed endgame database file (no header)');
    }
    if (header.format !== WDL_FORMAT || header.version !== WDL_FORMAT_VERSION || header.rules !== 'standard') {
      throw new Error(`unsupported endgame database (${header.format} version ${header.version}); regenerate it`);
    }
    const slices = header.slices.map((entry) => sliceOf(entry.material));
    const entries = slices.reduce((sum, slice) => sum + slice.size, 0);
    if (
      part.packed.length !== Math.ceil(entries / 4) ||
      header.slices.some((entry, i) => entry.size !== slices[i]?.size)
    ) {
      throw new Error(`compressed endgame database for ${header.pieces} pieces has the wrong size; regenerate it`);
    }
    if (checksumOf(part.packed) !== header.checksum) {
      throw new Error(`compressed endgame database for ${header.pieces} pieces fails its checksum; regenerate it`);
    }
    let offset = 0;
    for (const slice of slices) {
      this.#slices.set(slice.key, { slice, packed: part.packed, offset });
      offset += slice.size;
    }
    this.#parts.push(part);
    this.maxPieces = Math.max(this.maxPieces, header.pieces);
    return header.pieces;
  }

  /** The parts added, to hand to another thread (share them: put `packed` in a SharedArrayBuffer first). */
  get parts(): readonly WdlPart[] {
    return this.#parts;
  }

  probe(black: number, white: number, kings: number, turn: number): number {
    if ((turn === BLACK ? black : white) === 0) return LOSS_CODE;
    if ((turn === BLACK ? white : black) === 0) return -1;
    const entry = this.#slices.get(keyOfPosition(black, white, kings));
    if (!entry) return -1;
    const at = entry.offset + indexOf(entry.slice, black, white, kings, turn);
    const value = ((entry.packed[at >> 2] as number) >> ((at & 3) * 2)) & 3;
    return value === PACKED_WIN ? WIN_CODE : value === PACKED_LOSS ? LOSS_CODE : DRAW;
  }
}

/** The (uncompressed, not yet gzipped) file for every slice of exactly `pieces` pieces in `tables`. */
export function encodeWdl(tables: EndgameTables, pieces: number): Uint8Array {
  const slices = materialsOf(pieces).map(sliceOf);
  const entries = slices.reduce((sum, slice) => sum + slice.size, 0);
  const packed = new Uint8Array(Math.ceil(entries / 4));
  let at = 0;
  let previous = PACKED_DRAW;
  for (const slice of slices) {
    const values = tables.values.get(slice.key);
    if (!values) throw new Error(`${materialName(slice.material)} is not solved`);
    for (let i = 0; i < values.length; i++, at++) {
      const code = values[i] as number;
      const value = code === INVALID ? previous : isWin(code) ? PACKED_WIN : isLoss(code) ? PACKED_LOSS : PACKED_DRAW;
      previous = value;
      packed[at >> 2] = (packed[at >> 2] as number) | (value << ((at & 3) * 2));
    }
  }
  return tableFile(WDL_FORMAT, WDL_FORMAT_VERSION, pieces, slices, packed);
}
