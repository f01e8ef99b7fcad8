/**
 * On a referee: which nodes of relayed players are gone. A node is alive
 * while its key (`node:NAME`, 6 s, renewed every 2 s) is there. A node seen
 * missing this many checks in a row (one a tick, so about 3 s: more than a
 * renewal beat, so that a node re-asserting its key after Redis lost its
 * data is not taken for dead) is gone: its relayed players are dropped as
 * a local connection drop is, and their reconnect grace starts (O1).
 */
export const NODE_GONE_CHECKS = 3;

export class PlayerNodes {
  readonly #missing = new Map<string, number>();

  /**
   * One check: `alive[i]` tells whether `nodes[i]` has its key. Returns the
   * nodes gone as of this check (each once, until it is seen alive again).
   */
  observe(nodes: readonly string[], alive: readonly boolean[]): string[] {
    const gone: string[] = [];
    for (const node of [...this.#missing.keys()]) if (!nodes.includes(node)) this.#missing.delete(node);
    nodes.forEach((node, i) => {
      if (alive[i]) {
        this.#missing.delete(node);
        return;
      }
      const count = (this.#missing.get(node) ?? 0) + 1;
      this.#missing.set(node, count);
      if (count === NODE_GONE_CHECKS) gone.push(node);
    });
    return gone;
  }

  /** Redis lost its data: every node re-asserts its key, so what was missing before counts for nothing. */
  reset(): void {
    this.#missing.clear();
  }
}
