import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';

/**
 * The seam between the web server (HTTP on the game port) and what it serves:
 * JSON API handlers and WebSocket endpoints register here and never see the
 * socket sniffing, TLS, static files or limits around them.
 */

/** A request as an API handler sees it: parsed, bounded, with the peer's real address. */
export interface ApiRequest {
  readonly method: string;
  /** The path without the query string, e.g. `/api/players/cam`. */
  readonly path: string;
  /** Named parts of the route's pattern, e.g. `{ name: 'cam' }` for `/api/players/:name`. */
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The parsed JSON body (POST/PUT), undefined when there is none. */
  readonly body: unknown;
  readonly remoteAddress: string;
  readonly encrypted: boolean;
}

/** An API answer: `body` is sent as JSON unless it is a string or bytes (then `headers` give its type). */
export interface ApiResponse {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export type ApiHandler = (request: ApiRequest) => ApiResponse | Promise<ApiResponse>;

export interface ApiRoute {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** A path pattern with `:name` parts, e.g. `/api/games/:id`. */
  readonly pattern: string;
  readonly handle: ApiHandler;
  /**
   * A public page, the same for everyone (GET only): its answers are shared
   * by every request for the same path and query during this many ms.
   */
  readonly cacheMs?: number;
}

/** A WebSocket endpoint other than `/play` (e.g. a read-only feed of a live game). */
export interface WebSocketRoute {
  /** A path pattern with `:name` parts, e.g. `/watch/:id`. */
  readonly pattern: string;
  /** Called once the upgrade is accepted (origin checked, limits applied). */
  accept(
    socket: WebSocket,
    params: Readonly<Record<string, string>>,
    request: IncomingMessage,
    remoteAddress: string,
  ): void;
}
