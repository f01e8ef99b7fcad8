import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';

/** A loopback TCP proxy to a server, whose connections a test can cut as a flaky network would. */
export class DroppingProxy {
  private constructor(
    private readonly server: Server,
    private readonly pairs: Set<[Socket, Socket]>,
  ) {}

  static async start(targetPort: number): Promise<DroppingProxy> {
    const pairs = new Set<[Socket, Socket]>();
    const server = createServer((client) => {
      const upstream = connect({ host: '127.0.0.1', port: targetPort });
      const pair: [Socket, Socket] = [client, upstream];
      pairs.add(pair);
      client.pipe(upstream);
      upstream.pipe(client);
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
    return new DroppingProxy(server, pairs);
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
