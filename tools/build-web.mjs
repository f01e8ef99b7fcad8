// Bundles the browser client (src/web) into dist/web: content-hashed assets under /assets and an
// index.html that loads them (no inline script or style, so the server's CSP can forbid both).
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'web');
/** The budget for all JavaScript of the page, gzipped (issue 16). */
const JS_BUDGET_BYTES = 150 * 1024;

await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });

const result = await build({
  absWorkingDir: root,
  entryPoints: { app: 'src/web/main.ts' },
  bundle: true,
  format: 'esm',
  target: ['es2022'],
  platform: 'browser',
  minify: true,
  sourcemap: 'linked',
  outdir: join(outdir, 'assets'),
  entryNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  publicPath: '/assets',
  metafile: true,
  logLevel: 'warning',
});

const outputs = Object.keys(result.metafile.outputs).map((file) => relative(outdir, join(root, file)));
const script = outputs.find((file) => file.endsWith('.js'));
const style = outputs.find((file) => file.endsWith('.css'));
if (!script || !style) throw new Error(`the web bundle lacks a script or a stylesheet: ${outputs.join(', ')}`);

const html = (await readFile(join(root, 'src', 'web', 'index.html'), 'utf8'))
  .replace('%STYLE%', `/${style}`)
  .replace('%SCRIPT%', `/${script}`);
await writeFile(join(outdir, 'index.html'), html);

let gzipped = 0;
for (const file of await readdir(join(outdir, 'assets'))) {
  if (file.endsWith('.js')) gzipped += gzipSync(await readFile(join(outdir, 'assets', file)), { level: 9 }).length;
}
const kb = (gzipped / 1024).toFixed(1);
console.log(`web client: dist/web, all JavaScript ${kb} KB gzipped (budget ${JS_BUDGET_BYTES / 1024} KB)`);
if (gzipped > JS_BUDGET_BYTES) {
  console.error(`the web client's JavaScript is over its budget: ${kb} KB gzipped`);
  process.exit(1);
}
