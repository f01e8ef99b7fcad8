/**
 * The seam between a node's cluster logic (shared-store-cluster.ts: beats,
 * pairing rounds, outages) and the store the nodes share. Redis is the real
 * one (redis-store.ts, with its Lua scripts); memory-state.ts is the same
 * semantics in one process on a Clock, so that several nodes run in one test
 * and the lease, failover and fencing rules are checked on the manual clock.
 * The Redis tests (test/server/cluster/) are the contract both keep.
 *
 * Each object is one node's view: it was made with the node's name.
 */

import type { Envelope, QueueEntry } from './envelope.js';
import type { Claim } from './presence.js';

/** One session per account in the cluster (presence.ts). */
export interface PresenceStore {
  /** Refused if the account is on another live node and not in a game; else this node has it. */
  claim(accountId: number): Promise<Claim>;
  release(accountId: number): Promise<void>;
  /** Renews (or takes again) the claims of these accounts. */
  renew(accountIds: Iterable<number>): Promise<void>;
}

/** Who referees which game, under a lease with a fencing token (leases.ts). */
export interface LeaseStore {
  /** The lease if nobody holds it and the token counter is seeded: the next token; 0 if refused. */
  take(gameId: number, accountIds: readonly number[]): Promise<number>;
  /** Holds the lease with the token this node has (new game, or after the store lost its data); false if another holds it. */
  assert(gameId: number, accountIds: readonly number[], fence: number): Promise<boolean>;
  /** Renews the leases; the games another node holds now. */
  renewAll(gameIds: readonly number[]): Promise<number[]>;
  end(gameId: number, accountIds: readonly number[]): Promise<void>;
  release(gameId: number): Promise<void>;
  find(accountId: number): Promise<{ gameId: number; owner: string | undefined } | undefined>;
  owners(gameIds: readonly number[]): Promise<(string | undefined)[]>;
  forget(accountId: number, gameId: number): Promise<void>;
}

/** The one queue of the cluster (queue.ts). */
export interface QueueStore {
  join(entry: QueueEntry): Promise<void>;
  /** True if the entry was still waiting; false if a pairing took it first. */
  leave(accountId: number): Promise<boolean>;
  /** The pairing took this entry: it is no longer this node's to put back. */
  taken(accountId: number): void;
  /** After the store lost its data: this node's waiting players go back. */
  restore(): Promise<void>;
  /** Pairs the queue if this node holds (or takes) the matchmaker lease; how many pairs. */
  pairRound(now: number, options?: { withoutLease?: boolean }): Promise<number>;
}

/** Envelopes between nodes: each node reads its own inbox, in order, each entry once (relay.ts). */
export interface RelayTransport {
  /** Reads this node's inbox from now on. */
  start(receive: (envelope: Envelope, from: string | undefined) => void): Promise<void>;
  /** Never given up: while the store is unreachable, envelopes wait in order. */
  send(node: string, envelope: Envelope): void;
  stop(): Promise<void>;
  /** After the store lost its data: the inbox is read again from its start. */
  resetPosition(): void;
}

/** What the cluster's connection says about itself. */
export interface ConnectionEvents {
  /** The store stopped answering (an error or a closed connection). */
  down(error: Error): void;
  /** The store answers again (also the first time). */
  ready(): void;
}

/** One node's connection to the shared store. */
export interface SharedStore {
  readonly presence: PresenceStore;
  readonly leases: LeaseStore;
  readonly queue: QueueStore;
  readonly relay: RelayTransport;
  /** Connects; throws ClusterStartError (one line for the operator) if it cannot. */
  connect(events: ConnectionEvents): Promise<void>;
  disconnect(): void;
  /** The address a node's key holds; undefined once it expired. */
  nodeAddress(node: string): Promise<string | undefined>;
  /** This node's key, alive for `ttlMs` more. */
  setNode(address: string, ttlMs: number): Promise<void>;
  deleteNode(): Promise<void>;
  /** Whether each node's key is there. */
  liveNodes(nodes: readonly string[]): Promise<boolean[]>;
  /** Sets the store's epoch to `candidate` unless one is set; returns the one set. */
  claimEpoch(candidate: string): Promise<string>;
  /** The store's epoch: undefined after it lost its data. */
  epoch(): Promise<string | undefined>;
  /** Raises the game-id and token counters to the store's largest (creating them). */
  seedCounters(stored: { readonly largestGameId: number; readonly largestFence: number }): Promise<void>;
  /** The node holding the matchmaker lease. */
  matchmaker(): Promise<string | undefined>;
}
