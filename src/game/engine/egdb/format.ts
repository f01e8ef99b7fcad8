import { type Material, materialName, materialsOf, type Slice, sliceOf } from './indexing.js';
import type { EndgameTables } from './solve.js';

/**
 * One file per piece count, holding every slice of exactly that many
 * pieces: a one-line JSON header (format, version, rules, pieces, each
 * slice's name and size, the FNV-1a checksum of the data), a newline, then
 * the slices' value bytes one after the other in the header's order.
 */
export const FORMAT = 'checkers-egdb';
export const FORMAT_VERSION = 1;

/** A table file's header line, in both formats (the byte and the 2-bit one); `format` and `version` tell them apart. */
export interface TableHeader {
  readonly format: string;
  readonly version: number;
  readonly rules: 'standard';
  readonly pieces: number;
  readonly slices: readonly { readonly name: string; readonly material: Material; readonly size: number }[];
  readonly checksum: string;
}

export function fileNameFor(pieces: number): string {
  return `egdb-standard-${pieces}.bin`;
}

export function checksumOf(data: Uint8Array): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < data.length; i++) hash = Math.imul(hash ^ (data[i] as number), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/** The file for every slice of exactly `pieces` pieces in `tables`. */
export function encodeTables(tables: EndgameTables, pieces: number): Uint8Array {
  const slices = materialsOf(pieces).map(sliceOf);
  const total = slices.reduce((sum, slice) => sum + slice.size, 0);
  const data = new Uint8Array(total);
  let offset = 0;
  for (const slice of slices) {
    const values = tables.values.get(slice.key);
    if (!values) throw new Error(`${materialName(slice.material)} is not solved`);
    data.set(values, offset);
    offset += values.length;
  }
  return tableFile(FORMAT, FORMAT_VERSION, pieces, slices, data);
}

/**
 * A table file of either format: its header (the slices' names and sizes,
 * the data's checksum) as one line of JSON, then the data.
 */
export function tableFile(
  format: string,
  version: number,
  pieces: number,
  slices: readonly Slice[],
  data: Uint8Array,
): Uint8Array {
  const header: TableHeader = {
    format,
    version,
    rules: 'standard',
    pieces,
    slices: slices.map((slice) => ({ name: materialName(slice.material), material: slice.material, size: slice.size })),
    checksum: checksumOf(data),
  };
  const head = new TextEncoder().encode(`${JSON.stringify(header)}\n`);
  const file = new Uint8Array(head.length + data.length);
  file.set(head, 0);
  file.set(data, head.length);
  return file;
}

/** One piece count's exact file contents, shareable between threads (the data's buffer may be a SharedArrayBuffer). */
export interface ExactPart {
  readonly header: string;
  readonly data: Uint8Array;
}

/** The gzipped exact file the server keeps for `pieces` pieces (the .bin file, gzipped). */
export function exactFileNameFor(pieces: number): string {
  return `${fileNameFor(pieces)}.gz`;
}

/** A table file of either format as its header line and data (no copy). */
export function splitTableFile(file: Uint8Array): { readonly header: string; readonly data: Uint8Array } {
  const newline = file.indexOf(10);
  if (newline < 0) throw new Error('not an endgame database file (no header)');
  return { header: new TextDecoder().decode(file.subarray(0, newline)), data: file.subarray(newline + 1) };
}

/** Reads a file written by encodeTables into `tables` (copying its data); throws a one-line reason if it is not one, or is damaged. */
export function decodeTables(file: Uint8Array, tables: EndgameTables): number {
  const part = splitTableFile(file);
  return addExactPart({ header: part.header, data: part.data.slice() }, tables);
}

/**
 * Adds one piece count's exact values to `tables` without copying them (a
 * thread sharing `part.data` shares the values); throws a one-line reason
 * if it is not such a part, or is damaged.
 */
export function addExactPart(part: ExactPart, tables: EndgameTables): number {
  let header: TableHeader;
  try {
    header = JSON.parse(part.header) as TableHeader;
  } catch {
    throw new Error('not an endgame database file (no header)');
  }
  if (header.format !== FORMAT || header.version !== FORMAT_VERSION || header.rules !== 'standard') {
    throw new Error(`unsupported endgame database (${header.format} version ${header.version}); regenerate it`);
  }
  const { data } = part;
  const slices: Slice[] = header.slices.map((entry) => sliceOf(entry.material));
  const expected = slices.reduce((sum, slice) => sum + slice.size, 0);
  if (data.length !== expected || header.slices.some((entry, i) => entry.size !== slices[i]?.size)) {
    throw new Error(`endgame database for ${header.pieces} pieces has the wrong size; regenerate it`);
  }
  if (checksumOf(data) !== header.checksum) {
    throw new Error(`endgame database for ${header.pieces} pieces fails its checksum; regenerate it`);
  }
  let offset = 0;
  for (const slice of slices) {
    tables.add(slice, data.subarray(offset, offset + slice.size));
    offset += slice.size;
  }
  return header.pieces;
}
