import { createSocket, type Socket } from 'node:dgram';
import type { Logger } from 'pino';
import { type Announcement, decodeDatagram, encodeAnnouncement } from './payload.js';

/** docs/PROTOCOL.md section 8: datagrams go to this port. */
export const DISCOVERY_PORT = 8864;

export interface AnnouncerOptions {
  readonly broadcastAddress: string;
  /** Source port of beacons; 0 = any. */
  readonly sourcePort: number;
  readonly intervalMs: number;
  /** The discovery port, where beacons go and probes are heard (tests may change it). */
  readonly listenPort?: number;
  readonly announcement: () => Announcement;
  readonly log: Logger;
}

/**
 * The server's side of discovery: a beacon about once a second to the
 * broadcast address (any datagram satisfies a version-1 client; ours carries
 * an announcement), and a responder on the discovery port that answers every
 * probe at once, directly to the prober. Both sockets reuse addresses so a
 * client and several servers can share one machine. Failures are logged,
 * never fatal to the game service.
 */
export class Announcer {
  #beacon: Socket | undefined;
  #responder: Socket | undefined;
  #timer: NodeJS.Timeout | undefined;
  readonly #warned = new Set<string>();

  constructor(private readonly options: AnnouncerOptions) {}

  async start(): Promise<void> {
    this.#beacon = await this.#open(this.options.sourcePort, 'beacon');
    this.#responder = await this.#open(this.options.listenPort ?? DISCOVERY_PORT, 'probe responder');
    this.#responder?.on('message', (payload, sender) => {
      if (decodeDatagram(payload).kind !== 'probe') return;
      this.#responder?.send(encodeAnnouncement(this.options.announcement()), sender.port, sender.address, (error) => {
        if (error) this.#report('probe answer', error);
      });
    });
    this.#announce();
    this.#timer = setInterval(() => this.#announce(), this.options.intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#beacon?.close();
    this.#responder?.close();
    this.#beacon = undefined;
    this.#responder = undefined;
  }

  #announce(): void {
    this.#beacon?.send(
      encodeAnnouncement(this.options.announcement()),
      this.options.listenPort ?? DISCOVERY_PORT,
      this.options.broadcastAddress,
      (error) => {
        if (error) this.#report('beacon', error);
      },
    );
  }

  async #open(port: number, role: string): Promise<Socket | undefined> {
    const socket = createSocket({ type: 'udp4', reuseAddr: true });
    const ok = await new Promise<boolean>((resolve) => {
      socket.once('error', (error) => {
        this.#report(role, error);
        resolve(false);
      });
      socket.bind(port, () => {
        socket.setBroadcast(true);
        resolve(true);
      });
    });
    if (!ok) {
      socket.close();
      return undefined;
    }
    socket.on('error', (error) => this.#report(role, error));
    return socket;
  }

  #report(role: string, error: Error): void {
    const details = { role, broadcast: this.options.broadcastAddress, err: error.message };
    if (this.#warned.has(role)) {
      this.options.log.debug(details, 'discovery failed');
    } else {
      this.#warned.add(role);
      this.options.log.warn(
        details,
        `discovery ${role} failed; the game service goes on (pass --no-discovery to turn discovery off)`,
      );
    }
  }
}
