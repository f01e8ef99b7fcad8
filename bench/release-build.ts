import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * An earlier commit of this repository built in a temporary directory, for
 * matches against it: `git archive REV | tar -x`, this tree's node_modules
 * linked in, `tsc -p` (type errors from dependencies that changed since are
 * ignored as long as the engine's files are emitted). Kept by commit in the
 * system's temporary directory, so a second run starts at once.
 */

/** What the scripts use of an old build's standard search (its API has kept this shape). */
export interface OldSearcher {
  search(
    state: unknown,
    limits: { maxDepth: number; timeMs?: number },
    history?: unknown,
  ): { move: { from: number; path: readonly number[]; captured: number } | undefined; elapsedMs: number };
}
export interface OldEngine {
  readonly commit: string;
  readonly directory: string;
  /**
   * A new standard-rules searcher of that build, with `endgame` tables if
   * given (only for a build that shipped with them: 90bae85 and later).
   */
  searcher(endgame?: unknown): OldSearcher;
  /**
   * That build's endgame databases as it shipped them: its own loader
   * (`loadWdlTables`) reading the compressed files in `dir`.
   */
  endgame(dir: string, pieces: number): Promise<unknown>;
}

function git(args: readonly string[], cwd: string): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

export async function buildOldEngine(
  revision: string,
  repository: string,
  log: (line: string) => void,
): Promise<OldEngine> {
  let commit: string;
  try {
    commit = git(['rev-parse', '--verify', `${revision}^{commit}`], repository);
  } catch {
    throw new Error(`${revision} names no commit of ${repository}; give --base a commit, tag or branch`);
  }
  const directory = join(tmpdir(), `checkers-release-${commit.slice(0, 12)}`);
  const engine = join(directory, 'dist/src/game/engine');
  if (!existsSync(join(engine, 'search.js'))) {
    rmSync(directory, { recursive: true, force: true });
    mkdirSync(directory, { recursive: true });
    log(`building ${commit.slice(0, 12)} in ${directory}...`);
    execFileSync('sh', ['-c', `git archive ${commit} | tar -x -C "${directory}"`], {
      cwd: repository,
      stdio: 'inherit',
    });
    symlinkSync(resolve(repository, 'node_modules'), join(directory, 'node_modules'), 'dir');
    try {
      execFileSync(resolve(repository, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], {
        cwd: directory,
        stdio: ['ignore', 'ignore', 'ignore'],
      });
    } catch {
      // Type errors against newer dependencies: what matters is that the engine was emitted.
    }
    if (!existsSync(join(engine, 'search.js')))
      throw new Error(`${commit.slice(0, 12)} did not build an engine in ${engine}`);
  }
  const search = (await import(pathToFileURL(join(engine, 'search.js')).href)) as {
    Searcher: new (rules: unknown, options?: { endgame?: unknown }) => OldSearcher;
  };
  const rules = (await import(pathToFileURL(join(engine, 'rules.js')).href)) as { STANDARD_RULES: unknown };
  return {
    commit,
    directory,
    searcher: (endgame) => new search.Searcher(rules.STANDARD_RULES, endgame === undefined ? {} : { endgame }),
    endgame: async (dir, pieces) => {
      const files = (await import(pathToFileURL(join(engine, 'egdb/files.js')).href)) as {
        loadWdlTables?: (dir: string, pieces: number) => Promise<{ tables: unknown }>;
      };
      if (!files.loadWdlTables) {
        throw new Error(`${commit.slice(0, 12)} has no compressed endgame databases; pass --base-without-egdb`);
      }
      return (await files.loadWdlTables(dir, pieces)).tables;
    },
  };
}
