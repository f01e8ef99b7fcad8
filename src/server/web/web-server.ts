import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Clock } from '../clock.js';
import { plainAddress } from '../front-door/proxy-protocol.js';
import type { ConnectionGuard } from '../limits/address-book.js';
import type { Transport } from '../transport.js';
import { refusal, tooMany } from './api/answers.js';
import { ApiRouter, DEFAULT_MAX_BODY_BYTES, isApiPath, send } from './api-router.js';
import { HttpStream } from './http-stream.js';
import type { ApiRoute, WebSocketRoute } from './http-types.js';
import { originAllowed } from './origin.js';
import { hostOf, OwnNames } from './own-names.js';
import { MAX_PIPELINED_REQUESTS, RequestQueue } from './request-queue.js';
import { matchPattern } from './route-pattern.js';
import { DEFAULT_STATIC_DIR, StaticFiles, sendText } from './static-files.js';
import { WsTransport } from './ws-transport.js';

/** What the web part of the game port serves; the community pages add routes and sockets. */
export interface WebOptions {
  readonly routes?: readonly ApiRoute[];
  readonly sockets?: readonly WebSocketRoute[];
  /** The built web client (default: dist/web/ of this package). */
  readonly staticDir?: string;
  /** Origins other than the server's own whose pages may open WebSockets (`https://HOST[:PORT]`). */
  readonly allowedOrigins?: readonly string[];
  /** Names of this server beyond those it knows itself (see OwnNames); `*` turns the check off. */
  readonly allowedHosts?: readonly string[];
  /** Serve the web client's source maps (--web-source-maps); off by default. */
  readonly sourceMaps?: boolean;
  /** Largest JSON body an API route accepts (default 16 KiB). */
  readonly maxBodyBytes?: number;
  /** How long a request's headers may take to arrive (default 10 s); tests shorten it. */
  readonly headersTimeoutMs?: number;
}

/** The WebSocket endpoint where a browser plays version 1. */
export const PLAY_PATH = '/play';
/** Largest WebSocket message (a frame, or a fragmented message in all): ws closes with 1009 beyond it. */
export const MAX_WS_PAYLOAD = 64 * 1024;

const LIMITS = {
  maxHeaderSize: 8 * 1024,
  headersTimeout: 10_000,
  requestTimeout: 30_000,
  keepAliveTimeout: 5_000,
  /** Idle time after which a connection is closed, between requests as well. */
  idleTimeout: 60_000,
  maxHeadersCount: 64,
} as const;

/** How often the requests refused (429) and the connections dropped are logged, when there were any. */
const REPORT_MS = 10_000;

/** How long a refused upgrade's answer may take to leave before the connection is dropped. */
const REFUSAL_WAIT_MS = 2000;

interface Connection {
  readonly address: string;
  readonly encrypted: boolean;
  readonly guard: ConnectionGuard;
  readonly requests: RequestQueue;
}

export interface WebServerDependencies {
  readonly options: WebOptions;
  /** `refuse`: plain HTTP only redirects to HTTPS, and plain WebSocket upgrades are refused. */
  readonly plain: 'allow' | 'refuse';
  readonly log: Logger;
  readonly clock: Clock;
  /** The address the server listens on (--listen-addr), one of its own names; undefined = all interfaces. */
  readonly listenAddress?: string | undefined;
  /** Unsent output beyond which a client that does not read its answers is dropped (--max-output-kib). */
  readonly maxPendingOutputBytes: number;
  /** Starts a version-1 session over a /play WebSocket; it releases the guard when it ends. */
  startPlay(transport: Transport, guard: ConnectionGuard, socket: WebSocket): void;
}

/**
 * HTTP on the game port: an http.Server that never listens. The server hands
 * it connections whose first byte starts an HTTP method (plain, or inside
 * TLS), already admitted by the per-address limits. It serves the API routes,
 * the static web client, and WebSocket upgrades to /play and the other
 * socket routes.
 */
export class WebServer {
  readonly #http: Server;
  readonly #webSockets = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_WS_PAYLOAD,
    perMessageDeflate: false,
    clientTracking: false,
  });
  readonly #connections = new Map<HttpStream, Connection>();
  readonly #router: ApiRouter;
  readonly #static: StaticFiles;
  readonly #allowedOrigins: readonly string[];
  readonly #ownNames: OwnNames;
  /** HTTP connections closed for piling up requests or not reading their answers. */
  readonly dropped = { pipelining: 0, 'slow-reader': 0 };
  /** HTTP requests answered 429 for their address's request budget (--address-http-rate). */
  rateLimited = 0;
  #reported = { 'rate-limited': 0, pipelining: 0, 'slow-reader': 0 };
  /** Started by the first connection, so that a server that never listened holds no timer. */
  #stopReporting: (() => void) | undefined;

  constructor(private readonly dependencies: WebServerDependencies) {
    const options = dependencies.options;
    this.#router = new ApiRouter(
      options.routes ?? [],
      dependencies.log,
      options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      dependencies.clock,
    );
    this.#static = new StaticFiles(options.staticDir ?? DEFAULT_STATIC_DIR, options.sourceMaps ?? false);
    this.#allowedOrigins = options.allowedOrigins ?? [];
    this.#ownNames = new OwnNames(options.allowedHosts ?? [], dependencies.listenAddress);
    this.#http = createServer({
      maxHeaderSize: LIMITS.maxHeaderSize,
      headersTimeout: options.headersTimeoutMs ?? LIMITS.headersTimeout,
      requestTimeout: Math.max(LIMITS.requestTimeout, options.headersTimeoutMs ?? 0),
      keepAliveTimeout: LIMITS.keepAliveTimeout,
      connectionsCheckingInterval: Math.min(1000, (options.headersTimeoutMs ?? LIMITS.headersTimeout) / 2),
    });
    this.#http.maxHeadersCount = LIMITS.maxHeadersCount;
    this.#http.timeout = LIMITS.idleTimeout;
    this.#http.on('request', (request, response) => this.#request(request, response));
    this.#http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.#upgrade(request, socket, head),
    );
    this.#http.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => this.#clientError(error, socket));
    // The http.Server checks header and request timeouts only once it has "listened".
    this.#http.emit('listening');
  }

  /** Requests answered 429 for the request budget and connections dropped, by reason, since the start. */
  get refusedCounts(): { 'rate-limited': number; pipelining: number; 'slow-reader': number } {
    return { 'rate-limited': this.rateLimited, ...this.dropped };
  }

  /** One log line per REPORT_MS with the requests refused and connections dropped since the last, if any. */
  #report(): void {
    const now = this.refusedCounts;
    const since = {
      'rate-limited': now['rate-limited'] - this.#reported['rate-limited'],
      pipelining: now.pipelining - this.#reported.pipelining,
      'slow-reader': now['slow-reader'] - this.#reported['slow-reader'],
    };
    if (Object.values(since).every((count) => count === 0)) return;
    this.#reported = now;
    this.dependencies.log.info({ ...since, seconds: REPORT_MS / 1000 }, 'HTTP requests refused');
  }

  /** Takes a connection whose first bytes (already unshifted) are an HTTP request; releases the guard when it closes. */
  accept(connection: Duplex, address: string, encrypted: boolean, guard: ConnectionGuard): void {
    this.#stopReporting ??= this.dependencies.clock.every(REPORT_MS, () => this.#report());
    const stream = new HttpStream(connection);
    const requests = new RequestQueue(stream, {
      maxPipelined: MAX_PIPELINED_REQUESTS,
      maxPendingOutputBytes: this.dependencies.maxPendingOutputBytes,
      answer: (request, response) => this.#answerOrFail(request, response),
      dropped: (reason) => {
        this.dropped[reason]++;
        this.dependencies.log.debug({ address, reason }, 'HTTP connection dropped');
      },
    });
    this.#connections.set(stream, { address, encrypted, guard, requests });
    // The connection's close, not the stream's: a WebSocket keeps the connection when it leaves the stream.
    connection.once('close', () => {
      this.#connections.delete(stream);
      guard.release();
    });
    this.#http.emit('connection', stream);
    stream.resume();
  }

  /** Closes every HTTP connection and WebSocket it holds, but those of /play, which their sessions close. */
  close(): void {
    this.#stopReporting?.();
    this.#http.close(() => {});
    for (const stream of this.#connections.keys()) {
      stream.connection.destroy();
      stream.destroy();
    }
    this.#connections.clear();
  }

  /** The connection a request came on (node's HTTP server types it as a socket; it is our HttpStream). */
  #connectionOf(socket: unknown): Connection | undefined {
    return this.#connections.get(socket as HttpStream);
  }

  /** A request node's HTTP parser refused (too large, too slow, malformed): a bare status line, then the connection closes. */
  #clientError(error: NodeJS.ErrnoException, socket: Duplex): void {
    this.dependencies.log.debug({ err: error.message }, 'bad HTTP request');
    if (socket.writable && error.code !== 'ECONNRESET') {
      socket.end(`HTTP/1.1 ${clientErrorStatus(error.code)}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    }
    socket.destroy();
  }

  /** Each connection's requests wait in its queue, to be answered one at a time. */
  #request(request: IncomingMessage, response: ServerResponse): void {
    const connection = this.#connectionOf(request.socket);
    if (connection) connection.requests.push(request, response);
    else response.destroy();
  }

  #answerOrFail(request: IncomingMessage, response: ServerResponse): Promise<void> {
    return this.#answer(request, response).catch((error: unknown) => {
      this.dependencies.log.error({ err: error, url: request.url }, 'HTTP request failed');
      if (!response.headersSent) sendText(request, response, 500, 'internal server error');
      else response.destroy();
    });
  }

  async #answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const connection = this.#connectionOf(request.socket);
    if (!connection) {
      response.destroy();
      return;
    }
    const wait = connection.guard.admitHttpRequest(this.dependencies.clock.now());
    if (wait > 0) {
      this.rateLimited++;
      sendTooMany(request, response, wait);
      return;
    }
    const url = parseTarget(request.url);
    if (!url) {
      sendText(request, response, 400, 'bad request target');
      return;
    }
    if (this.dependencies.plain === 'refuse' && connection.encrypted) {
      // Browsers that have been here once come back over HTTPS only, even if told http:// (HSTS).
      response.setHeader('Strict-Transport-Security', HSTS);
    }
    if (!connection.encrypted && this.dependencies.plain === 'refuse') {
      this.#redirectToHttps(request, response, url);
      return;
    }
    if (
      isApiPath(url.pathname) &&
      !SAFE_METHODS.has(request.method ?? '') &&
      !this.#hostAccepted(request, connection)
    ) {
      send(response, request, refusal(403, notOurName(request.headers.host)));
      return;
    }
    if (await this.#router.handle(request, response, url, connection.address, connection.encrypted)) return;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      sendText(request, response, 405, `${request.method} is not allowed here; use GET`, { Allow: 'GET, HEAD' });
      return;
    }
    await this.#static.serve(request, response, url.pathname);
  }

  /**
   * Whether a WebSocket upgrade or a state-changing API call may go ahead as
   * far as its Host goes: over TLS always (a page whose name was pointed at
   * this server fails the certificate check before a byte of HTTP), in plain
   * HTTP only when it names this server (see OwnNames, against DNS rebinding).
   */
  #hostAccepted(request: IncomingMessage, connection: Connection): boolean {
    if (connection.encrypted || this.#ownNames.accepts(request.headers.host)) return true;
    this.dependencies.log.info(
      { address: connection.address, host: request.headers.host, url: request.url },
      'request to a name that is not this server refused (DNS rebinding?); if it is ours, add it to --allowed-hosts',
    );
    return false;
  }

  /**
   * Under --plain refuse: the same path over HTTPS on the same port, at the
   * name the request used if it is one of this server's own names, else at
   * the address the client reached (never a name only the client chose).
   */
  #redirectToHttps(request: IncomingMessage, response: ServerResponse, url: URL): void {
    const location = `https://${this.#httpsHost(request)}${url.pathname}${url.search}`;
    sendText(request, response, 308, `this server speaks HTTPS only: ${location}`, { Location: location });
  }

  /** `host[:port]` for the HTTPS redirect: the Host header when it names this server or the address reached, else that address. */
  #httpsHost(request: IncomingMessage): string {
    const header = request.headers.host ?? '';
    const host = hostOf(header);
    const local = plainAddress(request.socket.localAddress ?? '127.0.0.1');
    if (host !== undefined && (this.#ownNames.isName(host) || host === local)) return header.trim();
    const shown = isIP(local) === 6 ? `[${local}]` : local;
    return `${shown}:${request.socket.localPort ?? ''}`;
  }

  #upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const connection = this.#connectionOf(socket);
    const url = parseTarget(request.url);
    if (!connection || !url) {
      this.#refuseUpgrade(socket, 400, 'bad request');
      return;
    }
    if (!connection.encrypted && this.dependencies.plain === 'refuse') {
      this.#refuseUpgrade(socket, 403, 'this server accepts WebSockets over TLS only; use wss://');
      return;
    }
    const target = this.#socketTarget(url.pathname);
    if (!target) {
      this.#refuseUpgrade(socket, 404, 'no WebSocket endpoint here');
      return;
    }
    if (!this.#hostAccepted(request, connection)) {
      this.#refuseUpgrade(socket, 403, notOurName(request.headers.host));
      return;
    }
    if (!originAllowed(request.headers.origin, request.headers.host, this.#allowedOrigins)) {
      this.dependencies.log.info(
        { address: connection.address, origin: request.headers.origin },
        'WebSocket origin refused',
      );
      this.#refuseUpgrade(socket, 403, 'this origin may not open WebSockets here');
      return;
    }
    // The WebSocket takes the connection itself, with what was read of it and not yet parsed.
    const { connection: raw, unparsed } = (socket as HttpStream).detach();
    this.#webSockets.handleUpgrade(request, raw, Buffer.concat([head, unparsed]), (webSocket) => {
      if (target.kind === 'play') {
        // Its session closes it (with a close frame) at shutdown, not `close` below.
        this.#connections.delete(socket as HttpStream);
        const transport = new WsTransport(webSocket, connection.address, connection.encrypted, this.dependencies.clock);
        this.dependencies.startPlay(transport, connection.guard, webSocket);
      } else {
        target.route.accept(webSocket, target.params, request, connection.address);
      }
    });
  }

  /** An HTTP answer instead of the upgrade; a peer that does not read it is dropped soon after. */
  #refuseUpgrade(socket: Duplex, status: 400 | 403 | 404, text: string): void {
    const reason = { 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found' }[status];
    const body = `${text}\n`;
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      () => socket.destroy(),
    );
    const cancel = this.dependencies.clock.after(REFUSAL_WAIT_MS, () => socket.destroy());
    socket.once('close', cancel);
  }

  #socketTarget(
    path: string,
  ): { kind: 'play' } | { kind: 'route'; route: WebSocketRoute; params: Record<string, string> } | undefined {
    if (path === PLAY_PATH) return { kind: 'play' };
    for (const route of this.dependencies.options.sockets ?? []) {
      const match = matchPattern(route.pattern, path);
      if (match.kind === 'match') return { kind: 'route', route, params: match.params };
    }
    return undefined;
  }
}

/**
 * 429 for a request over its address's budget, JSON under /api and text
 * elsewhere; the connection closes after it, so that a client that keeps
 * asking must also open connections, which have a rate limit of their own.
 */
function sendTooMany(request: IncomingMessage, response: ServerResponse, waitMs: number): void {
  const answer = tooMany('too many requests from your address', waitMs);
  const headers = { ...answer.headers, Connection: 'close' };
  if (isApiPath(parseTarget(request.url)?.pathname ?? '')) send(response, request, { ...answer, headers });
  else sendText(request, response, 429, String((answer.body as { error: string }).error), headers);
}

/** The status line for an error code of node's HTTP parser. */
function clientErrorStatus(code: string | undefined): string {
  if (code === 'HPE_HEADER_OVERFLOW') return '431 Request Header Fields Too Large';
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return '408 Request Timeout';
  return '400 Bad Request';
}

/** A year, without subdomains: other servers under the same domain decide for themselves. */
const HSTS = 'max-age=31536000';

/** Methods that change nothing: the Host check against DNS rebinding leaves them alone. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function notOurName(host: string | undefined): string {
  return `this server does not answer to the name ${JSON.stringify(host ?? '')}; its operator can add the name with --allowed-hosts`;
}

/**
 * The request target as a URL (origin-form only: `/path?query`), read as a
 * path: `//evil.example/api/x` is the path `//evil.example/api/x`, not the
 * host evil.example and the path `/api/x` that URL's relative resolution makes of it.
 */
function parseTarget(target: string | undefined): URL | undefined {
  if (!target?.startsWith('/')) return undefined;
  try {
    return new URL(`http://localhost${target}`);
  } catch {
    return undefined;
  }
}
