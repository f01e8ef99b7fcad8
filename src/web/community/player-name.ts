/**
 * How the pages show and address a player's name; pure, so it is tested under node.
 *
 * HTML folds runs of spaces into one, so "a b" and "a  b" (two accounts made
 * before such names were refused) would look the same: every space that is not
 * a single one between two other characters shows as "␣", which no name can
 * contain (names are printable ASCII). Look-alike letters are told apart by the
 * face: names are set in monospace with a slashed zero (the `player-name` class).
 */
export const VISIBLE_SPACE = '\u2423';

export function shownName(name: string): string {
  return name.replace(/ +/g, (run, offset: number) => {
    const inside = offset > 0 && offset + run.length < name.length;
    return inside && run.length === 1 ? run : VISIBLE_SPACE.repeat(run.length);
  });
}

/** "." and "..": URL parsers drop such a path segment, percent-encoded too, so these names go in the query. */
function isDotSegment(name: string): boolean {
  return name === '.' || name === '..';
}

/** The address of a player's page. */
export function playerPath(name: string): string {
  return isDotSegment(name) ? `/players?name=${encodeURIComponent(name)}` : `/players/${encodeURIComponent(name)}`;
}

/** The address of a player's profile in the API. */
export function playerApiPath(name: string): string {
  return isDotSegment(name)
    ? `/api/players?name=${encodeURIComponent(name)}`
    : `/api/players/${encodeURIComponent(name)}`;
}

/**
 * Guests play under names the server makes, `guest-` and five digits; accounts
 * may not take a name starting with `guest-` (any case), so the name says it.
 */
export function isGuestName(name: string | undefined): boolean {
  return name !== undefined && /^guest-/i.test(name);
}
