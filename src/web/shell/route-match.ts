/** Path matching for the router, without the DOM, so that it is tested under node. */

export interface RouteMatch<R> {
  readonly route: R;
  readonly params: Readonly<Record<string, string>>;
}

/** The first route whose pattern (`/players/:name`) fits `path`, with its named parts decoded; pure. */
export function matchRoute<R extends { readonly pattern: string }>(
  routes: readonly R[],
  path: string,
): RouteMatch<R> | undefined {
  const parts = splitPath(path);
  for (const route of routes) {
    const pattern = splitPath(route.pattern);
    if (pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const matches = pattern.every((segment, index) => {
      const part = parts[index] ?? '';
      if (segment.startsWith(':')) {
        try {
          params[segment.slice(1)] = decodeURIComponent(part);
        } catch {
          return false;
        }
        return part.length > 0;
      }
      return segment === part;
    });
    if (matches) return { route, params };
  }
  return undefined;
}

function splitPath(path: string): string[] {
  return path.split('?')[0]?.split('/').filter(Boolean) ?? [];
}
