import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, posix, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built web client (`npm run build` writes it), relative to this file in dist/src/server/web/. */
export const DEFAULT_STATIC_DIR = fileURLToPath(new URL('../../../web/', import.meta.url));

/**
 * No inline script or style, nothing from elsewhere, no framing; fetches and
 * WebSockets to the page's own origin only ('self' covers ws: and wss: to
 * the same host and port in CSP Level 3, which every current browser follows).
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; worker-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/** Paths the server answers itself: never the client's index.html. */
const SERVER_PREFIXES = ['/api', '/play', '/watch', '/healthz', '/readyz', '/metrics'];

/** A short cache for files whose name does not change with their content. */
const SHORT_MAX_AGE_S = 300;

/** What a request path names among the static files. */
export type StaticTarget =
  | { readonly kind: 'file'; readonly relative: string }
  /** A client route (`/standings`, `/players/cam`): the client's index.html. */
  | { readonly kind: 'index' }
  | { readonly kind: 'not-found' };

/**
 * Maps a URL path to a file below the static root, pure. A path that does not
 * decode, holds a NUL or backslash, or climbs out with `..` names nothing.
 */
export function staticTarget(urlPath: string): StaticTarget {
  let path: string;
  try {
    path = decodeURIComponent(urlPath);
  } catch {
    return { kind: 'not-found' };
  }
  if (!path.startsWith('/') || path.includes('\0') || path.includes('\\')) return { kind: 'not-found' };
  // `//host/...` is what a URL parser reads as another host: no path of ours starts so.
  if (path.startsWith('//')) return { kind: 'not-found' };
  if (path.split('/').includes('..')) return { kind: 'not-found' };
  const normalized = posix.normalize(path);
  if (normalized === '/' || normalized === '/index.html') return { kind: 'index' };
  if (SERVER_PREFIXES.some((prefix) => normalized === prefix || normalized.startsWith(`${prefix}/`))) {
    return { kind: 'not-found' };
  }
  const last = normalized.split('/').pop() ?? '';
  if (extname(last) === '') return { kind: 'index' };
  return { kind: 'file', relative: normalized.slice(1) };
}

/**
 * File names with a content hash never change, so they are cached for a year:
 * esbuild's `[name]-[hash]` (8 or more uppercase letters and digits, such as
 * `main-5KQ2ZJ7H.js`, possibly without a digit), or a lowercase hex hash after
 * a dot or dash (`chunk.a1b2c3d4.css`).
 */
export function isHashedName(fileName: string): boolean {
  return /[-.](?:[A-Z0-9]{8,}|[a-f0-9]{8,})\.[a-z0-9]+$/.test(fileName);
}

/** The web client's files from one directory, with security and cache headers. */
export class StaticFiles {
  readonly #root: string;

  /** `sourceMaps`: serve the `.map` files beside the scripts (they show the client's source as written). */
  constructor(
    directory: string,
    private readonly sourceMaps = false,
  ) {
    this.#root = resolve(directory);
  }

  /** Answers a GET or HEAD for `urlPath`. */
  async serve(request: IncomingMessage, response: ServerResponse, urlPath: string): Promise<void> {
    const target = staticTarget(urlPath);
    if (
      target.kind === 'not-found' ||
      (target.kind === 'file' && !this.sourceMaps && target.relative.endsWith('.map'))
    ) {
      sendText(request, response, 404, 'not found');
      return;
    }
    if (!(await isDirectory(this.#root))) {
      sendText(request, response, 503, 'the web client is not built; run npm run build');
      return;
    }
    const relative = target.kind === 'index' ? 'index.html' : target.relative;
    const file = join(this.#root, relative);
    if (!file.startsWith(this.#root + sep)) {
      sendText(request, response, 404, 'not found');
      return;
    }
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) {
      const missingIndex = target.kind === 'index';
      sendText(
        request,
        response,
        missingIndex ? 503 : 404,
        missingIndex ? 'the web client is not built; run npm run build' : 'not found',
      );
      return;
    }
    const name = relative.split('/').pop() ?? relative;
    const etag = `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
    response.setHeader('Content-Type', CONTENT_TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream');
    setSecurityHeaders(response);
    response.setHeader(
      'Cache-Control',
      name === 'index.html'
        ? 'no-cache'
        : isHashedName(name)
          ? 'public, max-age=31536000, immutable'
          : `public, max-age=${SHORT_MAX_AGE_S}`,
    );
    response.setHeader('ETag', etag);
    if (request.headers['if-none-match']?.split(/\s*,\s*/).includes(etag)) {
      response.statusCode = 304;
      response.end();
      return;
    }
    response.setHeader('Content-Length', info.size);
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    const stream = createReadStream(file);
    stream.on('error', () => response.destroy());
    stream.pipe(response);
  }
}

export function setSecurityHeaders(response: ServerResponse): void {
  response.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Referrer-Policy', 'same-origin');
}

/** A short plain-text answer (errors, redirects' bodies). */
export function sendText(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  const payload = Buffer.from(`${text}\n`, 'utf8');
  response.statusCode = status;
  response.setHeader('Content-Type', 'text/plain; charset=utf-8');
  response.setHeader('Cache-Control', 'no-store');
  setSecurityHeaders(response);
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
  response.setHeader('Content-Length', payload.length);
  response.end(request.method === 'HEAD' ? undefined : payload);
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}
