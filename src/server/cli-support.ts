import { isIP } from 'node:net';
import { InvalidArgumentError } from 'commander';

/** Option parsers whose messages say what is wrong and what is expected. */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new InvalidArgumentError('expected a port number from 0 to 65535.');
  return port;
}

export function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds < 0) {
    throw new InvalidArgumentError('expected a number of seconds, 0 or more.');
  }
  return seconds;
}

export function parseIpAddress(value: string): string {
  if (isIP(value) === 0) throw new InvalidArgumentError('expected an IP address such as 0.0.0.0, 127.0.0.1 or ::1.');
  return value;
}

export function parseIpv4Address(value: string): string {
  if (isIP(value) !== 4) throw new InvalidArgumentError('expected an IPv4 address such as 255.255.255.255.');
  return value;
}

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
