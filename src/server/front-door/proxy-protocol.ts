import { isIPv4, isIPv6 } from 'node:net';

/**
 * The PROXY protocol (HAProxy's, versions 1 and 2): a load balancer in TCP
 * mode opens each connection to us with a header naming the client it
 * forwards. Pure: bytes in, a verdict out; it never throws.
 * Spec: https://www.haproxy.org/download/2.6/doc/proxy-protocol.txt
 */
export type ProxyHeader =
  /** Not enough bytes yet to decide. */
  | { readonly kind: 'incomplete' }
  | { readonly kind: 'invalid'; readonly reason: string }
  /** The header names the client; `length` bytes of the stream are the header. */
  | {
      readonly kind: 'proxied';
      readonly version: 1 | 2;
      readonly source: Endpoint;
      readonly destination: Endpoint;
      readonly length: number;
    }
  /**
   * The connection is the balancer's own (v2 LOCAL, a health check) or of a
   * kind without addresses (v1 UNKNOWN, v2 UNSPEC or a unix socket): use the
   * socket's address.
   */
  | { readonly kind: 'local'; readonly version: 1 | 2; readonly length: number };

export interface Endpoint {
  readonly address: string;
  readonly port: number;
}

const V1_PREFIX = Buffer.from('PROXY ', 'latin1');
/** "PROXY TCP6 " + two full IPv6 addresses + two ports + spaces + CRLF, per the spec. */
export const V1_MAX_LENGTH = 107;
export const V2_SIGNATURE = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);
const V2_FIXED_LENGTH = 16;
/** Addresses plus TLVs; HAProxy sends a few dozen bytes. A longer header is refused, not buffered. */
export const V2_MAX_PAYLOAD = 1024;

/** Reads a PROXY header at the start of `bytes` (everything received so far). */
export function parseProxyHeader(bytes: Uint8Array): ProxyHeader {
  if (bytes.length === 0) return { kind: 'incomplete' };
  if (bytes[0] === V1_PREFIX[0]) return parseV1(bytes);
  if (bytes[0] === V2_SIGNATURE[0]) return parseV2(bytes);
  return { kind: 'invalid', reason: 'no PROXY header' };
}

/** True while `bytes` may still grow into `expected` (or already starts with it). */
function startsLike(bytes: Uint8Array, expected: Uint8Array): boolean {
  const length = Math.min(bytes.length, expected.length);
  for (let i = 0; i < length; i++) if (bytes[i] !== expected[i]) return false;
  return true;
}

function parseV1(bytes: Uint8Array): ProxyHeader {
  if (!startsLike(bytes, V1_PREFIX)) return { kind: 'invalid', reason: 'no PROXY header' };
  const window = bytes.subarray(0, V1_MAX_LENGTH);
  let end = -1;
  for (let i = 1; i < window.length; i++) {
    if (window[i - 1] === 0x0d && window[i] === 0x0a) {
      end = i + 1;
      break;
    }
  }
  if (end < 0) {
    return bytes.length >= V1_MAX_LENGTH
      ? { kind: 'invalid', reason: `a version-1 header longer than ${V1_MAX_LENGTH} bytes` }
      : { kind: 'incomplete' };
  }
  const line = Buffer.from(bytes.subarray(0, end - 2)).toString('latin1');
  const fields = line.split(' ');
  const family = fields[1];
  if (family === 'UNKNOWN') return { kind: 'local', version: 1, length: end };
  if (fields.length !== 6) return { kind: 'invalid', reason: 'a version-1 header needs 6 fields' };
  const [, , sourceAddress = '', destinationAddress = '', sourcePort = '', destinationPort = ''] = fields;
  const valid = family === 'TCP4' ? isIPv4 : family === 'TCP6' ? isIPv6 : undefined;
  if (!valid) return { kind: 'invalid', reason: `unknown protocol ${JSON.stringify(family)}` };
  if (!valid(sourceAddress) || !valid(destinationAddress)) {
    return { kind: 'invalid', reason: `an address that is not ${family === 'TCP4' ? 'IPv4' : 'IPv6'}` };
  }
  const source = portOf(sourcePort);
  const destination = portOf(destinationPort);
  if (source === undefined || destination === undefined) return { kind: 'invalid', reason: 'a port out of range' };
  return {
    kind: 'proxied',
    version: 1,
    source: { address: sourceAddress, port: source },
    destination: { address: destinationAddress, port: destination },
    length: end,
  };
}

/** A decimal port 0..65535 without a leading zero, as the spec writes them. */
function portOf(text: string): number | undefined {
  if (!/^(0|[1-9]\d{0,4})$/.test(text)) return undefined;
  const port = Number(text);
  return port <= 65535 ? port : undefined;
}

function parseV2(bytes: Uint8Array): ProxyHeader {
  if (!startsLike(bytes, V2_SIGNATURE)) return { kind: 'invalid', reason: 'no PROXY header' };
  if (bytes.length < V2_FIXED_LENGTH) return { kind: 'incomplete' };
  const versionCommand = bytes[12] ?? 0;
  if (versionCommand >> 4 !== 2) return { kind: 'invalid', reason: `version ${versionCommand >> 4}, not 2` };
  const command = versionCommand & 0x0f;
  if (command > 1) return { kind: 'invalid', reason: `unknown command ${command}` };
  const familyProtocol = bytes[13] ?? 0;
  const payload = ((bytes[14] ?? 0) << 8) | (bytes[15] ?? 0);
  if (payload > V2_MAX_PAYLOAD) return { kind: 'invalid', reason: `a ${payload}-byte version-2 header` };
  const length = V2_FIXED_LENGTH + payload;
  if (bytes.length < length) return { kind: 'incomplete' };
  // LOCAL: the balancer's own connection, whatever addresses follow.
  if (command === 0) return { kind: 'local', version: 2, length };
  const family = familyProtocol >> 4;
  const body = bytes.subarray(V2_FIXED_LENGTH, length);
  // Only TCP (STREAM) over IPv4 or IPv6 names a client we count; the rest keeps the socket's address.
  if ((familyProtocol & 0x0f) !== 1 || (family !== 1 && family !== 2)) return { kind: 'local', version: 2, length };
  const size = family === 1 ? 4 : 16;
  if (body.length < 2 * size + 4) return { kind: 'invalid', reason: 'addresses shorter than their family' };
  const format = family === 1 ? ipv4 : ipv6;
  const ports = 2 * size;
  return {
    kind: 'proxied',
    version: 2,
    source: { address: format(body.subarray(0, size)), port: ((body[ports] ?? 0) << 8) | (body[ports + 1] ?? 0) },
    destination: {
      address: format(body.subarray(size, 2 * size)),
      port: ((body[ports + 2] ?? 0) << 8) | (body[ports + 3] ?? 0),
    },
    length,
  };
}

function ipv4(bytes: Uint8Array): string {
  return Array.from(bytes).join('.');
}

/** Eight groups in lowercase hex without leading zeros; an IPv4-mapped address as ::ffff:a.b.c.d, as Node writes it. */
function ipv6(bytes: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    return `::ffff:${ipv4(bytes.subarray(12, 16))}`;
  }
  return compressIpv6(groups);
}

/** RFC 5952: the longest run of two or more zero groups becomes "::". */
function compressIpv6(groups: readonly number[]): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** The address as the trust list compares it: an IPv4-mapped IPv6 address is its IPv4 address. */
export function plainAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped?.[1] ?? address.toLowerCase();
}

/** Parses `--trust-proxy ADDRESS[,ADDRESS]`: IP addresses only. Throws with what is wrong. */
export function parseTrustedProxies(value: string): string[] {
  const addresses = value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (addresses.length === 0) throw new Error('give at least one IP address');
  for (const address of addresses) {
    if (!isIPv4(address) && !isIPv6(address)) throw new Error(`${JSON.stringify(address)} is not an IP address`);
  }
  return addresses.map(plainAddress);
}
