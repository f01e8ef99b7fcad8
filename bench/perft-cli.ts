#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from 'commander';
import { perft, perftDivide, perftV1, perftV1Divide } from '../src/game/perft.js';
import { INITIAL_POSITION } from '../src/game/position.js';
import { newV1Game } from '../src/game/v1.js';

function depthArgument(value: string): number {
  const depth = Number(value);
  if (!Number.isInteger(depth) || depth < 0 || depth > 30)
    throw new InvalidArgumentError('DEPTH must be a whole number from 0 to 30.');
  return depth;
}

const program = new Command('perft')
  .description('Count the positions reachable from the initial position in DEPTH moves.')
  .argument('<DEPTH>', 'number of plies', depthArgument)
  .addOption(
    new Option('--rules <rules>', 'standard English draughts, or the version-1 flow where the server plays jumps')
      .choices(['standard', 'v1'])
      .default('standard'),
  )
  .option('--divide', 'also print the count under each first move')
  .action((depth: number, options: { rules: 'standard' | 'v1'; divide?: boolean }) => {
    const started = performance.now();
    if (options.divide) {
      const rows = options.rules === 'v1' ? perftV1Divide(newV1Game(), depth) : perftDivide(INITIAL_POSITION, depth);
      for (const row of rows) process.stdout.write(`${row.move}: ${row.nodes}\n`);
      process.stderr.write(`${((performance.now() - started) / 1000).toFixed(2)} s\n`);
      process.stdout.write(`${rows.reduce((sum, row) => sum + row.nodes, 0)}\n`);
      return;
    }
    const nodes = options.rules === 'v1' ? perftV1(newV1Game(), depth) : perft(INITIAL_POSITION, depth);
    process.stderr.write(`${((performance.now() - started) / 1000).toFixed(2)} s\n`);
    process.stdout.write(`${nodes}\n`);
  });

program.parse();
