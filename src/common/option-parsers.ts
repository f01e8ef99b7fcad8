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

/** A whole number from `lowest` up. */
export function parseCount(value: string, lowest = 1): number {
  const count = Number(value);
  if (!/^\d+$/.test(value.trim()) || count < lowest) {
    throw new InvalidArgumentError(`expected a whole number, ${lowest} or more.`);
  }
  return count;
}

/** `RATE[:BURST]`: events per second (0 = no limit), and how many may come at once (default 3 x RATE, at least 1). */
export function parseRate(value: string): { perSecond: number; burst: number } {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(?::\s*(\d+)\s*)?$/.exec(value);
  if (!match) {
    throw new InvalidArgumentError('expected RATE or RATE:BURST, such as 20 or 0.5:5 (RATE per second, 0 = no limit).');
  }
  const perSecond = Number(match[1]);
  const burst = match[2] === undefined ? Math.max(1, Math.ceil(perSecond * 3)) : Number(match[2]);
  if (perSecond > 0 && burst < 1) throw new InvalidArgumentError('the BURST of a limited rate must be 1 or more.');
  return { perSecond, burst };
}

/** Shows a RateLimit the way parseRate reads it. */
export function formatRate(rate: { perSecond: number; burst: number }): string {
  return rate.perSecond === 0 ? '0' : `${rate.perSecond}:${rate.burst}`;
}
