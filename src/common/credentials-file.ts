/**
 * The `NAME:PASSWORD` file, read the same way by `checkers-server user import`
 * (which creates the accounts) and by the client's `--bots --credentials`
 * (which logs in to them), so that every account one creates the other can
 * log in to. Pure: text in, lines out; the server checks names and passwords.
 */

/** A line of the file that is not blank or a comment, numbered from 1. */
export type CredentialLine =
  | { readonly ok: true; readonly line: number; readonly name: string; readonly password: string }
  | { readonly ok: false; readonly line: number; readonly reason: string };

/**
 * A leading byte-order mark (which editors on Windows add), blank lines and
 * lines starting with # are skipped. The name ends at the first colon, and
 * nothing is trimmed: a password may begin or end with a space.
 */
export function readCredentialLines(text: string): CredentialLine[] {
  const read: CredentialLine[] = [];
  for (const [index, raw] of withoutByteOrderMark(text).split(/\r?\n/).entries()) {
    const line = index + 1;
    if (raw.trim() === '' || raw.startsWith('#')) continue;
    const colon = raw.indexOf(':');
    read.push(
      colon < 0
        ? { ok: false, line, reason: 'expected NAME:PASSWORD' }
        : { ok: true, line, name: raw.slice(0, colon), password: raw.slice(colon + 1) },
    );
  }
  return read;
}

/** `text` without a leading UTF-8 byte-order mark. */
export function withoutByteOrderMark(text: string): string {
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}
