import { createSocket } from 'node:dgram';
import { DISCOVERY_PORT } from './beacon.js';

export interface FoundServer {
  readonly address: string;
  /** TCP port of the game service; a version-1 beacon means the default port. */
  readonly port: number;
}

/**
 * Waits for any datagram on the discovery port (PROTOCOL.md section 7: an old
 * server's beacon is empty, and any payload counts) and answers the sender's
 * address. Undefined if nothing arrives in time.
 */
export function listenForServer(options: { timeoutMs: number; port?: number }): Promise<FoundServer | undefined> {
  const socket = createSocket({ type: 'udp4', reuseAddr: true });
  return new Promise((resolve, reject) => {
    const finish = (found: FoundServer | undefined) => {
      clearTimeout(timer);
      socket.close();
      resolve(found);
    };
    const timer = setTimeout(() => finish(undefined), options.timeoutMs);
    socket.on('message', (_payload, sender) => finish({ address: sender.address, port: DISCOVERY_PORT }));
    socket.on('error', (error) => {
      clearTimeout(timer);
      socket.close();
      reject(new Error(`cannot listen for servers on UDP port ${options.port ?? DISCOVERY_PORT}: ${error.message}`));
    });
    socket.bind(options.port ?? DISCOVERY_PORT);
  });
}
