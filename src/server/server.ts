import { randomInt } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import type { Logger } from 'pino';
import { Announcer } from '../discovery/announcer.js';
import type { JumpChooser } from '../game/v1.js';
import { type Clock, systemClock } from './clock.js';
import { GameService, HIGHEST_VERSION, LOWEST_VERSION } from './game-service.js';
import { DEFAULT_SESSION_LIMITS, Session, type SessionLimits } from './session.js';
import type { Store } from './store/store.js';
import { TurnBatch } from './turn-batch.js';

export interface ServerOptions {
  /** Undefined = every interface, IPv4 and IPv6. */
  readonly listenAddress: string | undefined;
  readonly listenPort: number;
  readonly discovery:
    | {
        readonly broadcastAddress: string;
        readonly sourcePort: number;
        /** The name announced to clients looking for servers. */
        readonly name: string;
        /** The discovery port; 8864 unless a test needs another. */
        readonly port?: number;
      }
    | undefined;
  /** 0 = no move clock. */
  readonly moveTimeoutSeconds: number;
  /** How long a dropped player's game waits for them; 0 = a drop forfeits at once. */
  readonly reconnectGraceSeconds?: number;
  /** Commit games in progress after every move (off only to measure what it costs). */
  readonly persistMoves?: boolean;
  readonly store: Store;
  readonly log: Logger;
  readonly clock?: Clock;
  readonly chooser?: JumpChooser;
  readonly sessionLimits?: SessionLimits;
  readonly hashConcurrency?: number;
}

/** A failure to start that the operator can fix; the message says how. */
export class ServerStartError extends Error {}

export const DEFAULT_RECONNECT_GRACE_SECONDS = 60;
const KEEPALIVE_IDLE_MS = 30_000;

/** The original server chose among possible jumps at random. */
const randomJump: JumpChooser = (options) => randomInt(options.length);

/** The running server: TCP listener, sessions, game service, discovery beacon. */
export class CheckersServer {
  readonly #sessions = new Set<Session>();
  readonly service: GameService;
  readonly batch: TurnBatch;
  #listener: Server | undefined;
  #announcer: Announcer | undefined;
  #nextSessionId = 1;
  #stopping: Promise<void> | undefined;

  constructor(private readonly options: ServerOptions) {
    this.batch = new TurnBatch(options.store, options.log, options.persistMoves ?? true);
    this.service = new GameService({
      store: options.store,
      clock: options.clock ?? systemClock,
      log: options.log,
      chooser: options.chooser ?? randomJump,
      batch: this.batch,
      moveTimeoutMs: options.moveTimeoutSeconds * 1000,
      reconnectGraceMs: (options.reconnectGraceSeconds ?? DEFAULT_RECONNECT_GRACE_SECONDS) * 1000,
      hashConcurrency: options.hashConcurrency ?? 2,
    });
  }

  /** The TCP port actually listened on (useful with port 0). */
  get port(): number {
    const address = this.#listener?.address();
    return address && typeof address === 'object' ? address.port : 0;
  }

  async start(): Promise<void> {
    const listener = createServer({ noDelay: true }, (socket) => this.#accept(socket));
    this.#listener = listener;
    await this.#listen(listener);
    this.service.start();
    const discovery = this.options.discovery;
    if (discovery) {
      this.#announcer = new Announcer({
        broadcastAddress: discovery.broadcastAddress,
        sourcePort: discovery.sourcePort,
        intervalMs: 1000,
        ...(discovery.port === undefined ? {} : { listenPort: discovery.port }),
        announcement: () => ({
          lowest: LOWEST_VERSION,
          highest: HIGHEST_VERSION,
          port: this.port,
          name: discovery.name,
          tls: false,
        }),
        log: this.options.log,
      });
      await this.#announcer.start();
    }
    this.options.log.info(
      {
        port: this.port,
        address: this.options.listenAddress ?? 'all interfaces',
        discovery: this.options.discovery?.broadcastAddress ?? 'off',
      },
      'checkers server listening',
    );
  }

  /** Stops accepting, suspends running games (they stay stored), closes every connection. Safe to call twice. */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    this.#announcer?.stop();
    const closed = new Promise<void>((resolve) => (this.#listener ? this.#listener.close(() => resolve()) : resolve()));
    this.service.shutdown();
    for (const session of this.#sessions) session.close('shutdown');
    await closed;
    this.options.log.info('checkers server stopped');
  }

  #accept(socket: Socket): void {
    if (this.#stopping) {
      socket.destroy();
      return;
    }
    // Keepalive probes find connections whose network vanished without a FIN.
    socket.setKeepAlive(true, KEEPALIVE_IDLE_MS);
    const session = new Session(
      this.#nextSessionId++,
      socket.remoteAddress ?? '?',
      socket,
      this.service,
      this.batch,
      this.options.clock ?? systemClock,
      this.options.log,
      this.options.sessionLimits ?? DEFAULT_SESSION_LIMITS,
    );
    this.#sessions.add(session);
    socket.on('close', () => this.#sessions.delete(session));
    this.options.log.debug({ session: session.id, address: socket.remoteAddress }, 'connection');
  }

  async #listen(listener: Server): Promise<void> {
    const { listenAddress, listenPort } = this.options;
    try {
      await listenOn(listener, listenPort, listenAddress ?? '::');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (listenAddress === undefined && (code === 'EAFNOSUPPORT' || code === 'EADDRNOTAVAIL')) {
        await listenOn(listener, listenPort, '0.0.0.0').catch((retry: unknown) => {
          throw startError(retry, listenPort, '0.0.0.0');
        });
        return;
      }
      throw startError(error, listenPort, listenAddress ?? '::');
    }
  }
}

function listenOn(listener: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    listener.once('error', onError);
    listener.listen({ port, host, ipv6Only: false }, () => {
      listener.off('error', onError);
      resolve();
    });
  });
}

function startError(error: unknown, port: number, host: string): ServerStartError {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EADDRINUSE':
      return new ServerStartError(`port ${port} is already in use; stop the other server or pass --listen-port`);
    case 'EACCES':
      return new ServerStartError(`no permission to listen on port ${port}; pass --listen-port with a port above 1023`);
    case 'EADDRNOTAVAIL':
      return new ServerStartError(`${host} is not an address of this machine; pass --listen-addr with one that is`);
    default:
      return new ServerStartError(`cannot listen on ${host} port ${port}: ${(error as Error).message}`);
  }
}
