import { isIP } from 'node:net';
import { InvalidArgumentError } from 'commander';

/** Option parsers shared by the server and the client; their messages say what is expected. */
export function parsePort(value: string, lowest = 0): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < lowest || port > 65535) {
    throw new InvalidArgumentError(`expected a port number from ${lowest} to 65535.`);
  }
  return port;
}

/** Seconds, 0 or more (or above 0 when `allowZero` is false). */
export function parseSeconds(value: string, allowZero = true): number {
  const seconds = Number(value);
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds < 0 || (!allowZero && seconds === 0)) {
    throw new InvalidArgumentError(`expected a number of seconds${allowZero ? ', 0 or more' : ' above 0'}.`);
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
