/** What the first byte of a connection (or of a TLS connection's plaintext) says it carries. */
export type FirstByteKind = 'tls' | 'http' | 'v1';

/** The first byte of every TLS connection (a handshake record); no version-1 message has this type. */
export const TLS_HANDSHAKE_RECORD = 0x16;

/**
 * First letters of the HTTP methods a browser or API client sends (GET, HEAD,
 * POST, PUT, PATCH, OPTIONS, DELETE, CONNECT, TRACE): uppercase ASCII, far
 * from the version-1 message types (0x01 to 0x0D), so no byte is both.
 */
const HTTP_METHOD_STARTS = new Set([...'GHPODCT'].map((letter) => letter.charCodeAt(0)));

/** Decides from one byte; `v1` for anything else (a version-1 session then judges it). */
export function firstByteKind(byte: number): FirstByteKind {
  if (byte === TLS_HANDSHAKE_RECORD) return 'tls';
  if (HTTP_METHOD_STARTS.has(byte)) return 'http';
  return 'v1';
}
