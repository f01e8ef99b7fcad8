import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';

const CONNECT = 0x01;
const CONNECT_SIZE = 34;
/** InvalidVersion(highest 1, lowest 1): what a server that speaks only version 1 answers any other version. */
const ONLY_VERSION_1 = Uint8Array.of(0x0d, 0x01, 0x01);

/**
 * A server that speaks protocol version 1 only, as the original server does
 * (and a cluster, which does not offer version 2 yet): a loopback front to a
 * real server that answers a Connect of any other version with
 * InvalidVersion(1, 1), keeping the connection, and passes everything else
 * through unchanged. Plain TCP only.
 */
export class Version1Front {
  /** Connects refused with InvalidVersion(1, 1) so far. */
  refusedConnects = 0;

  private constructor(
    private readonly server: Server,
    private readonly sockets: Set<Socket>,
  ) {}

  static async start(targetPort: number): Promise<Version1Front> {
    const sockets = new Set<Socket>();
    let front: Version1Front | undefined;
    const server = createServer((client) => {
      sockets.add(client);
      let buffered = Buffer.alloc(0);
      let upstream: Socket | undefined;
      const close = () => {
        client.destroy();
        upstream?.destroy();
        sockets.delete(client);
      };
      client.on('error', close);
      client.on('close', close);
      const onData = (chunk: Buffer) => {
        buffered = Buffer.concat([buffered, chunk]);
        while (buffered.length >= CONNECT_SIZE && buffered[0] === CONNECT && buffered[1] !== 1) {
          buffered = buffered.subarray(CONNECT_SIZE);
          if (front) front.refusedConnects++;
          client.write(ONLY_VERSION_1);
        }
        if (buffered.length === 0 || (buffered[0] === CONNECT && buffered.length < CONNECT_SIZE)) return;
        // A version-1 Connect (or anything else): from here on, a plain pipe to the real server.
        client.off('data', onData);
        upstream = connect({ host: '127.0.0.1', port: targetPort });
        upstream.on('error', close);
        upstream.on('close', close);
        upstream.write(buffered);
        client.pipe(upstream);
        upstream.pipe(client);
      };
      client.on('data', onData);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    front = new Version1Front(server, sockets);
    return front;
  }

  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.server.close();
    await once(this.server, 'close');
  }
}
