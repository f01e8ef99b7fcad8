import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const REPOSITORY = fileURLToPath(new URL('../../../', import.meta.url));

function foldersIn(path: string): string[] {
  return readdirSync(join(REPOSITORY, path), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
}

/** The rows of the document's "| folder | what it holds |" table. */
function folderTable(document: string): string[] {
  const text = readFileSync(join(REPOSITORY, document), 'utf8');
  const start = text.indexOf('| folder | what it holds |');
  assert.ok(start >= 0, `${document} has no folder table`);
  const rows: string[] = [];
  for (const line of text.slice(start).split('\n').slice(2)) {
    if (!line.startsWith('|')) break;
    rows.push(line);
  }
  return rows;
}

describe('the folder tables name every folder', () => {
  for (const document of ['README.md', 'docs/development.md']) {
    it(`${document} lists every top folder of src/`, () => {
      const table = folderTable(document).join('\n');
      const missing = foldersIn('src').filter((folder) => !table.includes(`\`src/${folder}/\``));
      assert.deepEqual(missing, []);
    });
  }

  it("docs/development.md's row for src/server/ names each of its folders", () => {
    const row = folderTable('docs/development.md').find((line) => line.startsWith('| `src/server/`'));
    assert.ok(row, 'no row for src/server/');
    const missing = foldersIn('src/server').filter((folder) => !row.includes(`\`${folder}/\``));
    assert.deepEqual(missing, []);
  });
});
