import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { type Clock, systemClock } from '../clock.js';
import { AnswerCache } from './answer-cache.js';
import { refusal } from './api/answers.js';
import type { ApiResponse, ApiRoute } from './http-types.js';
import { matchPattern } from './route-pattern.js';
import { TurnShare } from './turn-share.js';

/** JSON bodies are small (a sign-up, a password change): anything larger is refused with 413. */
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024;

/** Where the request goes: every path under /api is the API's, matched or not. */
export function isApiPath(path: string): boolean {
  return path === '/api' || path.startsWith('/api/');
}

class BodyError extends Error {
  constructor(readonly response: ApiResponse) {
    super(String((response.body as { error: string }).error));
  }
}

/** The client went away (closed, reset, or timed out by the server) before its body arrived: not a server error. */
class BodyNotReceived extends Error {}

/**
 * Dispatches requests to the ApiRoutes: pattern and method, a bounded JSON
 * body, the handler's answer as JSON; every failure is a JSON error with its
 * status, and a handler that throws is a 500 with a log line (never a stack
 * trace to the client).
 */
export class ApiRouter {
  readonly #cache = new AnswerCache();
  readonly #turns = new TurnShare();

  constructor(
    private readonly routes: readonly ApiRoute[],
    private readonly log: Logger,
    private readonly maxBodyBytes = DEFAULT_MAX_BODY_BYTES,
    /** The time the answer cache of public pages goes by. */
    private readonly clock: Pick<Clock, 'now'> = systemClock,
  ) {}

  /** Answers the request and returns true, or returns false when no route is for this path and it is not under /api. */
  async handle(
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    remoteAddress: string,
    encrypted: boolean,
  ): Promise<boolean> {
    const path = url.pathname;
    const method = request.method === 'HEAD' ? 'GET' : (request.method ?? 'GET');
    let badEncoding = false;
    const candidates: Array<{ route: ApiRoute; params: Record<string, string> }> = [];
    for (const route of this.routes) {
      const match = matchPattern(route.pattern, path);
      if (match.kind === 'bad-encoding') badEncoding = true;
      if (match.kind === 'match') candidates.push({ route, params: match.params });
    }
    if (candidates.length === 0) {
      if (badEncoding) send(response, request, refusal(400, 'the path is not valid percent-encoding'));
      else if (isApiPath(path)) send(response, request, refusal(404, `no such API path: ${path}`));
      else return false;
      return true;
    }
    const chosen = candidates.find((candidate) => candidate.route.method === method);
    if (!chosen) {
      const methods = new Set<string>(candidates.map((candidate) => candidate.route.method));
      if (methods.has('GET')) methods.add('HEAD');
      const allow = [...methods].join(', ');
      send(response, request, refusal(405, `${request.method} is not allowed here; use ${allow}`, { Allow: allow }));
      return true;
    }
    let answer: ApiResponse;
    try {
      const body = await this.#readBody(request);
      const compute = () =>
        this.#turns.run(remoteAddress, async () =>
          chosen.route.handle({
            method,
            path,
            params: chosen.params,
            query: url.searchParams,
            body,
            remoteAddress,
            encrypted,
          }),
        );
      const cacheMs = method === 'GET' ? chosen.route.cacheMs : undefined;
      answer = cacheMs
        ? await this.#cache.answer(`${path}${url.search}`, this.clock.now(), cacheMs, compute)
        : await compute();
    } catch (error) {
      if (error instanceof BodyNotReceived) {
        // Anyone can cause this at will: a debug line without a stack, no 500, and nobody left to answer.
        this.log.debug({ method, path, address: remoteAddress, reason: error.message }, 'request body not received');
        response.destroy();
        return true;
      }
      if (error instanceof BodyError) {
        answer = error.response;
      } else {
        this.log.error({ err: error, method, path }, 'API handler failed');
        answer = refusal(500, 'internal server error');
      }
    }
    send(response, request, answer);
    return true;
  }

  /** The JSON body, or undefined when there is none; a BodyError says why it is refused. */
  async #readBody(request: IncomingMessage): Promise<unknown> {
    const length = request.headers['content-length'];
    const chunked = request.headers['transfer-encoding'] !== undefined;
    if (!chunked && (length === undefined || length === '0')) return undefined;
    if (Number(length) > this.maxBodyBytes) {
      throw new BodyError(refusal(413, `the body is over ${this.maxBodyBytes} bytes`, { Connection: 'close' }));
    }
    const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json') {
      throw new BodyError(refusal(415, 'send the body as application/json', { Connection: 'close' }));
    }
    const chunks: Buffer[] = [];
    let received = 0;
    try {
      for await (const chunk of request) {
        received += (chunk as Buffer).length;
        if (received > this.maxBodyBytes) {
          throw new BodyError(refusal(413, `the body is over ${this.maxBodyBytes} bytes`, { Connection: 'close' }));
        }
        chunks.push(chunk as Buffer);
      }
    } catch (error) {
      if (error instanceof BodyError) throw error;
      // Node's "aborted" (ECONNRESET) for a peer that closed or was cut at the request timeout.
      throw new BodyNotReceived(error instanceof Error ? error.message : String(error));
    }
    try {
      return JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      throw new BodyError(refusal(400, 'the body is not valid JSON'));
    }
  }
}

/**
 * Sends an ApiResponse: a string body as is (its type from `headers`), bytes
 * as they are (a file), anything else as JSON; never cached unless told.
 */
export function send(response: ServerResponse, request: IncomingMessage, answer: ApiResponse): void {
  const bytes = answer.body instanceof Uint8Array;
  const payload = bytes
    ? Buffer.from(answer.body as Uint8Array)
    : Buffer.from(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? null), 'utf8');
  response.statusCode = answer.status;
  response.setHeader(
    'Content-Type',
    bytes
      ? 'application/octet-stream'
      : typeof answer.body === 'string'
        ? 'text/plain; charset=utf-8'
        : 'application/json; charset=utf-8',
  );
  response.setHeader('Cache-Control', 'no-store');
  response.setHeader('X-Content-Type-Options', 'nosniff');
  for (const [name, value] of Object.entries(answer.headers ?? {})) response.setHeader(name, value);
  response.setHeader('Content-Length', payload.length);
  if (answer.headers?.Connection === 'close') response.shouldKeepAlive = false;
  response.end(request.method === 'HEAD' ? undefined : payload);
}
