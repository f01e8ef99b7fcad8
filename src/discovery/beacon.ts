import { createSocket, type Socket } from 'node:dgram';
import type { Logger } from 'pino';

/** PROTOCOL.md section 7: datagrams go to this port. */
export const DISCOVERY_PORT = 8864;

export interface BeaconOptions {
  readonly broadcastAddress: string;
  /** Source port; 0 = any. */
  readonly sourcePort: number;
  readonly intervalMs: number;
  readonly log: Logger;
}

/**
 * The version-1 beacon: an empty UDP datagram about once a second to the
 * broadcast address, port 8864. Failures are logged, never fatal to the game
 * service.
 */
export class Beacon {
  #socket: Socket | undefined;
  #timer: NodeJS.Timeout | undefined;
  #warned = false;

  constructor(private readonly options: BeaconOptions) {}

  async start(): Promise<void> {
    const socket = createSocket({ type: 'udp4', reuseAddr: true });
    this.#socket = socket;
    socket.on('error', (error) => this.#report(error));
    await new Promise<void>((resolve) => {
      socket.once('error', () => resolve());
      socket.bind(this.options.sourcePort, () => {
        socket.setBroadcast(true);
        resolve();
      });
    });
    this.#send();
    this.#timer = setInterval(() => this.#send(), this.options.intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#socket?.close();
    this.#socket = undefined;
  }

  #send(): void {
    this.#socket?.send(Buffer.alloc(0), DISCOVERY_PORT, this.options.broadcastAddress, (error) => {
      if (error) this.#report(error);
    });
  }

  #report(error: Error): void {
    const details = { broadcast: this.options.broadcastAddress, err: error.message };
    if (this.#warned) {
      this.options.log.debug(details, 'discovery beacon failed');
    } else {
      this.#warned = true;
      this.options.log.warn(
        details,
        'discovery beacon failed; the game service goes on (pass --no-discovery to silence this)',
      );
    }
  }
}
