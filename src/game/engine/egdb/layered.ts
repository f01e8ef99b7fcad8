import { popCount } from '../board.js';
import { addExactPart, type ExactPart } from './format.js';
import type { EndgameProbe } from './probe.js';
import { EndgameTables } from './solve.js';
import { type WdlPart, WdlTables } from './wdl.js';

/** What a thread hands another to share its tables: the parts' data in SharedArrayBuffers, one copy for all. */
export interface EndgameParts {
  readonly exact: readonly ExactPart[];
  readonly wdl: readonly WdlPart[];
}

/**
 * The server's endgame databases: exact values (a byte a position, with
 * the distance to the end) for the small piece counts, where a won ending
 * is converted by the shortest way, and win/draw/loss at 2 bits a position
 * above them, where memory counts. A position is probed in the exact
 * tables when they cover its piece count, else in the win/draw/loss ones.
 */
export class LayeredTables implements EndgameProbe {
  readonly #exact = new EndgameTables();
  readonly #exactParts: ExactPart[] = [];
  readonly #wdl = new WdlTables();

  /** Builds the tables from another thread's parts (no copy). */
  static of(parts: EndgameParts): LayeredTables {
    const tables = new LayeredTables();
    for (const part of parts.exact) tables.addExact(part);
    for (const part of parts.wdl) tables.addWdl(part);
    return tables;
  }

  /** Adds one piece count's exact values (2, 3, ... in turn); throws a one-line reason if damaged. */
  addExact(part: ExactPart): number {
    const pieces = addExactPart(part, this.#exact);
    this.#exactParts.push(part);
    return pieces;
  }

  /** Adds one piece count's win/draw/loss values; throws a one-line reason if damaged. */
  addWdl(part: WdlPart): number {
    return this.#wdl.addPart(part);
  }

  get exactPieces(): number {
    return this.#exact.maxPieces;
  }

  get maxPieces(): number {
    return Math.max(this.#exact.maxPieces, this.#wdl.maxPieces);
  }

  get parts(): EndgameParts {
    return { exact: this.#exactParts, wdl: this.#wdl.parts };
  }

  /** Bytes of table data held. */
  get bytes(): number {
    const sum = (parts: readonly { readonly byteLength: number }[]) =>
      parts.reduce((total, data) => total + data.byteLength, 0);
    return sum(this.#exactParts.map((part) => part.data)) + sum(this.#wdl.parts.map((part) => part.packed));
  }

  probe(black: number, white: number, kings: number, turn: number): number {
    return popCount(black | white) <= this.#exact.maxPieces
      ? this.#exact.probe(black, white, kings, turn)
      : this.#wdl.probe(black, white, kings, turn);
  }
}
