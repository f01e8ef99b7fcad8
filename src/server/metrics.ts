import { createServer, type Server } from 'node:http';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { BotThinker } from './bot-thinker.js';
import { type GameEvents, LOGIN_OUTCOMES } from './game-events.js';

/** Where a metrics listener listens: loopback unless an address is given. */
export interface MetricsAddress {
  readonly host: string;
  readonly port: number;
}

/** What the metrics read from the running server at each scrape. */
export interface MetricsSource {
  readonly events: GameEvents;
  gamesInProgress(): number;
  /** Open sessions of both versions counted by how they came (tcp, tls, ws) and protocol state (CheckersServer.sessionCounts). */
  connections(): Iterable<{ readonly transport: string; readonly state: string; readonly count: number }>;
  /** Connections refused at once, by reason, since the start. */
  refused(): Readonly<Record<string, number>>;
  /** Messages held back by a rate limit, by limit, since the start. */
  rateLimitWaits(): Readonly<Record<string, number>>;
  /** HTTP requests answered 429 (`rate-limited`) and HTTP connections dropped (`pipelining`, `slow-reader`), since the start. */
  httpRefused(): Readonly<Record<string, number>>;
  storageFailing(): boolean;
  watchers(): number;
}

/** Counters kept elsewhere as running totals, exported as Prometheus counters (increased by the difference). */
function totalsCounter(
  registry: Registry,
  name: string,
  help: string,
  label: string,
  read: () => Readonly<Record<string, number>>,
) {
  const seen = new Map<string, number>();
  return new Counter({
    name,
    help,
    labelNames: [label],
    registers: [registry],
    collect() {
      for (const [key, total] of Object.entries(read())) {
        const delta = total - (seen.get(key) ?? 0);
        if (delta > 0) this.inc({ [label]: key }, delta);
        else if (!seen.has(key)) this.inc({ [label]: key }, 0);
        seen.set(key, total);
      }
    },
  });
}

const LATENCY_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/**
 * The server's Prometheus metrics, in a Registry of their own (not
 * prom-client's global one), so that several servers in one process (tests)
 * each have theirs. Fed by the game service's events, the turn batch's
 * commit timing and the house bot's thinking; the rest is read at scrape time.
 */
export class ServerMetrics {
  readonly registry = new Registry();
  readonly #commits: Histogram;
  readonly #commitFailures: Counter;
  readonly #botThink: Histogram;

  constructor(source: MetricsSource) {
    const registry = this.registry;
    collectDefaultMetrics({ register: registry });
    new Gauge({
      name: 'checkers_connections',
      help: 'Open game connections (protocol versions 1 and 2) by transport (tcp, tls, ws) and protocol state',
      labelNames: ['transport', 'state'],
      registers: [registry],
      collect() {
        this.reset();
        for (const { transport, state, count } of source.connections()) this.set({ transport, state }, count);
      },
    });
    const logins = new Counter({
      name: 'checkers_logins_total',
      help: 'Login attempts by outcome',
      labelNames: ['outcome'],
      registers: [registry],
    });
    // Every outcome from the start at 0, so that a rate() over it exists before the first of its kind.
    for (const outcome of LOGIN_OUTCOMES) logins.inc({ outcome }, 0);
    const started = new Counter({ name: 'checkers_games_started_total', help: 'Games started', registers: [registry] });
    const finished = new Counter({
      name: 'checkers_games_finished_total',
      help: 'Games finished, by termination and winner',
      labelNames: ['termination', 'winner'],
      registers: [registry],
    });
    new Gauge({
      name: 'checkers_games_in_progress',
      help: 'Games in progress (including those waiting for an away player)',
      registers: [registry],
      collect() {
        this.set(source.gamesInProgress());
      },
    });
    const moves = new Histogram({
      name: 'checkers_move_handling_seconds',
      help: 'Event-loop time to handle a move from a player (rules, replies), legal or not; its commit is apart',
      labelNames: ['legal'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    });
    this.#commits = new Histogram({
      name: 'checkers_commit_seconds',
      help: "Time of the turn batch's commits (all writes of one event-loop turn); replies wait for it",
      buckets: [...LATENCY_BUCKETS, 2.5, 10],
      registers: [registry],
    });
    this.#commitFailures = new Counter({
      name: 'checkers_commit_failures_total',
      help: 'Commits that storage refused (retried)',
      registers: [registry],
    });
    new Gauge({
      name: 'checkers_storage_failing',
      help: '1 while storage cannot write (moves are held, no game starts), else 0',
      registers: [registry],
      collect() {
        this.set(source.storageFailing() ? 1 : 0);
      },
    });
    totalsCounter(
      registry,
      'checkers_connections_refused_total',
      'Connections refused at once, by reason',
      'reason',
      () => source.refused(),
    );
    totalsCounter(
      registry,
      'checkers_rate_limit_waits_total',
      'Messages held back by a rate limit, by limit (message or login)',
      'limit',
      () => source.rateLimitWaits(),
    );
    totalsCounter(
      registry,
      'checkers_http_refused_total',
      'HTTP requests answered 429 for the request budget (rate-limited), HTTP connections dropped (pipelining, slow-reader)',
      'reason',
      () => source.httpRefused(),
    );
    this.#botThink = new Histogram({
      name: 'checkers_bot_think_seconds',
      help: "House bot's time to find a move (worker threads)",
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
      registers: [registry],
    });
    new Gauge({
      name: 'checkers_watchers',
      help: 'WebSockets watching games in progress',
      registers: [registry],
      collect() {
        this.set(source.watchers());
      },
    });
    source.events.subscribe({
      login: (outcome) => logins.inc({ outcome }),
      gameStarted: () => started.inc(),
      gameOver: (_id, game) => finished.inc({ termination: game.termination, winner: game.winner }),
      moveHandled: (ms, legal) => moves.observe({ legal: legal ? 'yes' : 'no' }, ms / 1000),
    });
  }

  /** A commit resolved (or failed) after `ms`. */
  commitDone(ms: number, ok: boolean): void {
    if (ok) this.#commits.observe(ms / 1000);
    else this.#commitFailures.inc();
  }

  /** The same thinker, its answers timed. */
  timedThinker(thinker: BotThinker): BotThinker {
    return {
      think: (request, answer) => {
        const startedAt = performance.now();
        return thinker.think(request, (move) => {
          this.#botThink.observe((performance.now() - startedAt) / 1000);
          answer(move);
        });
      },
      close: () => thinker.close(),
    };
  }

  /**
   * Serves GET (and HEAD) /metrics on its own listener (never the game
   * port), bounded like any listener: METRICS_LISTENER connections at once,
   * and timeouts for slow headers, slow requests and idle connections.
   */
  async listen(address: MetricsAddress): Promise<Server> {
    const server = createServer(
      {
        headersTimeout: METRICS_LISTENER.headersTimeoutMs,
        requestTimeout: METRICS_LISTENER.requestTimeoutMs,
        keepAliveTimeout: METRICS_LISTENER.keepAliveTimeoutMs,
        connectionsCheckingInterval: 1000,
      },
      (request, response) => {
        const path = (request.url ?? '').split('?')[0];
        if (path !== '/metrics') {
          response.writeHead(404, { 'Content-Type': 'text/plain' }).end('metrics are at GET /metrics\n');
          return;
        }
        if (request.method !== 'GET' && request.method !== 'HEAD') {
          response
            .writeHead(405, { 'Content-Type': 'text/plain', Allow: 'GET, HEAD' })
            .end(`${request.method} is not allowed here; use GET\n`);
          return;
        }
        this.registry.metrics().then(
          (text) =>
            response
              .writeHead(200, { 'Content-Type': this.registry.contentType })
              .end(request.method === 'HEAD' ? undefined : text),
          (error: unknown) => response.writeHead(500, { 'Content-Type': 'text/plain' }).end(`${String(error)}\n`),
        );
      },
    );
    server.maxConnections = METRICS_LISTENER.maxConnections;
    server.timeout = METRICS_LISTENER.idleTimeoutMs;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(address.port, address.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return server;
  }
}

/**
 * The bounds of the metrics listener: a Prometheus or two scrape it every
 * few seconds, so a handful of connections and a few seconds per request
 * are plenty; more connections are closed on arrival.
 */
export const METRICS_LISTENER = {
  maxConnections: 16,
  headersTimeoutMs: 5000,
  requestTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5000,
  idleTimeoutMs: 30_000,
} as const;

/**
 * Reads `--metrics-listen [ADDRESS:]PORT`: `9464` is 127.0.0.1:9464 (loopback:
 * metrics are for the operator, not the world), `0.0.0.0:9464`, `[::1]:9464`.
 */
export function parseMetricsAddress(text: string): MetricsAddress | undefined {
  const match = /^(?:(\[[0-9a-fA-F:.]+\]|[0-9.]+|[A-Za-z0-9.-]+):)?(\d{1,5})$/.exec(text.trim());
  const port = Number(match?.[2]);
  if (!match || !Number.isInteger(port) || port < 0 || port > 65_535) return undefined;
  const host = match[1]?.replace(/^\[|\]$/g, '') ?? '127.0.0.1';
  return { host, port };
}
