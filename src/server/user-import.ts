import { readCredentialLines } from '../common/credentials-file.js';
import { passwordProblem, usernameProblem } from './accounts.js';
import { quoted } from './cli-support.js';

export interface ImportLine {
  readonly line: number;
  readonly name: string;
  readonly password: string;
}

export type ImportReading =
  | { readonly ok: true; readonly accounts: readonly ImportLine[] }
  | { readonly ok: false; readonly line: number; readonly reason: string };

/**
 * Reads `NAME:PASSWORD` lines as readCredentialLines does (the client's
 * --credentials reads the same file the same way). The first bad line
 * rejects the whole file. `problemWith` says why a valid name cannot be
 * created (it exists, it is reserved). Names ignore case, so two lines whose
 * names differ only in case are a duplicate.
 */
export function parseImport(text: string, problemWith: (name: string) => string | undefined): ImportReading {
  const accounts: ImportLine[] = [];
  const seen = new Map<string, string>();
  for (const read of readCredentialLines(text)) {
    if (!read.ok) return read;
    const { line, name, password } = read;
    const problem = usernameProblem(name) ?? passwordProblem(password);
    if (problem) return { ok: false, line, reason: problem };
    const earlier = seen.get(name.toLowerCase());
    if (earlier !== undefined) {
      const reason =
        earlier === name
          ? `${quoted(name)} appears twice in the file`
          : `${quoted(name)} and ${quoted(earlier)} differ only in case (names ignore case)`;
      return { ok: false, line, reason };
    }
    const refusal = problemWith(name);
    if (refusal) return { ok: false, line, reason: refusal };
    seen.set(name.toLowerCase(), name);
    accounts.push({ line, name, password });
  }
  return { ok: true, accounts };
}
