/**
 * The cluster seam: several nodes serving one community over Redis
 * (`--cluster redis://HOST:PORT`). Absent on one node: the game service
 * then runs exactly as before (`cluster` undefined, not a no-op object, so
 * the single-node path has no extra await).
 *
 * The nodes reach the shared state through SharedStore (shared-store.ts):
 * Redis in production (redis-cluster.ts), an in-process store with the
 * same semantics in tests (memory-state.ts, memory-store.ts); the node's
 * rules are written once, in shared-store-cluster.ts.
 *
 * Design (proven parts only: Redis keys with TTLs, Lua scripts, streams):
 * - Nodes: `node:NAME` -> address, PX 6 s, renewed every 2 s. A node is dead
 *   once its key expires.
 * - Presence (presence.ts): `presence:ACCOUNT` -> node, PX 20 s, renewed.
 *   A correct login on node B claims it atomically (Lua): refused if the
 *   account is logged in on another live node and has no game (as on one
 *   node); otherwise B takes it and sends `takeover` to the old node, which
 *   closes that session as a local takeover does.
 * - Queue (queue.ts): one Redis hash of waiting players. One node at a time
 *   holds the matchmaker lease (SET NX PX 3 s, renewed each round) and pairs
 *   the whole queue once a second with today's policy (matchmaking.ts:
 *   closest rating, window 200 + 50/s). Each pair is taken by one Lua script
 *   that removes BOTH entries only if both are still there unchanged, hands
 *   out the game id and tells black's node in the same step: atomic
 *   scripts, not the lease, are what guarantee nobody is paired twice.
 * - Ownership (leases.ts): black's node starts and referees the game:
 *   `game:ID` -> node, PX 6 s, renewed every 2 s; `account-game:ACCOUNT` ->
 *   ID. A node told "not yours" when renewing stops refereeing the game.
 * - Relay (relay.ts, relay-link.ts): every node reads its own Redis stream
 *   (`inbox:NODE`) in id order. A player on another node has a RelayLink on
 *   the owner: the match's messages are held until the owner's commit (as a
 *   session's are), then appended to the player's node's stream; the
 *   player's moves go to the owner's stream. One sending connection per
 *   node keeps its envelopes in order; a stream keeps what the reader has
 *   not read yet, so nothing is lost on a reconnect.
 * - Identities (relay-order.ts): the transport may deliver an envelope
 *   twice (ioredis resends an XADD whose reply a reset connection lost; an
 *   inbox is read again from the start after Redis lost its data). Every
 *   envelope of a relayed seat carries its place in a sequence per game,
 *   player and direction, and the receiver drops anything at or before the
 *   last it applied. Towards the player the sequence is the referee's
 *   fencing token then a count, so a node that takes the game over (a
 *   larger token) starts a sequence that comes after the old one; towards
 *   the referee it is a relay session of the player's node (its clock in ms,
 *   strictly increasing) then a count, compared per sending node.
 * - Failover: a player whose node died logs in anywhere; that node finds
 *   the game's lease expired, takes it (SET NX) and restores the game from
 *   the shared store (the owner committed every answered move before
 *   answering it). A node whose player was relayed to a dead owner keeps
 *   the connection (the player waits, as for a reconnect grace) and, once
 *   the lease has expired, takes the game over itself or joins it where
 *   another node did, and sends the player the board (referee-lost.ts);
 *   a login meanwhile waits the same way. A referee whose relayed player's
 *   node is gone (its `node:` key missing three checks in a row) drops that
 *   player as a local connection drop is, so the reconnect grace starts
 *   (player-nodes.ts). The matchmaker
 *   also takes over stored games nobody owns (a page of 5,000 a second, in turn), so that their
 *   grace periods run.
 * - Redis down: local games go on (the lease is only lost on an explicit
 *   "another node owns it"); relayed messages wait in order in the sending
 *   connection's queue; logins wait for Redis (bounded, then refused). When
 *   Redis comes back having lost its data (a restart), nodes re-assert their
 *   keys and queue entries, and check each relayed game with its referee
 *   (`sync`, answered by `synced` after everything sent before it): the
 *   game goes on if no message was lost either way, else the player's
 *   session is closed so that it rejoins from the stored game; no node
 *   takes a game over until one lease period has passed since it
 *   reconnected, so that owners re-assert first.
 * - Fencing: a lease tells a node it may referee; only the store can stop
 *   one that lost its lease without knowing (cut off from Redis but not from
 *   the database, or paused past the lease). Pairing a game (PAIR) and
 *   taking one over (TAKE_GAME) hand out the next token of the counter
 *   `fence`; the referee keeps it, in memory, for as long as it referees the
 *   game (renewing or re-asserting the lease never changes it), and writes
 *   every move and result with it. The store keeps each game's largest
 *   token and skips a write with a smaller one (Store.commit returns those
 *   games, and the node drops what it held about them and stops refereeing
 *   them); a node taking a game over stores its token before reading the
 *   game, so that no write of the previous referee lands after that read.
 *   The counter is seeded above the store's largest token at start and
 *   after Redis lost its data; until then nothing is paired or taken over.
 */

import type { Envelope, QueueEntry } from './envelope.js';
import type { Claim } from './presence.js';

export type { Envelope, QueueEntry } from './envelope.js';

/** The node cannot join its cluster (Redis unreachable, a node of the same name running): one line for the operator. */
export class ClusterStartError extends Error {}

/** What the cluster asks of the game service. */
export interface ClusterHandler {
  receive(envelope: Envelope): void;
  /** Another node owns this game now: stop refereeing it here. */
  leaseLost(gameId: number): void;
  /** Redis came back without its data: the relayed sessions are closed, to rejoin. */
  redisReset(): void;
  /** Accounts logged in here, whose presence is renewed. */
  onlineAccounts(): Iterable<number>;
  /** Games refereed here, whose leases are renewed. */
  ownedGames(): Iterable<number>;
  /** The accounts playing a game refereed here. */
  playersOf(gameId: number): readonly number[];
  /** The fencing token this node referees the game with. */
  fenceOf(gameId: number): number;
  /** The largest game id and fencing token in the store: Redis's counters are seeded above them. */
  storedCounters(): Promise<{ readonly largestGameId: number; readonly largestFence: number }>;
  /** Stored games that no node owns: the matchmaker takes them over. */
  adoptOrphans(): Promise<void>;
}

export interface Cluster {
  /** This node's name (unique in the cluster). */
  readonly node: string;
  start(handler: ClusterHandler): Promise<void>;
  stop(): Promise<void>;
  /** Claims the account for this node; see Presence.claim. */
  claim(accountId: number): Promise<Claim>;
  release(accountId: number): void;
  joinQueue(entry: Omit<QueueEntry, 'node' | 'key'>): void;
  /** True if the entry was still waiting (false: a pairing took it). */
  leaveQueue(accountId: number): Promise<boolean>;
  /** The pairing took this account out of the queue. */
  queueTaken(accountId: number): void;
  findGame(accountId: number): Promise<{ gameId: number; owner: string | undefined } | undefined>;
  /** The owner of each game (undefined: nobody), in one round trip. */
  gameOwners(gameIds: readonly number[]): Promise<(string | undefined)[]>;
  /** Whether each node is alive (its key is there), in one round trip. */
  liveNodes(nodes: readonly string[]): Promise<boolean[]>;
  /** Owns the game if nobody does (and takeovers are allowed now): its new fencing token, 0 if not taken. */
  takeGame(gameId: number, accountIds: readonly number[]): Promise<number>;
  /** A game just paired, with the token the pairing handed out: this node referees it from now on. */
  ownNewGame(gameId: number, accountIds: readonly number[], fence: number): void;
  /** Gives up a lease taken for nothing (the game could not be read). */
  releaseGame(gameId: number): void;
  /** The game finished and is stored: its lease and the players' pointers go. */
  endGame(gameId: number, accountIds: readonly number[]): void;
  /** The account's pointer names a game that is not stored any more. */
  forgetGame(accountId: number, gameId: number): void;
  send(node: string, envelope: Envelope): void;
}
