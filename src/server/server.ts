import { randomInt } from 'node:crypto';
import type { Server as HttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { hostname } from 'node:os';
import type { Duplex } from 'node:stream';
import { createSecureContext } from 'node:tls';
import type { Logger } from 'pino';
import { Announcer } from '../discovery/announcer.js';
import { openingDraw } from '../game/opening-draw.js';
import type { Opening } from '../game/openings.js';
import type { JumpChooser } from '../game/v1.js';
import type { AnyProtocolState } from '../protocol/index.js';
import { BotPool, defaultBotThreads } from './bot-pool.js';
import { type Clock, systemClock } from './clock.js';
import { RedisCluster } from './cluster/redis-cluster.js';
import type { Account } from './domain/players.js';
import { EndgameDatabases, type EndgameSettings, endgameRoutes } from './endgame/endgame-databases.js';
import { FrontDoor, type RefusedCounts } from './front-door/front-door.js';
import { listen, logAcceptFailure, ServerStartError, warnIfTooFewFiles } from './front-door/listen.js';
import { GameEvents } from './game-events.js';
import { GameService, HIGHEST_CLUSTER_VERSION, HIGHEST_VERSION, LOWEST_VERSION } from './game-service.js';
import { HashPool } from './hash-pool.js';
import { DEFAULT_MAX_BOT_GAMES, type HouseBotSettings, NO_PASSWORD } from './house-bot.js';
import type { HouseBotSeatSettings } from './house-bot-seats.js';
import { AccountGuesses } from './limits/account-guesses.js';
import { AddressBook, type ConnectionGuard } from './limits/address-book.js';
import { DEFAULT_LIMITS, type ServerLimits } from './limits/limits.js';
import { type MetricsAddress, ServerMetrics } from './metrics.js';
import { DEFAULT_HASH_COST } from './passwords.js';
import { Session } from './session.js';
import { type Store, StoreError } from './store/store.js';
import { DEFAULT_TIMING, type ServerTiming } from './timing.js';
import { StreamTransport, type Transport, type TransportKind } from './transport.js';
import { TurnBatch } from './turn-batch.js';
import { type CommunitySettings, communityRoutes, SIGNUP_OPTIONS } from './web/api/community.js';
import { DEFAULT_WATCH_LIMITS, WatchHub } from './web/watch.js';
import { type WebOptions, WebServer } from './web/web-server.js';

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
  /** Timings that differ from DEFAULT_TIMING, in milliseconds. */
  readonly timing?: Partial<ServerTiming>;
  /** Commit games in progress after every move (off only to measure what it costs). */
  readonly persistMoves?: boolean;
  /** First retry after a failed commit (it doubles up to 2 s); tests shorten it. */
  readonly storageRetryMs?: number;
  /** Rehash passwords stored below DEFAULT_HASH_COST at login (off only for benchmarks seeded with cheap hashes). */
  readonly rehashPasswords?: boolean;
  readonly store: Store;
  readonly log: Logger;
  readonly clock?: Clock;
  readonly chooser?: JumpChooser;
  /** Limits that differ from DEFAULT_LIMITS. */
  readonly limits?: Partial<ServerLimits>;
  /** Join a cluster of nodes over Redis (src/server/cluster/); undefined = this node alone. */
  readonly cluster?: { readonly url: string; readonly node: string };
  /** TLS on the same port (a first byte of 0x16 starts a handshake); undefined = plain only, like a version-1 server. */
  readonly tls?: { readonly cert: string; readonly key: string; readonly fingerprint: Uint8Array } | undefined;
  /** Plain (unencrypted) version-1 connections: allowed by default; `refuse` closes them at once. */
  readonly plain?: 'allow' | 'refuse';
  /** The house bot, which plays whoever has waited `timing.botAfterMs` alone (0 = never). */
  readonly houseBot?: HouseBotSettings | undefined;
  /** Rated version-2 queue games start from a ballot of `deck`, drawn by `random` (default Math.random); undefined: none. */
  readonly openings?: { readonly deck: readonly Opening[]; readonly random?: () => number } | undefined;
  /** Version-2 visitors may log in as guests (`--guests`); default true. */
  readonly guests?: boolean;
  /**
   * Load balancers whose connections start with a PROXY header (v1 or v2)
   * naming the client; that address is the one all per-address limits count.
   * From any other address a PROXY header is just bytes.
   */
  readonly trustProxy?: readonly string[];
  /**
   * HTTP and WebSockets on the same port (a first byte that starts an HTTP
   * method, plain or inside TLS): on by default; `false` (--no-web) treats
   * such a connection as version 1, which closes it at its first byte.
   */
  readonly web?: WebOptions | false;
  /** The community pages' API (standings, games, sign-up, health) and watch feed, on the web port. */
  readonly community?: CommunitySettings;
  /** Prometheus metrics on a listener of their own (--metrics-listen); undefined = none. */
  readonly metricsListen?: MetricsAddress | undefined;
  /** Endgame databases (--egdb-pieces), loaded or generated in the background; undefined = none. */
  readonly endgame?: EndgameSettings | undefined;
}

/** Part of the server's face: the command line catches ServerStartError, tests size the backlog. */
export { acceptBacklog, ServerStartError } from './front-door/listen.js';

const ADDRESS_SWEEP_MS = 10_000;

/** The original server chose among possible jumps at random. */
const randomJump: JumpChooser = (options) => randomInt(options.length);

/** The running server: TCP listener, sessions, game service, discovery beacon. */
export class CheckersServer {
  readonly #sessions = new Set<Session>();
  #service: GameService | undefined;
  readonly batch: TurnBatch;
  readonly limits: ServerLimits;
  readonly addresses: AddressBook;
  readonly #frontDoor: FrontDoor;
  #stopSweeping: (() => void) | undefined;
  #refusedReported: Partial<RefusedCounts> = {};
  #handshakesReported = 0;
  #listener: Server | undefined;
  #web: WebServer | undefined;
  /** Games started, changed and over, for the watch feed and the metrics. */
  readonly #events = new GameEvents();
  /** Every password hash: all cores while no game needs them, half while games are played. */
  readonly #hashPool: HashPool;
  /** Each account's budget of wrong passwords: version-1 logins and the web's password change alike. */
  readonly #guesses: AccountGuesses;
  readonly #metrics: ServerMetrics | undefined;
  #metricsListener: HttpServer | undefined;
  #watch: WatchHub | undefined;
  #started = false;
  #announcer: Announcer | undefined;
  #nextSessionId = 1;
  #stopping: Promise<void> | undefined;
  /** The house bot's threads, when it plays and thinks off the loop; closed on stop. */
  #botPool: BotPool | undefined;
  #endgame: EndgameDatabases | undefined;
  /** Every timeout and interval of this server and its games. */
  readonly #clock: Clock;
  readonly #timing: ServerTiming;

  constructor(private readonly options: ServerOptions) {
    this.#clock = options.clock ?? systemClock;
    const timing: ServerTiming = { ...DEFAULT_TIMING, ...options.timing };
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.addresses = new AddressBook(this.limits);
    this.#guesses = new AccountGuesses(this.limits.accountGuessRate);
    this.#hashPool = new HashPool({
      clock: this.#clock,
      events: this.#events,
      maxSlots: this.limits.hashConcurrency,
      log: options.log,
    });
    this.#timing = timing;
    this.#frontDoor = new FrontDoor({
      log: options.log,
      clock: this.#clock,
      limits: this.limits,
      addresses: this.addresses,
      secureContext: options.tls && createSecureContext({ cert: options.tls.cert, key: options.tls.key }),
      plain: options.plain ?? 'allow',
      trustedProxies: options.trustProxy ?? [],
      web: () => this.#web,
      stopping: () => this.#stopping !== undefined,
      startSession: (stream, socket, address, guard) => this.#startStreamSession(stream, socket, address, guard),
    });
    if (options.metricsListen) {
      this.#metrics = new ServerMetrics({
        events: this.#events,
        gamesInProgress: () => this.#service?.activeMatches ?? 0,
        connections: () => this.sessionCounts(),
        refused: () => this.refused,
        rateLimitWaits: () => this.addresses.rateLimitWaits,
        httpRefused: () => this.#web?.refusedCounts ?? {},
        storageFailing: () => this.batch.failing,
        watchers: () => this.#watch?.watchers ?? 0,
      });
    }
    const metrics = this.#metrics;
    this.batch = new TurnBatch(options.store, options.log, {
      clock: this.#clock,
      persistMoves: options.persistMoves ?? true,
      outageLimitMs: timing.storageOutageLimitMs,
      minCommitIntervalMs: options.store.commitIntervalMs ?? 0,
      ...(options.storageRetryMs === undefined ? {} : { retryFirstMs: options.storageRetryMs }),
      // The service exists once the server has started; the batch commits nothing before.
      outageLimit: () => this.#service?.abandonForOutage(),
      fencedOff: (gameIds) => this.#service?.fencedOff(gameIds),
      ...(metrics ? { commitTimed: (ms: number, ok: boolean) => metrics.commitDone(ms, ok) } : {}),
    });
  }

  /** Connections refused at once, by reason. */
  get refused(): Readonly<RefusedCounts> {
    return this.#frontDoor.refused;
  }

  /** TLS handshakes completed. */
  get tlsHandshakes(): number {
    return this.#frontDoor.tlsHandshakes;
  }

  /** The metrics listener's port (useful with port 0); 0 without --metrics-listen. */
  get metricsPort(): number {
    const address = this.#metricsListener?.address();
    return address && typeof address === 'object' ? address.port : 0;
  }

  /** The game service; it exists once `start` has read the store. */
  get service(): GameService {
    if (!this.#service) throw new Error('the server has not started');
    return this.#service;
  }

  /** Open sessions by transport and protocol state, version 2's states included (for metrics). */
  sessionCounts(): Array<{ transport: TransportKind; state: AnyProtocolState; count: number }> {
    const counts = new Map<string, { transport: TransportKind; state: AnyProtocolState; count: number }>();
    for (const session of this.#sessions) {
      if (session.closed) continue;
      const key = `${session.transportKind} ${session.machine.state}`;
      const entry = counts.get(key) ?? { transport: session.transportKind, state: session.machine.state, count: 0 };
      entry.count++;
      counts.set(key, entry);
    }
    return [...counts.values()];
  }

  /** The TCP port actually listened on (useful with port 0). */
  get port(): number {
    const address = this.#listener?.address();
    return address && typeof address === 'object' ? address.port : 0;
  }

  async start(): Promise<void> {
    const options = this.options;
    this.#endgame = options.endgame && new EndgameDatabases(options.endgame, options.log);
    this.#service = new GameService({
      store: options.store,
      clock: this.#clock,
      log: options.log,
      chooser: options.chooser ?? randomJump,
      batch: this.batch,
      timing: this.#timing,
      hashConcurrency: this.limits.hashConcurrency,
      hashQueue: this.#hashPool.queue,
      guesses: this.#guesses,
      events: this.#events,
      ...(options.rehashPasswords === false ? {} : { rehashTo: DEFAULT_HASH_COST }),
      ...(options.houseBot ? { houseBot: await this.#houseBot(options.houseBot) } : {}),
      ...(options.openings ? { drawOpening: openingDraw(options.openings) } : {}),
      guests: options.guests ?? true,
      ...(options.cluster
        ? {
            cluster: new RedisCluster({
              url: options.cluster.url,
              node: options.cluster.node,
              address: () => `${options.listenAddress ?? hostname()}:${this.port || options.listenPort}`,
              log: options.log,
              clock: this.#clock,
            }),
          }
        : {}),
    });
    try {
      await this.#service.start();
    } catch (error) {
      await this.#botPool?.close();
      throw error;
    }
    if (options.web !== false) {
      const web = options.web ?? {};
      const community = options.community ?? {};
      const service = this.#service;
      this.#watch = new WatchHub(service, this.batch, options.log, { ...DEFAULT_WATCH_LIMITS, ...community.watch });
      const routes = communityRoutes({
        store: options.store,
        clock: this.#clock,
        log: options.log,
        registration: community.registration ?? 'closed',
        signupRatePerAddress: community.signup?.signupRatePerAddress ?? SIGNUP_OPTIONS.signupRatePerAddress.default,
        signupRate: community.signup?.signupRate ?? SIGNUP_OPTIONS.signupRate.default,
        passwordAttempts: {
          admitAddress: (address, now) => this.addresses.admitLogin(address, now),
          accounts: this.#guesses,
          refused: (outcome) => this.#events.login(outcome),
        },
        hashQueue: service.hashQueue,
        seeks: service.standardQueues,
        hashCost: options.rehashPasswords === false ? (community.hashCost ?? DEFAULT_HASH_COST) : DEFAULT_HASH_COST,
        serving: () => ({
          started: this.#started,
          stopping: this.#stopping !== undefined,
          storageFailing: this.batch.failing,
        }),
      });
      this.#web = new WebServer({
        options: {
          ...web,
          routes: [...(web.routes ?? []), ...routes, ...endgameRoutes(this.#endgame)],
          sockets: [...(web.sockets ?? []), this.#watch.route],
        },
        plain: options.plain ?? 'allow',
        log: options.log,
        clock: this.#clock,
        maxPendingOutputBytes: this.limits.maxPendingOutputBytes,
        listenAddress: options.listenAddress,
        startPlay: (transport, guard, webSocket) => {
          const session = this.#startSession(transport, guard);
          webSocket.once('close', () => this.#sessions.delete(session));
        },
      });
    }
    const listener = createServer({ noDelay: true }, (socket) => this.#frontDoor.accept(socket));
    this.#listener = listener;
    try {
      await listen(listener, options.listenAddress, options.listenPort, this.limits.maxConnections);
    } catch (error) {
      await this.#service.shutdown();
      await this.#botPool?.close();
      throw error;
    }
    if (this.#metrics && options.metricsListen) {
      try {
        this.#metricsListener = await this.#metrics.listen(options.metricsListen);
      } catch (error) {
        listener.close();
        await this.#service.shutdown();
        await this.#botPool?.close();
        const { host, port } = options.metricsListen;
        throw new ServerStartError(
          `cannot serve metrics on ${host} port ${port}: ${(error as Error).message}; pass --metrics-listen with a free port`,
        );
      }
    }
    // After listening, errors are failed accepts (EMFILE above all): log them, keep serving.
    listener.on('error', (error: NodeJS.ErrnoException) => logAcceptFailure(options.log, error));
    warnIfTooFewFiles(options.log, this.limits.maxConnections);
    const clock = this.#clock;
    this.#stopSweeping = clock.every(ADDRESS_SWEEP_MS, () => {
      this.addresses.sweep(clock.now());
      this.#reportRefusals();
    });
    const discovery = this.options.discovery;
    if (discovery) {
      this.#announcer = new Announcer({
        broadcastAddress: discovery.broadcastAddress,
        sourcePort: discovery.sourcePort,
        intervalMs: 1000,
        ...(discovery.port === undefined ? {} : { listenPort: discovery.port }),
        announcement: () => ({
          lowest: LOWEST_VERSION,
          // A cluster speaks version 1 only, for now.
          highest: this.options.cluster ? HIGHEST_CLUSTER_VERSION : HIGHEST_VERSION,
          port: this.port,
          name: discovery.name,
          tls: this.options.tls !== undefined,
          fingerprint: this.options.tls?.fingerprint,
          ...(this.options.cluster ? { node: this.options.cluster.node } : {}),
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
    this.#started = true;
    this.#endgame?.start();
  }

  /** The endgame databases (undefined without the option): `settled` says when they are ready or failed. */
  get endgame(): EndgameDatabases | undefined {
    return this.#endgame;
  }

  /** Stops accepting, suspends running games (they stay stored), closes every connection. Safe to call twice. */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  /**
   * The house bot's account, created on first use with no usable password so
   * that nobody can log in as it, and its threads (none with `threads: 0`).
   */
  async #houseBot(bot: HouseBotSettings): Promise<HouseBotSeatSettings> {
    const store = this.options.store;
    const account = (await store.findAccount(bot.name)) ?? (await createOrFind(store, bot.name));
    const threads = bot.threads ?? defaultBotThreads();
    this.#botPool = threads > 0 ? new BotPool({ threads, log: this.options.log }) : undefined;
    const pool = this.#botPool;
    if (pool) this.#endgame?.onReady((tables) => pool.useEndgame(tables.parts));
    return {
      accountId: account.id,
      name: account.name,
      maxGames: bot.maxGames ?? DEFAULT_MAX_BOT_GAMES,
      ...(bot.pauseMs ? { pauseMs: bot.pauseMs } : {}),
      ...(this.#botPool ? { thinker: this.#metrics?.timedThinker(this.#botPool) ?? this.#botPool } : {}),
    };
  }

  async #stop(): Promise<void> {
    this.#announcer?.stop();
    this.#stopSweeping?.();
    const closed = new Promise<void>((resolve) => (this.#listener ? this.#listener.close(() => resolve()) : resolve()));
    // The last commit resolves before the sessions close, so that its held replies go out.
    await this.#service?.shutdown();
    this.#hashPool.stop();
    await this.#botPool?.close();
    await this.#endgame?.stop();
    for (const session of this.#sessions) session.close('shutdown');
    this.#watch?.close();
    this.#web?.close();
    this.#metricsListener?.closeAllConnections();
    this.#metricsListener?.close();
    await closed;
    this.options.log.info('checkers server stopped');
  }

  #startStreamSession(stream: Duplex, socket: Socket, address: string, guard: ConnectionGuard): void {
    const session = this.#startSession(new StreamTransport(stream, stream === socket ? 'tcp' : 'tls', address), guard);
    stream.on('close', () => this.#sessions.delete(session));
    socket.on('close', () => stream.destroy());
    stream.resume();
  }

  /** A version-1 session over any transport: the same limits, state machine and game service for all. */
  #startSession(transport: Transport, guard: ConnectionGuard): Session {
    const session = new Session(
      this.#nextSessionId++,
      transport,
      this.service,
      this.batch,
      this.#clock,
      this.options.log,
      this.limits,
      guard,
    );
    this.#sessions.add(session);
    this.options.log.debug(
      { session: session.id, address: transport.remoteAddress, transport: transport.kind },
      'connection',
    );
    return session;
  }

  /** One log line per sweep with the connections refused (and TLS handshakes done) since the last one, if any. */
  #reportRefusals(): void {
    const handshakes = this.tlsHandshakes - this.#handshakesReported;
    if (handshakes > 0) {
      this.#handshakesReported = this.tlsHandshakes;
      this.options.log.info({ count: handshakes, seconds: ADDRESS_SWEEP_MS / 1000 }, 'TLS handshakes');
    }
    const since = Object.fromEntries(
      Object.entries(this.refused).map(([reason, count]) => [
        reason,
        count - (this.#refusedReported[reason as keyof typeof this.refused] ?? 0),
      ]),
    );
    if (Object.values(since).every((count) => count === 0)) return;
    this.#refusedReported = { ...this.refused };
    this.options.log.info({ ...since, addresses: this.addresses.addressesTracked }, 'connections refused');
  }
}

/** The house bot's account, made now or, when another node of a cluster made it at the same moment, found. */
async function createOrFind(store: Store, name: string): Promise<Account> {
  try {
    return await store.createAccount(name, NO_PASSWORD);
  } catch (error) {
    const found = error instanceof StoreError ? await store.findAccount(name) : undefined;
    if (!found) throw error;
    return found;
  }
}
