import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP proxy to a server, whose connections a test can cut as a
 * flaky network would, freeze as a partition does (connections stay open,
 * nothing passes until `thaw`), or make lose the server's replies: held
 * (requests still pass), then the connections reset.
 */
export class DroppingProxy {
  #frozen = false;
  #holdingReplies = false;
  #refusing = false;

  private constructor(
    private readonly server: Server,
    private readonly pairs: Set<[Socket, Socket]>,
  ) {}

  static async start(targetPort: number): Promise<DroppingProxy> {
    const pairs = new Set<[Socket, Socket]>();
    let proxy: DroppingProxy | undefined;
    const server = createServer((client) => {
      if (proxy?.refusing) {
        client.resetAndDestroy();
        return;
      }
      const upstream = connect({ host: '127.0.0.1', port: targetPort });
      const pair: [Socket, Socket] = [client, upstream];
      pairs.add(pair);
      if (!proxy?.frozen) {
        client.pipe(upstream);
        if (proxy?.holdingReplies) upstream.pause();
        else upstream.pipe(client);
      }
      const close = () => {
        client.destroy();
        upstream.destroy();
        pairs.delete(pair);
      };
      client.on('close', close);
      upstream.on('close', close);
      client.on('error', close);
      upstream.on('error', close);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    proxy = new DroppingProxy(server, pairs);
    return proxy;
  }

  get frozen(): boolean {
    return this.#frozen;
  }

  get refusing(): boolean {
    return this.#refusing;
  }

  /** Cuts every connection, and resets every new one until `accept`: the server is out of reach. */
  refuse(): void {
    this.#refusing = true;
    this.dropAll();
  }

  accept(): void {
    this.#refusing = false;
  }

  get holdingReplies(): boolean {
    return this.#holdingReplies;
  }

  /** The server's replies wait, on open and new connections; what the clients send still reaches it. */
  holdReplies(): void {
    if (this.#holdingReplies) return;
    this.#holdingReplies = true;
    for (const [client, upstream] of this.pairs) {
      upstream.unpipe(client);
      upstream.pause();
    }
  }

  /**
   * Resets every connection (the clients get a TCP RST, as from a network
   * fault); replies held are lost. New connections pass both ways again.
   */
  resetAll(): void {
    this.#holdingReplies = false;
    for (const [client, upstream] of this.pairs) {
      client.resetAndDestroy();
      upstream.destroy();
    }
    this.pairs.clear();
  }

  /** Nothing passes any more, either way, on open or new connections; nobody is told. */
  freeze(): void {
    if (this.#frozen) return;
    this.#frozen = true;
    for (const [client, upstream] of this.pairs) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
    }
  }

  /** What waited passes, in order, and so does everything after. */
  thaw(): void {
    if (!this.#frozen) return;
    this.#frozen = false;
    for (const [client, upstream] of this.pairs) {
      client.pipe(upstream);
      upstream.pipe(client);
    }
  }

  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  /** Cuts every connection through the proxy. */
  dropAll(): void {
    for (const [client, upstream] of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    this.pairs.clear();
  }

  close(): void {
    this.dropAll();
    this.server.close();
  }
}
