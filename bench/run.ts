import { mkdtempSync, rmSync } from 'node:fs';
import { arch, cpus, platform, tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchApi } from './api.bench.js';
import { benchDiscovery } from './discovery.bench.js';
import { benchEngine } from './engine.bench.js';
import { benchPerft, benchPerftV1, PUBLISHED_PERFT } from './perft.bench.js';
import { benchProtocol } from './protocol.bench.js';
import { benchReferee } from './referee.bench.js';
import { benchResume } from './resume.bench.js';

/**
 * `npm run bench` prints figures for docs/performance.md. They
 * are measurements, not pass/fail tests (except that perft must match the
 * published counts).
 */
const deep = process.argv.includes('--deep');
const depths = deep ? [9, 10, 11] : [9, 10];

console.log(`command: npm run bench${deep ? ' -- --deep' : ''}`);
console.log(
  `machine: node ${process.version}, ${platform()} ${arch()}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}`,
);
const rows = [
  ...benchProtocol(),
  ...benchPerft(depths),
  ...benchPerftV1(deep ? [7, 8] : [7]),
  ...benchReferee(),
  ...benchEngine(),
  ...(await benchDiscovery()),
  ...(await inTemporaryDirectory(benchApi)),
  ...(await inTemporaryDirectory(benchResume)),
];
async function inTemporaryDirectory(
  bench: (directory: string) => Promise<Array<[string, string]>>,
): Promise<Array<[string, string]>> {
  const directory = mkdtempSync(join(tmpdir(), 'checkers-bench-api-'));
  try {
    return await bench(directory);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

const width = Math.max(...rows.map(([name]) => name.length));
for (const [name, value] of rows) console.log(`${name.padEnd(width)}  ${value}`);
const wrong = rows.filter(([, value]) => value.includes('EXPECTED'));
if (wrong.length > 0) {
  console.error(`perft disagrees with the published counts ${JSON.stringify(PUBLISHED_PERFT)}`);
  process.exitCode = 1;
}
