/*
 * Over the 700-line mark, knowingly: the front door (accept, PROXY header, first-byte sniffing, TLS)
 * is still in this file; it moves to a room of its own with the rest of the server's layout (issue 24).
 */

import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Server as HttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { hostname } from 'node:os';
import type { Duplex } from 'node:stream';
import { createSecureContext, type SecureContext, TLSSocket } from 'node:tls';
import type { Logger } from 'pino';
import { Announcer } from '../discovery/announcer.js';
import { openingDraw } from '../game/opening-draw.js';
import type { Opening } from '../game/openings.js';
import type { JumpChooser } from '../game/v1.js';
import type { AnyProtocolState } from '../protocol/index.js';
import { BotPool, defaultBotThreads } from './bot-pool.js';
import { type Clock, systemClock } from './clock.js';
import { RedisCluster } from './cluster/redis-cluster.js';
import { EndgameDatabases, type EndgameSettings, endgameRoutes } from './endgame/endgame-databases.js';
import { GameEvents } from './game-events.js';
import {
  GameService,
  HIGHEST_CLUSTER_VERSION,
  HIGHEST_VERSION,
  type HouseBotSeatSettings,
  LOWEST_VERSION,
} from './game-service.js';
import { HashPool } from './hash-pool.js';
import { DEFAULT_MAX_BOT_GAMES, type HouseBotSettings, NO_PASSWORD } from './house-bot.js';
import { AccountGuesses } from './limits/account-guesses.js';
import { AddressBook, type ConnectionGuard } from './limits/address-book.js';
import { DEFAULT_LIMITS, type ServerLimits } from './limits/limits.js';
import { type MetricsAddress, ServerMetrics } from './metrics.js';
import { DEFAULT_HASH_COST } from './passwords.js';
import { refusePlainConnection } from './plain-refusal.js';
import { parseProxyHeader, plainAddress } from './proxy-protocol.js';
import { Session } from './session.js';
import type { Store } from './store/store.js';
import { DEFAULT_TIMING, type ServerTiming } from './timing.js';
import { StreamTransport, type Transport, type TransportKind } from './transport.js';
import { TurnBatch } from './turn-batch.js';
import { type CommunitySettings, communityRoutes, SIGNUP_OPTIONS } from './web/api/community.js';
import { firstByteKind } from './web/http-detect.js';
import { refuseConnection } from './web/http-refusal.js';
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

/** A failure to start that the operator can fix; the message says how. */
export class ServerStartError extends Error {}

const KEEPALIVE_IDLE_MS = 30_000;
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
  /** Connections refused at once, by reason. */
  readonly refused = {
    'server-full': 0,
    'address-full': 0,
    'connection-rate': 0,
    'plain-refused': 0,
    'tls-busy': 0,
    'tls-address-busy': 0,
    'tls-rate': 0,
    'tls-timeout': 0,
    'tls-idle': 0,
    'proxy-invalid': 0,
    'proxy-timeout': 0,
  };
  /** TLS handshakes completed. */
  tlsHandshakes = 0;
  #handshaking = 0;
  readonly #secureContext: SecureContext | undefined;
  #stopSweeping: (() => void) | undefined;
  #refusedReported: Partial<typeof this.refused> = {};
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
  readonly #trustedProxies: ReadonlySet<string>;

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
    this.#secureContext = options.tls && createSecureContext({ cert: options.tls.cert, key: options.tls.key });
    this.#timing = timing;
    this.#trustedProxies = new Set((options.trustProxy ?? []).map(plainAddress));
    this.batch = new TurnBatch(options.store, options.log, {
      clock: this.#clock,
      persistMoves: options.persistMoves ?? true,
      outageLimitMs: timing.storageOutageLimitMs,
      minCommitIntervalMs: options.store.commitIntervalMs ?? 0,
      ...(options.storageRetryMs === undefined ? {} : { retryFirstMs: options.storageRetryMs }),
    });
    if (options.metricsListen) {
      const metrics = new ServerMetrics({
        events: this.#events,
        gamesInProgress: () => this.#service?.activeMatches ?? 0,
        connections: () => this.sessionCounts(),
        refused: () => this.refused,
        rateLimitWaits: () => this.addresses.rateLimitWaits,
        httpRefused: () => this.#web?.refusedCounts ?? {},
        storageFailing: () => this.batch.failing,
        watchers: () => this.#watch?.watchers ?? 0,
      });
      this.batch.commitTimed = (ms, ok) => metrics.commitDone(ms, ok);
      this.#metrics = metrics;
    }
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
    const listener = createServer({ noDelay: true }, (socket) => this.#accept(socket));
    this.#listener = listener;
    try {
      await this.#listen(listener);
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
    listener.on('error', (error: NodeJS.ErrnoException) => this.#acceptFailed(error));
    this.#warnIfTooFewFiles();
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
    const account = (await store.findAccount(bot.name)) ?? (await store.createAccount(bot.name, NO_PASSWORD));
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

  #accept(socket: Socket): void {
    if (this.#stopping) {
      socket.destroy();
      return;
    }
    const peer = socket.remoteAddress;
    // Gone before we saw it (a load balancer's health check connects and resets at once).
    if (peer === undefined) {
      socket.destroy();
      return;
    }
    if (this.#trustedProxies.has(plainAddress(peer))) this.#readProxyHeader(socket, peer);
    else this.#admit(socket, peer);
  }

  /**
   * A connection from a trusted load balancer: its PROXY header names the
   * client, which is then admitted as if it had connected itself. Bounded by
   * the login timeout; a connection without a valid header is closed.
   */
  #readProxyHeader(socket: Socket, proxy: string): void {
    const log = this.options.log;
    let received = Buffer.alloc(0);
    let decided = false;
    const onError = (error: Error) => log.debug({ proxy, err: error.message }, 'connection error');
    const waiting =
      this.limits.loginTimeoutMs > 0
        ? this.#clock.after(this.limits.loginTimeoutMs, () => {
            if (decided) return;
            this.refused['proxy-timeout']++;
            socket.destroy();
          })
        : () => {};
    const onClose = () => waiting();
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const header = parseProxyHeader(received);
      if (header.kind === 'incomplete') return;
      decided = true;
      waiting();
      socket.off('data', onData);
      socket.off('close', onClose);
      socket.off('error', onError);
      if (header.kind === 'invalid') {
        this.refused['proxy-invalid']++;
        log.debug({ proxy, reason: header.reason }, 'connection from a trusted proxy without a valid PROXY header');
        socket.destroy();
        return;
      }
      socket.pause();
      const rest = received.subarray(header.length);
      if (rest.length > 0) socket.unshift(rest);
      const address = header.kind === 'proxied' ? header.source.address : proxy;
      log.debug({ address, proxy, version: header.version }, 'proxied connection');
      this.#admit(socket, address);
      if (!socket.destroyed) socket.resume();
    };
    socket.on('error', onError);
    socket.once('close', onClose);
    socket.on('data', onData);
  }

  /** Admits a connection from `address` (the socket's, or the one a PROXY header gave) under the per-address limits. */
  #admit(socket: Socket, address: string): void {
    const clock = this.#clock;
    const admission = this.addresses.admit(address, clock.now());
    if (!admission.ok) {
      this.refused[admission.reason]++;
      this.options.log.debug({ address, reason: admission.reason }, 'connection refused');
      refuseConnection(socket, admission.reason, clock, this.#web !== undefined);
      return;
    }
    // Keepalive probes find connections whose network vanished without a FIN.
    socket.setKeepAlive(true, KEEPALIVE_IDLE_MS);
    socket.on('error', (error) => this.options.log.debug({ address, err: error.message }, 'connection error'));
    this.#sniff(socket, address, admission.guard);
  }

  /** Reads the first byte: 0x16 starts TLS, an HTTP method's first letter HTTP, anything else a plain version-1 session. */
  #sniff(socket: Socket, address: string, guard: ConnectionGuard): void {
    this.#whenFirstByte(socket, guard, (first) => {
      const kind = firstByteKind(first);
      if (kind === 'tls' && this.#secureContext) {
        this.#startTls(socket, address, guard, this.#secureContext);
      } else if (kind === 'http' && this.#web) {
        // Under --plain refuse the web server only redirects to HTTPS.
        if (this.options.plain === 'refuse') this.refused['plain-refused']++;
        this.#web.accept(socket, address, false, guard);
      } else if (this.options.plain === 'refuse') {
        this.refused['plain-refused']++;
        this.options.log.debug({ address }, 'plain connection refused (--plain refuse)');
        socket.once('close', () => guard.release());
        refusePlainConnection(socket, this.#clock, this.limits.incompleteMessageMs);
      } else {
        this.#startStreamSession(socket, socket, address, guard);
      }
    });
  }

  /** Inside TLS, the first plaintext byte tells HTTPS from version 1 over TLS. */
  #sniffDecrypted(secure: TLSSocket, socket: Socket, address: string, guard: ConnectionGuard): void {
    this.#whenFirstByte(secure, guard, (first) => {
      if (firstByteKind(first) === 'http' && this.#web) {
        socket.once('close', () => secure.destroy());
        this.#web.accept(secure, address, true, guard);
      } else {
        this.#startStreamSession(secure, socket, address, guard);
      }
    });
  }

  /**
   * Waits for the stream's first bytes, puts them back and calls `decide`
   * with the first one, the stream paused. A connection that never sends a
   * byte is not logged in either: the login timeout covers it (0 = never);
   * one that closes first releases its guard.
   */
  #whenFirstByte(stream: Duplex, guard: ConnectionGuard, decide: (first: number) => void): void {
    let decided = false;
    const waiting =
      this.limits.loginTimeoutMs > 0
        ? this.#clock.after(this.limits.loginTimeoutMs, () => {
            if (!decided) stream.destroy();
          })
        : () => {};
    const onClose = () => {
      waiting();
      guard.release();
    };
    stream.once('close', onClose);
    stream.once('data', (chunk: Buffer) => {
      decided = true;
      waiting();
      stream.off('close', onClose);
      stream.pause();
      stream.unshift(chunk);
      decide(chunk[0] as number);
    });
  }

  /**
   * A TLS handshake, bounded in number (all addresses, and per address),
   * per-address rate and time: in all, and without a byte either way. The
   * session starts once it is done.
   */
  #startTls(socket: Socket, address: string, guard: ConnectionGuard, secureContext: SecureContext): void {
    const clock = this.#clock;
    const refusal = this.#handshaking >= this.limits.maxTlsHandshakes ? 'tls-busy' : guard.admitHandshake(clock.now());
    if (refusal) {
      this.refused[refusal]++;
      guard.release();
      socket.destroy();
      return;
    }
    this.#handshaking++;
    const secure = new TLSSocket(socket, { isServer: true, secureContext });
    let handshaking = true;
    let started = false;
    const done = () => {
      if (!handshaking) return;
      handshaking = false;
      this.#handshaking--;
      guard.handshakeEnded();
      cancelTimeout();
      stopWatching();
    };
    const drop = (reason: 'tls-timeout' | 'tls-idle') => {
      if (!handshaking) return;
      this.refused[reason]++;
      done();
      secure.destroy();
    };
    const cancelTimeout = clock.after(this.limits.tlsHandshakeTimeoutMs, () => drop('tls-timeout'));
    const stopWatching = this.#watchProgress(socket, () => drop('tls-idle'));
    secure.once('secure', () => {
      done();
      this.tlsHandshakes++;
      started = true;
      this.#sniffDecrypted(secure, socket, address, guard);
    });
    secure.on('error', (error) => this.options.log.debug({ address, err: error.message }, 'TLS error'));
    secure.once('close', () => {
      done();
      if (!started) guard.release();
      socket.destroy();
    });
  }

  /**
   * Calls `stalled` once no byte has crossed the socket either way for
   * --tls-idle-timeout (checked four times as often); returns a function
   * that stops watching. The TLS layer reads the socket itself, so progress
   * is its byte counts.
   */
  #watchProgress(socket: Socket, stalled: () => void): () => void {
    const idleMs = this.limits.tlsIdleTimeoutMs;
    if (idleMs <= 0) return () => {};
    const clock = this.#clock;
    let bytes = socket.bytesRead + socket.bytesWritten;
    let movedAt = clock.now();
    return clock.every(Math.max(10, idleMs / 4), () => {
      const now = clock.now();
      const current = socket.bytesRead + socket.bytesWritten;
      if (current !== bytes) {
        bytes = current;
        movedAt = now;
      } else if (now - movedAt >= idleMs) {
        stalled();
      }
    });
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

  #acceptFailed(error: NodeJS.ErrnoException): void {
    if (error.code === 'EMFILE' || error.code === 'ENFILE') {
      this.options.log.error(
        'cannot accept a connection: too many open files; raise the limit (ulimit -n) or lower --max-connections',
      );
      return;
    }
    this.options.log.warn({ err: error.message }, 'cannot accept a connection');
  }

  /** Linux only: compares --max-connections with the open-file limit the process runs under. */
  #warnIfTooFewFiles(): void {
    let limits: string;
    try {
      limits = readFileSync('/proc/self/limits', 'utf8');
    } catch {
      return;
    }
    const soft = Number(/^Max open files\s+(\d+)/m.exec(limits)?.[1]);
    const needed = this.limits.maxConnections + 64;
    if (Number.isFinite(soft) && soft < needed) {
      this.options.log.warn(
        { openFileLimit: soft, maxConnections: this.limits.maxConnections },
        `the open-file limit (${soft}) is below --max-connections; raise it with ulimit -n ${needed} or lower --max-connections`,
      );
    }
  }

  async #listen(listener: Server): Promise<void> {
    const { listenAddress, listenPort } = this.options;
    const backlog = acceptBacklog(this.limits.maxConnections);
    try {
      await listenOn(listener, listenPort, listenAddress ?? '::', backlog);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (listenAddress === undefined && (code === 'EAFNOSUPPORT' || code === 'EADDRNOTAVAIL')) {
        await listenOn(listener, listenPort, '0.0.0.0', backlog).catch((retry: unknown) => {
          throw startError(retry, listenPort, '0.0.0.0');
        });
        return;
      }
      throw startError(error, listenPort, listenAddress ?? '::');
    }
  }
}

/**
 * The kernel's queue of connections not yet accepted. After a restart every
 * player connects at once; with Node's default of 511 the rest of the SYNs
 * are dropped and retried after 1, 3, 7, 15, 31 s..., so players arrive a
 * minute late to a game whose grace has run out. Sized for every connection
 * the server may hold (the kernel caps it at net.core.somaxconn, 4096 on
 * current Linux).
 */
export function acceptBacklog(maxConnections: number): number {
  return Math.max(511, Math.min(maxConnections, 65_535));
}

function listenOn(listener: Server, port: number, host: string, backlog: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    listener.once('error', onError);
    listener.listen({ port, host, ipv6Only: false, backlog }, () => {
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
