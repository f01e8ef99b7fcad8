/**
 * Discovery datagrams (docs/PROTOCOL.md section 8), pure. Version-1 peers send and
 * accept any datagram; ours carry a small versioned payload:
 *
 *   0-3   magic "CKRS"
 *   4     format (1)
 *   5     kind: 1 = announcement (beacon or answer), 2 = probe
 *   announcements continue:
 *   6     lowest protocol version     7  highest protocol version
 *   8-9   TCP port of the game service, little-endian
 *   10    flags: bit 0 = TLS offered
 *   11    name length N (at most 64)   12..  name, UTF-8
 *   then optional fields: tag u8, length u8, value (unknown tags are skipped)
 *     tag 1 = SHA-256 fingerprint of the TLS certificate (32 bytes)
 *     tag 2 = this node's name, when the server is a cluster of nodes (UTF-8, at most 64 bytes);
 *             every node announces the cluster's name as `name`
 */
export const MAGIC = Uint8Array.from([0x43, 0x4b, 0x52, 0x53]);
export const FORMAT = 1;
const KIND_ANNOUNCE = 1;
const KIND_PROBE = 2;
export const MAX_NAME_BYTES = 64;
const TAG_FINGERPRINT = 1;
const TAG_NODE = 2;

export interface Announcement {
  readonly lowest: number;
  readonly highest: number;
  readonly port: number;
  readonly name: string;
  readonly tls: boolean;
  readonly fingerprint?: Uint8Array | undefined;
  /** The node's name in a cluster; its `name` is then the cluster's. */
  readonly node?: string | undefined;
}

export type Datagram =
  | { readonly kind: 'announcement'; readonly announcement: Announcement }
  | { readonly kind: 'probe' }
  /** Empty, or anything that is not ours: a version-1 server on the default port. */
  | { readonly kind: 'version-1' };

export function encodeAnnouncement(announcement: Announcement): Uint8Array {
  const name = truncateUtf8(announcement.name, MAX_NAME_BYTES);
  const fingerprint = announcement.fingerprint;
  const node = announcement.node === undefined ? undefined : truncateUtf8(announcement.node, MAX_NAME_BYTES);
  const bytes = new Uint8Array(
    12 + name.length + (fingerprint ? 2 + fingerprint.length : 0) + (node ? 2 + node.length : 0),
  );
  bytes.set(MAGIC, 0);
  bytes[4] = FORMAT;
  bytes[5] = KIND_ANNOUNCE;
  bytes[6] = announcement.lowest;
  bytes[7] = announcement.highest;
  bytes[8] = announcement.port & 0xff;
  bytes[9] = (announcement.port >> 8) & 0xff;
  bytes[10] = announcement.tls ? 1 : 0;
  bytes[11] = name.length;
  bytes.set(name, 12);
  let at = 12 + name.length;
  for (const [tag, value] of [
    [TAG_FINGERPRINT, fingerprint],
    [TAG_NODE, node],
  ] as const) {
    if (!value) continue;
    bytes[at] = tag;
    bytes[at + 1] = value.length;
    bytes.set(value, at + 2);
    at += 2 + value.length;
  }
  return bytes;
}

export function encodeProbe(): Uint8Array {
  const bytes = new Uint8Array(6);
  bytes.set(MAGIC, 0);
  bytes[4] = FORMAT;
  bytes[5] = KIND_PROBE;
  return bytes;
}

/** Never throws: whatever is not a well-formed datagram of ours is a version-1 beacon. */
export function decodeDatagram(bytes: Uint8Array): Datagram {
  if (bytes.length < 6 || !MAGIC.every((byte, i) => bytes[i] === byte) || bytes[4] !== FORMAT)
    return { kind: 'version-1' };
  if (bytes[5] === KIND_PROBE) return { kind: 'probe' };
  if (bytes[5] !== KIND_ANNOUNCE || bytes.length < 12) return { kind: 'version-1' };
  const nameLength = bytes[11] ?? 0;
  if (nameLength > MAX_NAME_BYTES || bytes.length < 12 + nameLength) return { kind: 'version-1' };
  let fingerprint: Uint8Array | undefined;
  let node: string | undefined;
  for (let at = 12 + nameLength; at + 2 <= bytes.length; ) {
    const tag = bytes[at] ?? 0;
    const length = bytes[at + 1] ?? 0;
    if (at + 2 + length > bytes.length) break;
    if (tag === TAG_FINGERPRINT) fingerprint = bytes.slice(at + 2, at + 2 + length);
    if (tag === TAG_NODE)
      node = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(at + 2, at + 2 + length));
    at += 2 + length;
  }
  return {
    kind: 'announcement',
    announcement: {
      lowest: bytes[6] ?? 1,
      highest: bytes[7] ?? 1,
      port: (bytes[8] ?? 0) | ((bytes[9] ?? 0) << 8),
      name: new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(12, 12 + nameLength)),
      tls: ((bytes[10] ?? 0) & 1) === 1,
      fingerprint,
      ...(node === undefined ? {} : { node }),
    },
  };
}

function truncateUtf8(text: string, maxBytes: number): Uint8Array {
  const encoder = new TextEncoder();
  let bytes = encoder.encode(text);
  let characters = [...text];
  while (bytes.length > maxBytes) {
    characters = characters.slice(0, -1);
    bytes = encoder.encode(characters.join(''));
  }
  return bytes;
}
