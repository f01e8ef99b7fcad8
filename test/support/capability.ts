/**
 * The skip reason for a test that needs something this machine may lack
 * (root, tmux, network namespaces), or false when it is there. With CI set a
 * missing capability fails the run instead: Node 20 reports a skipped group
 * as no tests at all, so a skip in CI could hide a whole suite.
 */
export function skipUnless(missing: string | undefined): string | false {
  if (missing === undefined) return false;
  if (process.env.CI) throw new Error(`${missing}, and CI must run every test (.ci/run installs what tests need)`);
  return missing;
}

/** Why this process cannot act as root, if it cannot. */
export function notRoot(what: string): string | undefined {
  return process.getuid?.() === 0 ? undefined : `${what} needs root`;
}
