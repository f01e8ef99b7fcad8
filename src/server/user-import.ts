import { passwordProblem, usernameProblem } from './accounts.js';

export interface ImportLine {
  readonly line: number;
  readonly name: string;
  readonly password: string;
}

export type ImportReading =
  | { readonly ok: true; readonly accounts: readonly ImportLine[] }
  | { readonly ok: false; readonly line: number; readonly reason: string };

/**
 * Reads `NAME:PASSWORD` lines (the name ends at the first colon). Blank lines
 * and lines starting with # are skipped. The first bad line rejects the whole file.
 */
export function parseImport(text: string, exists: (name: string) => boolean): ImportReading {
  const accounts: ImportLine[] = [];
  const seen = new Set<string>();
  const lines = text.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const line = index + 1;
    if (raw.trim() === '' || raw.startsWith('#')) continue;
    const colon = raw.indexOf(':');
    if (colon < 0) return { ok: false, line, reason: 'expected NAME:PASSWORD' };
    const name = raw.slice(0, colon);
    const password = raw.slice(colon + 1);
    const problem = usernameProblem(name) ?? passwordProblem(password);
    if (problem) return { ok: false, line, reason: problem };
    if (seen.has(name)) return { ok: false, line, reason: `"${name}" appears twice in the file` };
    if (exists(name)) return { ok: false, line, reason: `an account named "${name}" already exists` };
    seen.add(name);
    accounts.push({ line, name, password });
  }
  return { ok: true, accounts };
}
