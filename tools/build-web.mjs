// Bundles the browser client (src/web) into dist/web: content-hashed assets under /assets and an
// index.html that loads them (no inline script or style, so the server's CSP can forbid both).
// Three bundles with a budget each, gzipped, each printed: the pages' script that every visit loads
// (the play page included), the analysis pages loaded only when one is opened, and the engine worker.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'web');
const assets = join(outdir, 'assets');
/** The budget for the JavaScript every page loads, the play page's (issue 16). */
const PAGE_BUDGET_BYTES = 150 * 1024;
/** The analysis board and the replay's analysis, loaded on demand (issue 30). */
const ANALYSIS_PAGES_BUDGET_BYTES = 40 * 1024;
/**
 * The engine worker (issue 30): the search, the evaluation and both rule sets
 * are about 8 KB gzipped; 32 KB (four times that) leaves room for the engine to grow (and for
 * database probing code) while catching a dependency bundled by mistake.
 */
const WORKER_BUDGET_BYTES = 32 * 1024;

await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });

const common = {
  absWorkingDir: root,
  bundle: true,
  target: ['es2022'],
  platform: 'browser',
  minify: true,
  sourcemap: 'linked',
  outdir: assets,
  entryNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  publicPath: '/assets',
  metafile: true,
  logLevel: 'warning',
};

const worker = await build({
  ...common,
  entryPoints: { 'engine-worker': 'src/web/analysis/engine-worker.ts' },
  format: 'iife',
});
const workerFile = jsOutputs(worker)[0];
if (!workerFile) throw new Error('the engine worker bundle has no script');

// The analysis pages: an entry of their own, loaded by the pages' dynamic import of its address (so
// nothing of it, nor any chunk shared with it, is in the script every page loads).
const analysisPages = await build({
  ...common,
  entryPoints: { analysis: 'src/web/analysis/analysis-entry.ts' },
  format: 'esm',
  define: { ANALYSIS_WORKER_URL: JSON.stringify(`/${workerFile}`) },
});
const analysisFile = jsOutputs(analysisPages)[0];
if (!analysisFile) throw new Error('the analysis pages bundle has no script');

const pages = await build({
  ...common,
  entryPoints: { app: 'src/web/main.ts' },
  format: 'esm',
  define: { ANALYSIS_PAGES_URL: JSON.stringify(`/${analysisFile}`) },
  external: ['/assets/*'],
});

const outputs = pages.metafile.outputs;
const entry = Object.keys(outputs).find((file) => outputs[file]?.entryPoint && file.endsWith('.js'));
const style = Object.keys(outputs).find((file) => file.endsWith('.css'));
if (!entry || !style)
  throw new Error(`the web bundle lacks a script or a stylesheet: ${Object.keys(outputs).join(', ')}`);
const eager = new Set([entry]);
const lazy = [analysisFile];

const html = (await readFile(join(root, 'src', 'web', 'index.html'), 'utf8'))
  .replace('%STYLE%', `/${webPath(style)}`)
  .replace('%SCRIPT%', `/${webPath(entry)}`);
await writeFile(join(outdir, 'index.html'), html);

const pageBytes = await gzippedSize([...eager].map(webPath));
const analysisBytes = await gzippedSize(lazy);
const workerBytes = await gzippedSize([workerFile]);
// What went where, for test/web/bundles.test.ts (beside dist/web, so that the server does not serve it).
const inputsOf = (files, result) =>
  [
    ...new Set(files.flatMap((file) => Object.keys(result.metafile.outputs[join('dist', 'web', file)]?.inputs ?? {}))),
  ].sort();
await writeFile(
  join(root, 'dist', 'web-bundles.json'),
  JSON.stringify(
    {
      pages: {
        files: [...eager].map(webPath),
        gzipped: pageBytes,
        budget: PAGE_BUDGET_BYTES,
        inputs: inputsOf([...eager].map(webPath), pages),
      },
      analysis: {
        files: lazy,
        gzipped: analysisBytes,
        budget: ANALYSIS_PAGES_BUDGET_BYTES,
        inputs: inputsOf(lazy, analysisPages),
      },
      worker: {
        files: [workerFile],
        gzipped: workerBytes,
        budget: WORKER_BUDGET_BYTES,
        inputs: inputsOf([workerFile], worker),
      },
    },
    null,
    2,
  ),
);
let over = false;
for (const [name, bytes, budget] of [
  ['every page (the play page)', pageBytes, PAGE_BUDGET_BYTES],
  ['analysis pages (on demand)', analysisBytes, ANALYSIS_PAGES_BUDGET_BYTES],
  ['engine worker', workerBytes, WORKER_BUDGET_BYTES],
]) {
  console.log(`web client: ${name}: ${kb(bytes)} KB of JavaScript gzipped (budget ${kb(budget)} KB)`);
  if (bytes > budget) {
    console.error(`the web client's ${name} JavaScript is over its budget: ${kb(bytes)} KB gzipped`);
    over = true;
  }
}
if (over) process.exit(1);

function jsOutputs(result) {
  return Object.keys(result.metafile.outputs)
    .filter((file) => file.endsWith('.js'))
    .map(webPath);
}

/** `dist/web/assets/x.js` (as esbuild names outputs) → `assets/x.js`. */
function webPath(file) {
  return relative(outdir, join(root, file));
}

async function gzippedSize(files) {
  let total = 0;
  for (const file of files) total += gzipSync(await readFile(join(outdir, file)), { level: 9 }).length;
  return total;
}

function kb(bytes) {
  return (bytes / 1024).toFixed(1);
}
