import { availableParallelism } from 'node:os';
import type { RateLimit } from './token-bucket.js';

/**
 * Every limit that protects the server and its honest players from one
 * abusive client. All of them are command-line options (README, "Limits").
 */
export interface ServerLimits {
  /** Connections held at once, all addresses together. */
  readonly maxConnections: number;
  /** Connections held at once from one address (an IPv4 address or an IPv6 /64). */
  readonly maxConnectionsPerAddress: number;
  /** New connections from one address. */
  readonly connectionRatePerAddress: RateLimit;
  /** Messages from one connection; a legal move, which the server asked for, is free. */
  readonly messageRate: RateLimit;
  /** Messages from one address, all its connections together. */
  readonly messageRatePerAddress: RateLimit;
  /** Connect attempts on one connection. */
  readonly loginRate: RateLimit;
  /** Connect attempts from one address. */
  readonly loginRatePerAddress: RateLimit;
  /** A connection held back by the rate limits for this long in all is closed. */
  readonly throttleLimitMs: number;
  /** A connection that is not logged in for this long is closed; 0 = never. */
  readonly loginTimeoutMs: number;
  /** Messages handled per connection before yielding to the event loop. */
  readonly messagesPerTurn: number;
  /** Unsent output beyond which a client that does not read is dropped. */
  readonly maxPendingOutputBytes: number;
  /** How long the start of a message may wait for its rest (PROTOCOL.md: 1 second). */
  readonly incompleteMessageMs: number;
  /** Password hashes computed at once; the rest wait, round-robin between addresses. */
  readonly hashConcurrency: number;
  /** A TLS handshake not finished in this time is dropped. */
  readonly tlsHandshakeTimeoutMs: number;
  /** TLS handshakes in progress at once; more are closed at once. */
  readonly maxTlsHandshakes: number;
  /** TLS handshakes in progress at once from one address; more are closed at once. */
  readonly maxTlsHandshakesPerAddress: number;
  /** A TLS handshake with no byte received or sent for this long is dropped; 0 = never. */
  readonly tlsIdleTimeoutMs: number;
  /** TLS handshakes started from one address. */
  readonly tlsHandshakeRatePerAddress: RateLimit;
}

/**
 * Why these numbers: an honest client sends a move only when the server asks
 * for one (YourTurn), and such a legal move costs no token, so a bot that
 * answers in a microsecond is never slowed. What remains is a handful of
 * messages per game (ReQueue, a Connect, a LogOut, the odd illegal move),
 * far below 20 a second; a flood of refused logins, ignored or illegal moves
 * is what the message limit stops. A person types a password in seconds, so
 * a Connect every 2 s after a burst of 5 never slows one down; each Connect
 * for an existing account costs a scrypt hash (about 0.2 s of a core at the
 * OWASP cost), which is why logins are the strictest limit. The login rates
 * were kept when the hash cost rose fivefold: what logins cost the server is
 * bounded by the hash queue (hashConcurrency cores at most, served
 * round-robin between addresses, so a flooding address delays another's
 * login by one hash), and a burst of 20 still lets a club behind one address
 * log in together after a restart. 64 connections per address lets a club
 * or a school play behind one NAT address.
 */
export const DEFAULT_LIMITS: ServerLimits = {
  maxConnections: 10_000,
  maxConnectionsPerAddress: 64,
  connectionRatePerAddress: { perSecond: 10, burst: 40 },
  messageRate: { perSecond: 20, burst: 60 },
  messageRatePerAddress: { perSecond: 200, burst: 600 },
  loginRate: { perSecond: 0.5, burst: 5 },
  loginRatePerAddress: { perSecond: 2, burst: 20 },
  throttleLimitMs: 5000,
  loginTimeoutMs: 30_000,
  messagesPerTurn: 32,
  maxPendingOutputBytes: 64 * 1024,
  incompleteMessageMs: 1000,
  // Half the cores at most, so that a login flood leaves the event loop a core of its own;
  // each hash holds 16 MiB, so a flood holds 16 MiB per core at most.
  hashConcurrency: Math.max(1, Math.floor(availableParallelism() / 2)),
  // A handshake costs the server about a millisecond of CPU (ECDSA P-256); a
  // client makes one per connection, so 5 a second from one address is plenty.
  tlsHandshakeTimeoutMs: 10_000,
  maxTlsHandshakes: 64,
  // An honest handshake is done within a round trip or two, so even a club
  // behind one address rarely has more than a few in progress; with 4, it
  // takes 16 addresses to hold all 64 places (2 held them all without it).
  maxTlsHandshakesPerAddress: 4,
  // Silence in both directions means the client owes the next bytes: a
  // round trip, even on a slow mobile link, is well under 2 s. An opening
  // 0x16 and nothing more now holds its place for 2 s, not 10.
  tlsIdleTimeoutMs: 2000,
  tlsHandshakeRatePerAddress: { perSecond: 5, burst: 20 },
};
