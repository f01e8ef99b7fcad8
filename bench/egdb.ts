#!/usr/bin/env node
import { Command, InvalidArgumentError } from 'commander';
import { DEFAULT_EGDB_DIR, writeTablesFile } from '../src/game/engine/egdb/files.js';
import { MAX_PIECES, materialName } from '../src/game/engine/egdb/indexing.js';
import { solveUpTo } from '../src/game/engine/egdb/solve.js';

function piecesArgument(value: string): number {
  const pieces = Number(value);
  if (!Number.isInteger(pieces) || pieces < 2 || pieces > MAX_PIECES)
    throw new InvalidArgumentError(`N must be a whole number from 2 to ${MAX_PIECES}.`);
  return pieces;
}

const program = new Command('egdb')
  .description('Solve the endgame databases (standard rules) for every position of up to N pieces and write them.')
  .requiredOption('--pieces <N>', 'largest number of pieces on the board', piecesArgument)
  .option('--out <DIR>', 'directory for the files (one per piece count)', DEFAULT_EGDB_DIR)
  .option('--verbose', 'print each material slice as it is solved')
  .action(async (options: { pieces: number; out: string; verbose?: boolean }) => {
    const started = performance.now();
    const secondsByCount = new Map<number, number>();
    const positionsByCount = new Map<number, number>();
    const tables = solveUpTo(options.pieces, {
      onSlice: ({ material, size, milliseconds, longest }) => {
        const count = material.blackKings + material.blackMen + material.whiteKings + material.whiteMen;
        secondsByCount.set(count, (secondsByCount.get(count) ?? 0) + milliseconds / 1000);
        positionsByCount.set(count, (positionsByCount.get(count) ?? 0) + size);
        if (options.verbose)
          process.stderr.write(
            `${materialName(material)}: ${size} positions, longest ${longest} plies, ${(milliseconds / 1000).toFixed(2)} s\n`,
          );
      },
    });
    const solved = performance.now();
    for (let count = 2; count <= options.pieces; count++) {
      const path = await writeTablesFile(options.out, tables, count);
      const positions = positionsByCount.get(count) ?? 0;
      const seconds = secondsByCount.get(count) ?? 0;
      process.stdout.write(
        `${path}: ${count} pieces, ${positions} entries (1 byte each), solved in ${seconds.toFixed(1)} s\n`,
      );
    }
    process.stdout.write(
      `all solved in ${((solved - started) / 1000).toFixed(1)} s, written in ${((performance.now() - solved) / 1000).toFixed(1)} s\n`,
    );
  });

program.parseAsync().catch((error: unknown) => {
  process.stderr.write(`egdb: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
