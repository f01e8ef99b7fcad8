/** Matching a path against a route pattern with `:name` parts, such as `/api/games/:id`. */
export type PatternMatch =
  | { readonly kind: 'match'; readonly params: Record<string, string> }
  | { readonly kind: 'no-match' }
  /** The path has the pattern's shape but a part is not valid percent-encoding (a 400, not a 404). */
  | { readonly kind: 'bad-encoding' };

export function matchPattern(pattern: string, path: string): PatternMatch {
  const patternParts = pattern.split('/');
  const pathParts = path.split('/');
  if (patternParts.length !== pathParts.length) return { kind: 'no-match' };
  const params: Record<string, string> = {};
  let badEncoding = false;
  for (let i = 0; i < patternParts.length; i++) {
    const expected = patternParts[i] as string;
    const actual = pathParts[i] as string;
    if (expected.startsWith(':')) {
      if (actual === '') return { kind: 'no-match' };
      try {
        params[expected.slice(1)] = decodeURIComponent(actual);
      } catch {
        badEncoding = true;
      }
    } else if (expected !== actual) {
      return { kind: 'no-match' };
    }
  }
  return badEncoding ? { kind: 'bad-encoding' } : { kind: 'match', params };
}
