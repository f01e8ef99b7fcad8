import { availableParallelism } from 'node:os';
import { defaultsOf, type OptionTable } from '../option-table.js';
import type { RateLimit } from './token-bucket.js';

/**
 * Every limit that protects the server and its honest players from one
 * abusive client. All but incompleteMessageMs are command-line options
 * (LIMIT_OPTIONS below; docs/server.md, "Limits against abuse").
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
  /** HTTP requests from one address, all its connections together; beyond it, 429. */
  readonly httpRequestRatePerAddress: RateLimit;
}

/** The limits that are command-line options: all but the protocol's fixed incompleteMessageMs. */
export type LimitOptions = Omit<ServerLimits, 'incompleteMessageMs'>;

/**
 * Every limit option, in the order `--help` lists them; the command line is
 * generated from this table (docs/server.md, "Limits against abuse", shows the same).
 *
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
export const LIMIT_OPTIONS: OptionTable<LimitOptions> = {
  maxConnections: { flag: '--max-connections', unit: 'count', help: 'connections held at once', default: 10_000 },
  maxConnectionsPerAddress: {
    flag: '--max-connections-per-address',
    unit: 'count',
    help: 'connections held at once from one IPv4 address or IPv6 /64',
    default: 64,
  },
  connectionRatePerAddress: {
    flag: '--connection-rate',
    unit: 'rate',
    help: 'new connections from one address',
    default: { perSecond: 10, burst: 40 },
  },
  messageRate: {
    flag: '--message-rate',
    unit: 'rate',
    help: 'messages from one connection (a legal move is free)',
    default: { perSecond: 20, burst: 60 },
  },
  messageRatePerAddress: {
    flag: '--address-message-rate',
    unit: 'rate',
    help: 'messages from one address',
    default: { perSecond: 200, burst: 600 },
  },
  loginRate: {
    flag: '--login-rate',
    unit: 'rate',
    help: 'login attempts on one connection',
    default: { perSecond: 0.5, burst: 5 },
  },
  loginRatePerAddress: {
    flag: '--address-login-rate',
    unit: 'rate',
    help: 'login attempts from one address',
    default: { perSecond: 2, burst: 20 },
  },
  throttleLimitMs: {
    flag: '--throttle-limit',
    unit: 'seconds',
    help: 'a connection held back this long in all by the rate limits is closed',
    default: 5000,
  },
  loginTimeoutMs: {
    flag: '--login-timeout',
    unit: 'seconds',
    help: 'a connection not logged in this long is closed (0 = never)',
    default: 30_000,
  },
  messagesPerTurn: {
    flag: '--messages-per-turn',
    unit: 'count',
    help: 'messages handled per connection before the server turns to others',
    default: 32,
  },
  maxPendingOutputBytes: {
    flag: '--max-output-kib',
    unit: 'kib',
    help: 'unsent output (KiB) at which a client that does not read is dropped',
    default: 64 * 1024,
  },
  hashConcurrency: {
    flag: '--hash-concurrency',
    unit: 'count',
    help: 'password checks computed at once',
    // Half the cores at most, so that a login flood leaves the event loop a core of its own;
    // each hash holds 16 MiB, so a flood holds 16 MiB per core at most.
    default: Math.max(1, Math.floor(availableParallelism() / 2)),
  },
  tlsHandshakeTimeoutMs: {
    flag: '--tls-handshake-timeout',
    unit: 'seconds',
    help: 'a TLS handshake not done in this time is dropped',
    default: 10_000,
  },
  maxTlsHandshakes: {
    flag: '--max-tls-handshakes',
    unit: 'count',
    help: 'TLS handshakes in progress at once; more are closed',
    default: 64,
  },
  // An honest handshake is done within a round trip or two, so even a club
  // behind one address rarely has more than a few in progress; with 4, it
  // takes 16 addresses to hold all 64 places (2 held them all without it).
  maxTlsHandshakesPerAddress: {
    flag: '--max-tls-handshakes-per-address',
    unit: 'count',
    help: 'TLS handshakes in progress at once from one address; more are closed',
    default: 4,
  },
  // Silence in both directions means the client owes the next bytes: a
  // round trip, even on a slow mobile link, is well under 2 s. An opening
  // 0x16 and nothing more now holds its place for 2 s, not 10.
  tlsIdleTimeoutMs: {
    flag: '--tls-idle-timeout',
    unit: 'seconds',
    help: 'a TLS handshake with no byte received or sent for this long is dropped (0 = never)',
    default: 2000,
  },
  // A handshake costs the server about a millisecond of CPU (ECDSA P-256); a
  // client makes one per connection, so 5 a second from one address is plenty.
  tlsHandshakeRatePerAddress: {
    flag: '--tls-handshake-rate',
    unit: 'rate',
    help: 'TLS handshakes from one address',
    default: { perSecond: 5, burst: 20 },
  },
  // A page of the web client is about ten requests (its scripts and styles
  // are then cached by the browser) and the live list polls every 5 s, so a
  // club of a few dozen browsers behind one address stays within this; an
  // API answer that is not cached costs one to three ms of the event loop,
  // so 20 a second from one address is a few percent of a core.
  httpRequestRatePerAddress: {
    flag: '--address-http-rate',
    unit: 'rate',
    help: 'HTTP requests from one address (answered 429 beyond it)',
    default: { perSecond: 20, burst: 100 },
  },
};

export const DEFAULT_LIMITS: ServerLimits = {
  ...defaultsOf(LIMIT_OPTIONS),
  // PROTOCOL.md section 4: fixed by the protocol, not an option.
  incompleteMessageMs: 1000,
};
