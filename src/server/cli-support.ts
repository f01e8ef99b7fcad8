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

/** An expected failure: printed as one line, exit status 1, no stack trace. */
export class UserError extends Error {}
