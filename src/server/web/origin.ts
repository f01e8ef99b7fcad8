/**
 * Whether a WebSocket upgrade's `Origin` may connect: the page's own origin
 * (its host is the Host the request was sent to) or one of `allowed`
 * (full origins such as `https://play.example.org`, compared without case).
 * A request without Origin is not from a browser page, which always sends
 * one on a WebSocket, so no page of another site can be behind it.
 */
export function originAllowed(
  origin: string | undefined,
  host: string | undefined,
  allowed: readonly string[],
): boolean {
  if (origin === undefined) return true;
  const normalized = normalizeOrigin(origin);
  if (normalized === undefined) return false;
  if (allowed.some((entry) => normalizeOrigin(entry) === normalized)) return true;
  if (host === undefined) return false;
  return new URL(normalized).host === host.toLowerCase().replace(/:(80|443)$/, '');
}

/** `scheme://host[:port]` in lower case, without a default port, or undefined when it is not an origin. */
export function normalizeOrigin(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  return url.origin.toLowerCase();
}

/** Parses `--web-origin ORIGIN[,ORIGIN]`: each must be an http(s) origin; throws a one-line error otherwise. */
export function parseOriginList(text: string): string[] {
  const origins = text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  for (const origin of origins) {
    const normalized = normalizeOrigin(origin);
    if (normalized === undefined || normalized !== origin.toLowerCase().replace(/\/$/, '')) {
      throw new Error(`${origin} is not an origin; write it as https://HOST or https://HOST:PORT, without a path`);
    }
  }
  return origins.map((origin) => normalizeOrigin(origin) as string);
}
