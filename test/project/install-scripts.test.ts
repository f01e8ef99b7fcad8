import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

function readJson(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`../../../${name}`, import.meta.url)), 'utf8'));
}

interface LockEntry {
  readonly hasInstallScript?: boolean;
  readonly optional?: boolean;
  readonly os?: readonly string[];
  readonly cpu?: readonly string[];
}

describe('install scripts', () => {
  it('every dependency with an install script is decided in allowScripts, so npm ci prints no warning about it', () => {
    const manifest = readJson('package.json') as { allowScripts?: Record<string, boolean> };
    const lock = readJson('package-lock.json') as { packages: Record<string, LockEntry> };
    const decided = new Set(Object.keys(manifest.allowScripts ?? {}).map((key) => key.replace(/(.)@.*$/, '$1')));
    const withScripts = Object.entries(lock.packages)
      // npm does not flag optional platform packages, whose scripts never run elsewhere.
      .filter(([, entry]) => entry.hasInstallScript === true && !(entry.optional && (entry.os || entry.cpu)))
      .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
    assert.ok(withScripts.includes('better-sqlite3'), 'the native SQLite addon is built by its install script');
    assert.deepEqual(
      withScripts.filter((name) => !decided.has(name)),
      [],
      'approve (true) or deny (false) each in package.json "allowScripts"',
    );
    assert.equal(manifest.allowScripts?.['better-sqlite3'], true, 'better-sqlite3 must build its addon');
  });
});
