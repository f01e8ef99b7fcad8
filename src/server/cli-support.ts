import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Reads all of standard input. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The first line of `text`, without its line ending. */
export function firstLine(text: string): string {
  return text.split(/\r?\n/)[0] ?? '';
}

export { withoutByteOrderMark } from '../common/credentials-file.js';

const MAX_SHOWN = 40;

/**
 * Input shown in double quotes, safe to print on a terminal: every character
 * that is not printable ASCII is written as an escape (\t, \xNN, \u{NNNN}), a
 * quote or backslash is escaped, and long input is cut.
 */
export function quoted(text: string): string {
  const characters = [...text];
  const shown = characters
    .slice(0, MAX_SHOWN)
    .map((character) => {
      const code = character.codePointAt(0) ?? 0;
      if (character === '"' || character === '\\') return `\\${character}`;
      if (code >= 0x20 && code <= 0x7e) return character;
      if (character === '\t') return '\\t';
      if (character === '\r') return '\\r';
      if (character === '\n') return '\\n';
      if (code <= 0xff) return `\\x${code.toString(16).padStart(2, '0')}`;
      return `\\u{${code.toString(16)}}`;
    })
    .join('');
  return `"${shown}${characters.length > MAX_SHOWN ? '...' : ''}"`;
}

/**
 * This package's version, from its package.json: the nearest one above this
 * module that names the package (the module runs from dist/src/server or src/server).
 */
export function packageVersion(from: string = import.meta.url): string {
  let directory = dirname(fileURLToPath(from));
  for (;;) {
    try {
      const manifest = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (manifest.name === 'checkers-server' && manifest.version) return manifest.version;
    } catch {
      // No readable package.json here: look one directory up.
    }
    const parent = dirname(directory);
    if (parent === directory) return 'unknown';
    directory = parent;
  }
}

/** An expected failure: printed as one line, exit status 1, no stack trace. */
export class UserError extends Error {}
