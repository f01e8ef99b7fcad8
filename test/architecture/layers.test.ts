import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const SOURCE = fileURLToPath(new URL('../../../src/', import.meta.url));

/** Every TypeScript file under a folder, as paths relative to src/. */
function sourceFiles(folder = SOURCE): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [relative(SOURCE, path).split(sep).join('/')] : [];
  });
}

/** The project modules a file imports (static, type-only, re-exports and dynamic), resolved to src/; packages left out. */
function importsOf(file: string, text: string): string[] {
  const specifiers = [
    ...text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+'([^']+)'/gms),
    ...text.matchAll(/^\s*import\s+'([^']+)'/gm),
    ...text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g),
  ].map((match) => match[1] ?? '');
  return specifiers
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => join(dirname(file), specifier).split(sep).join('/'));
}

/** What each folder of src/ may import from the others (packages and Node's builtins aside). */
const ALLOWED: Record<string, readonly string[]> = {
  protocol: ['protocol'],
  game: ['game'],
  common: ['common', 'protocol', 'game'],
  discovery: ['discovery', 'common'],
  'client-core': ['client-core', 'common', 'protocol', 'game'],
  client: ['client', 'client-core', 'common', 'protocol', 'game', 'discovery'],
  web: ['web', 'client-core', 'common', 'protocol', 'game'],
  server: ['server', 'common', 'protocol', 'game', 'discovery'],
};

describe('the layers of src/', () => {
  it('reads imports of every form', () => {
    const text = [
      "import { a } from '../protocol/index.js';",
      "import type { B } from './b.js';",
      "export { c } from '../game/c.js';",
      "import {\n  d,\n  e,\n} from '../common/wire.js';",
      "import { readFile } from 'node:fs/promises';",
      "const f = await import('../server/f.js');",
    ].join('\n');
    assert.deepEqual(importsOf('client/x.ts', text), [
      'protocol/index.js',
      'client/b.js',
      'game/c.js',
      'common/wire.js',
      'server/f.js',
    ]);
  });

  it('import only from the layers below them: protocol and game from nothing else, web and client only through client-core', () => {
    const files = sourceFiles();
    assert.ok(files.length > 100, `found the sources (${files.length})`);
    const breaches: string[] = [];
    const folders = new Set<string>();
    for (const file of files) {
      const layer = file.split('/')[0] ?? '';
      if (!file.includes('/')) continue;
      folders.add(layer);
      const allowed = ALLOWED[layer];
      if (!allowed) {
        breaches.push(`${file}: src/${layer}/ has no rule here; add one`);
        continue;
      }
      for (const target of importsOf(file, readFileSync(join(SOURCE, file), 'utf8'))) {
        if (!allowed.includes(target.split('/')[0] ?? '')) breaches.push(`${file} imports ${target}`);
      }
    }
    assert.deepEqual(breaches, []);
    assert.deepEqual([...folders].sort(), Object.keys(ALLOWED).sort(), 'every folder of src/ has a rule');
  });
});
