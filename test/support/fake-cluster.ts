import type { Cluster, ClusterHandler, Envelope } from '../../src/server/cluster/index.js';
import type { Claim } from '../../src/server/cluster/presence.js';

/**
 * A Cluster with no Redis, for driving one node's GameService on the manual
 * clock: it records what the node sends, says every game is refereed by
 * `owner` (undefined: its lease expired), and lets the test deliver
 * envelopes and Redis events itself.
 */
export class FakeCluster implements Cluster {
  readonly node = 'beta';
  readonly sent: Array<[string, Envelope]> = [];
  handler: ClusterHandler | undefined;
  /** The game each account plays, refereed by `owner`. */
  readonly games = new Map<number, number>();

  /** The token takeGame hands out once nobody owns the game (0: takeovers refused). */
  nextFence = 0;

  constructor(public owner: string | undefined = 'alpha') {}

  async start(handler: ClusterHandler): Promise<void> {
    this.handler = handler;
  }

  async stop(): Promise<void> {}

  async claim(): Promise<Claim> {
    return { ok: true, previous: undefined };
  }

  release(): void {}

  /** The accounts that joined the shared queue, in order. */
  readonly queued: number[] = [];

  joinQueue(entry: { readonly accountId: number }): void {
    this.queued.push(entry.accountId);
  }

  async leaveQueue(): Promise<boolean> {
    return true;
  }

  queueTaken(): void {}

  async findGame(accountId: number): Promise<{ gameId: number; owner: string | undefined } | undefined> {
    const gameId = this.games.get(accountId);
    return gameId === undefined ? undefined : { gameId, owner: this.owner };
  }

  /** The owner's lease runs out at this time on `clock` (undefined: it never does). */
  leaseUntil: number | undefined;
  clock: { now(): number } | undefined;

  async gameOwners(gameIds: readonly number[]): Promise<(string | undefined)[]> {
    if (this.leaseUntil !== undefined && this.owner !== this.node && (this.clock?.now() ?? 0) >= this.leaseUntil) {
      this.owner = undefined;
      this.leaseUntil = undefined;
    }
    return gameIds.map(() => this.owner);
  }

  /** Nodes whose key is gone (they died). */
  readonly deadNodes = new Set<string>();

  async liveNodes(nodes: readonly string[]): Promise<boolean[]> {
    return nodes.map((node) => !this.deadNodes.has(node));
  }

  async takeGame(): Promise<number> {
    if (this.owner !== undefined || this.nextFence === 0) return 0;
    this.owner = this.node;
    return this.nextFence++;
  }

  ownNewGame(): void {}
  releaseGame(): void {}
  endGame(): void {}
  forgetGame(): void {}

  send(node: string, envelope: Envelope): void {
    this.sent.push([node, envelope]);
  }

  /** The envelopes of type `t` sent so far. */
  sentOfType<T extends Envelope['type']>(t: T): Extract<Envelope, { type: T }>[] {
    return this.sent
      .map(([, envelope]) => envelope)
      .filter((envelope): envelope is Extract<Envelope, { type: T }> => envelope.type === t);
  }
}
