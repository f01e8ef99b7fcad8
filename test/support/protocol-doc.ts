import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The text of docs/PROTOCOL.md. */
export function protocolDocument(): string {
  return readFileSync(fileURLToPath(new URL('../../../docs/PROTOCOL.md', import.meta.url)), 'utf8');
}

/** The cells of every table row under the heading that starts with `heading`, up to the next heading. */
export function tableRows(heading: string): string[][] {
  const text = protocolDocument();
  const start = text.indexOf(`\n${heading}`);
  if (start < 0) throw new Error(`docs/PROTOCOL.md has no heading "${heading}"`);
  const rest = text.slice(start + heading.length + 1);
  const end = rest.search(/\n#{1,3} /);
  const section = end < 0 ? rest : rest.slice(0, end);
  return section
    .split('\n')
    .filter((line) => line.startsWith('|') && !line.startsWith('|---'))
    .map((line) =>
      line
        .split(/(?<!\\)\|/)
        .slice(1, -1)
        .map((cell) => cell.trim().replace(/\\\|/g, '|')),
    );
}
