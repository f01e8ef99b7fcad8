/**
 * Text from the network made safe to print: every character outside printable
 * ASCII (C0 and C1 controls, DEL, anything else) shows as \xNN (or \u{...}),
 * so a hostile server cannot clear the screen, set the window title or move
 * the cursor through a name. A backslash shows as \\ so the escapes stay unambiguous.
 */
export function printable(text: string): string {
  let shown = '';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '\\') shown += '\\\\';
    else if (code >= 0x20 && code <= 0x7e) shown += char;
    else if (code <= 0xff) shown += `\\x${code.toString(16).padStart(2, '0')}`;
    else shown += `\\u{${code.toString(16)}}`;
  }
  return shown;
}
