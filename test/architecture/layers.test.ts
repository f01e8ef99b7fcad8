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

/**
 * Rooms of src/server/ with rules of their own, as prefixes of paths under src/:
 * what a room may import (allowed), or what it must not (forbidden).
 */
const SERVER_ROOMS: ReadonlyArray<{
  readonly room: string;
  readonly allowed?: readonly string[];
  readonly forbidden?: readonly string[];
}> = [
  // The nouns every other room speaks (games, players, ratings): types and pure rules, nothing below them;
  // from the pure protocol only its value types (TimeControl is declared once, where the wire carries it).
  { room: 'server/domain/', allowed: ['server/domain/', 'game/', 'protocol/v2-values.js'] },
  // Persistence speaks the domain, never the HTTP API's JSON nor the web gateway.
  { room: 'server/store/', forbidden: ['common/', 'server/web/'] },
];

function breachesOfRooms(
  files: readonly string[],
  read = (file: string) => readFileSync(join(SOURCE, file), 'utf8'),
): string[] {
  const breaches: string[] = [];
  for (const file of files) {
    for (const { room, allowed, forbidden } of SERVER_ROOMS) {
      if (!file.startsWith(room)) continue;
      for (const target of importsOf(file, read(file))) {
        if (allowed && !allowed.some((prefix) => target.startsWith(prefix))) breaches.push(`${file} imports ${target}`);
        if (forbidden?.some((prefix) => target.startsWith(prefix))) breaches.push(`${file} imports ${target}`);
      }
    }
  }
  return breaches;
}

/** The package names a file imports (static, type-only, re-exports and dynamic). */
function packagesOf(text: string): string[] {
  return [
    ...text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+'([^']+)'/gms),
    ...text.matchAll(/^\s*import\s+'([^']+)'/gm),
    ...text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g),
  ]
    .map((match) => match[1] ?? '')
    .filter((specifier) => !specifier.startsWith('.'));
}

/** Every project module `file` loads, directly or through others (paths under src/, .ts), and every package among them. */
function reachableFrom(
  file: string,
  read = (path: string) => readFileSync(join(SOURCE, path), 'utf8'),
): { modules: Set<string>; packages: Set<string> } {
  const modules = new Set<string>();
  const packages = new Set<string>();
  const pending = [file];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (modules.has(next)) continue;
    modules.add(next);
    const text = read(next);
    for (const name of packagesOf(text)) packages.add(name);
    pending.push(...importsOf(next, text).map((target) => target.replace(/\.js$/, '.ts')));
  }
  return { modules, packages };
}

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

  it('the rooms of src/server/ keep their own rules: the domain imports only itself and game/, the store no API JSON', () => {
    const files = sourceFiles();
    for (const { room } of SERVER_ROOMS) {
      assert.ok(
        files.some((file) => file.startsWith(room)),
        `src/${room} exists`,
      );
    }
    assert.deepEqual(breachesOfRooms(files), []);
  });

  it("only the web gateway speaks the API's JSON: no other file of src/server/ imports common/api-types.ts", () => {
    const speakers = sourceFiles()
      .filter((file) => file.startsWith('server/') && !file.startsWith('server/web/'))
      .filter((file) => importsOf(file, readFileSync(join(SOURCE, file), 'utf8')).includes('common/api-types.js'));
    assert.deepEqual(speakers, []);
  });

  it('a room rule catches an import across it', () => {
    const texts: Record<string, string> = {
      'server/domain/x.ts':
        "import type { Position } from '../../game/position.js';\nimport type { Store } from '../store/store.js';",
      'server/store/y.ts': "import type { Termination } from '../../common/api-types.js';\nimport { a } from './a.js';",
    };
    assert.deepEqual(
      breachesOfRooms(Object.keys(texts), (file) => texts[file] ?? ''),
      ['server/domain/x.ts imports server/store/store.js', 'server/store/y.ts imports common/api-types.js'],
    );
  });

  it('the PostgreSQL store loads nothing of SQLite: neither sqlite-store.ts (which sets process.env) nor better-sqlite3', () => {
    const { modules, packages } = reachableFrom('server/store/pg-store.ts');
    assert.ok(modules.has('server/store/store.ts') && packages.has('pg'), 'the walk follows the imports');
    assert.deepEqual(
      [...modules].filter((module) => module.includes('sqlite')),
      [],
      'modules named for SQLite reached from pg-store.ts',
    );
    assert.equal(packages.has('better-sqlite3'), false, 'better-sqlite3 reached from pg-store.ts');
  });

  it('the walk of imports goes through modules in between', () => {
    const texts: Record<string, string> = {
      'server/store/a.ts': "import { b } from './b.js';\nimport pg from 'pg';",
      'server/store/b.ts': "export { c } from '../c.js';",
      'server/c.ts': "import Database from 'better-sqlite3';\nimport { a } from './store/a.js';",
    };
    const { modules, packages } = reachableFrom('server/store/a.ts', (path) => texts[path] ?? '');
    assert.deepEqual([...modules].sort(), ['server/c.ts', 'server/store/a.ts', 'server/store/b.ts']);
    assert.deepEqual([...packages].sort(), ['better-sqlite3', 'pg']);
  });
});
