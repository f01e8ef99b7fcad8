#!/usr/bin/env node
import { Command, InvalidArgumentError } from 'commander';
import {
  DEFAULT_EGDB_DIR,
  loadTables,
  loadWdlTables,
  writeExactFile,
  writeTablesFile,
  writeWdlFile,
} from '../src/game/engine/egdb/files.js';
import { type DecodedPosition, MAX_PIECES, materialName, positionAt } from '../src/game/engine/egdb/indexing.js';
import { isWin, solveUpTo } from '../src/game/engine/egdb/solve.js';
import { consistencyProblem } from '../src/game/engine/egdb/verify.js';
import { fenOf } from '../src/game/fen.js';
import { EXACT_EGDB_PIECES } from '../src/server/endgame/endgame-databases.js';

/**
 * `npm run egdb -- --pieces N [--out DIR] [--verbose]` solves and writes the
 * endgame databases (every form: the server's files, ready for --egdb-pieces N); `npm run egdb -- --check [--out DIR] [--sample K]`
 * checks K random positions of every slice of the files in DIR against
 * their moves (standard.ts's, not the solver's).
 */
function wholeNumber(low: number, high: number) {
  return (value: string): number => {
    const number = Number(value);
    if (!Number.isInteger(number) || number < low || number > high)
      throw new InvalidArgumentError(`must be a whole number from ${low} to ${high}.`);
    return number;
  };
}

async function generate(pieces: number, out: string, verbose: boolean): Promise<void> {
  const started = performance.now();
  const secondsByCount = new Map<number, number>();
  const positionsByCount = new Map<number, number>();
  const longestByCount = new Map<number, number>();
  const tables = solveUpTo(pieces, {
    onSlice: ({ material, size, milliseconds, longest }) => {
      const count = material.blackKings + material.blackMen + material.whiteKings + material.whiteMen;
      secondsByCount.set(count, (secondsByCount.get(count) ?? 0) + milliseconds / 1000);
      positionsByCount.set(count, (positionsByCount.get(count) ?? 0) + size);
      longestByCount.set(count, Math.max(longestByCount.get(count) ?? 0, longest));
      if (verbose)
        process.stderr.write(
          `${materialName(material)}: ${size} positions, longest ${longest} plies, ${(milliseconds / 1000).toFixed(2)} s\n`,
        );
    },
  });
  const solved = performance.now();
  for (let count = 2; count <= pieces; count++) {
    const path = await writeTablesFile(out, tables, count);
    process.stdout.write(
      `${path}: ${count} pieces, ${positionsByCount.get(count)} entries (1 byte each), longest win ${longestByCount.get(count)} plies, solved in ${(secondsByCount.get(count) ?? 0).toFixed(1)} s\n`,
    );
    const compressed = await writeWdlFile(out, tables, count);
    process.stdout.write(
      `${compressed.path}: win/draw/loss, ${Math.ceil((positionsByCount.get(count) ?? 0) / 4)} bytes in memory, ${compressed.bytes} bytes gzipped\n`,
    );
    if (count <= EXACT_EGDB_PIECES) {
      const exact = await writeExactFile(out, tables, count);
      process.stdout.write(`${exact.path}: exact, as the server keeps it, ${exact.bytes} bytes gzipped\n`);
    }
  }
  process.stdout.write(
    `all solved in ${((solved - started) / 1000).toFixed(1)} s, written in ${((performance.now() - solved) / 1000).toFixed(1)} s, peak memory ${Math.round(process.resourceUsage().maxRSS / 1024)} MB\n`,
  );
}

/**
 * Probe speed of both forms over the same random positions (every slice
 * alike), and whether they agree on win, draw or loss at each.
 */
async function measure(dir: string, probes: number): Promise<void> {
  const { tables, pieces } = await loadTables(dir);
  const { tables: wdl, pieces: wdlPieces } = await loadWdlTables(dir, pieces);
  if (pieces < 2 || wdlPieces !== pieces)
    throw new Error(`write both forms first: npm run egdb -- --pieces 4 --out ${dir}`);
  const decoded: DecodedPosition = { black: 0, white: 0, kings: 0, turn: 0, valid: false };
  const slices = [...tables.slices.values()];
  const sample = new Int32Array(probes * 4);
  let state = 7;
  const random = (bound: number) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return Math.floor((state / 2 ** 32) * bound);
  };
  for (let i = 0; i < probes; ) {
    const slice = slices[random(slices.length)];
    if (!slice) continue;
    positionAt(slice, random(slice.size), decoded);
    if (!decoded.valid) continue;
    sample.set([decoded.black, decoded.white, decoded.kings, decoded.turn], i * 4);
    i++;
  }
  const time = (probe: (b: number, w: number, k: number, t: number) => number) => {
    let sum = 0;
    const started = performance.now();
    for (let i = 0; i < probes; i++)
      sum += probe(
        sample[i * 4] as number,
        sample[i * 4 + 1] as number,
        sample[i * 4 + 2] as number,
        sample[i * 4 + 3] as number,
      );
    return { ms: performance.now() - started, sum };
  };
  const outcome = (code: number) => (code === 0 ? 0 : isWin(code) ? 1 : 2);
  let disagree = 0;
  for (let i = 0; i < probes; i++) {
    const [b, w, k, t] = [sample[i * 4], sample[i * 4 + 1], sample[i * 4 + 2], sample[i * 4 + 3]] as [
      number,
      number,
      number,
      number,
    ];
    if (outcome(tables.probe(b, w, k, t)) !== outcome(wdl.probe(b, w, k, t))) disagree++;
  }
  for (let round = 0; round < 2; round++) {
    const exact = time((b, w, k, t) => tables.probe(b, w, k, t));
    const packed = time((b, w, k, t) => wdl.probe(b, w, k, t));
    if (round === 1)
      process.stdout.write(
        `${dir}: up to ${pieces} pieces, ${probes} random probes: 1 byte a position ${(((probes / exact.ms) * 1000) / 1e6).toFixed(2)} M/s, 2 bits ${(((probes / packed.ms) * 1000) / 1e6).toFixed(2)} M/s; ${disagree} disagree on win/draw/loss\n`,
      );
  }
  if (disagree > 0) process.exitCode = 1;
}

async function check(dir: string, sample: number): Promise<void> {
  const { tables, pieces } = await loadTables(dir);
  if (pieces < 2)
    throw new Error(`no endgame database in ${dir}; write one with npm run egdb -- --pieces 4 --out ${dir}`);
  const decoded: DecodedPosition = { black: 0, white: 0, kings: 0, turn: 0, valid: false };
  let state = 19;
  const random = (bound: number) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return Math.floor((state / 2 ** 32) * bound);
  };
  let checked = 0;
  let problems = 0;
  for (const slice of tables.slices.values()) {
    for (let i = 0; i < sample; i++) {
      positionAt(slice, random(slice.size), decoded);
      if (!decoded.valid) continue;
      const position = {
        black: decoded.black >>> 0,
        white: decoded.white >>> 0,
        kings: decoded.kings >>> 0,
        turn: decoded.turn as 0 | 1,
      };
      const problem = consistencyProblem(tables, position);
      checked++;
      if (problem) {
        problems++;
        if (problems <= 10) process.stdout.write(`${fenOf(position)}: ${problem}\n`);
      }
    }
  }
  process.stdout.write(`${dir}: up to ${pieces} pieces, ${checked} positions checked, ${problems} inconsistent\n`);
  if (problems > 0) process.exitCode = 1;
}

const program = new Command('egdb')
  .description('Solve the endgame databases (standard rules) for every position of up to N pieces and write them.')
  .option('--pieces <N>', 'largest number of pieces on the board', wholeNumber(2, MAX_PIECES))
  .option('--out <DIR>', 'directory for the files (one per piece count)', DEFAULT_EGDB_DIR)
  .option('--verbose', 'print each material slice as it is solved')
  .option('--check', 'check the files in --out instead: random positions against their moves')
  .option('--sample <K>', 'positions checked per material slice', wholeNumber(1, 1_000_000_000), 2000)
  .option('--measure', 'time probes of both forms (1 byte and 2 bits a position) in --out instead')
  .action(
    async (options: {
      pieces?: number;
      out: string;
      verbose?: boolean;
      check?: boolean;
      measure?: boolean;
      sample: number;
    }) => {
      if (options.check) return check(options.out, options.sample);
      if (options.measure) return measure(options.out, 2_000_000);
      if (options.pieces === undefined) throw new Error('say how many pieces: npm run egdb -- --pieces 4');
      return generate(options.pieces, options.out, options.verbose === true);
    },
  );

program.parseAsync().catch((error: unknown) => {
  process.stderr.write(`egdb: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
