import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Why a test that needs root cannot run here, or undefined if it can. With CI set, a missing capability fails the run. */
export function needsRoot(what: string): string | undefined {
  if (process.getuid?.() === 0) return undefined;
  if (process.env.CI) throw new Error(`${what} needs root in CI`);
  return `${what} needs root`;
}

/** A real tmpfs of `sizeKiB` mounted on a new folder; `remove` unmounts it. */
export function mountTmpfs(sizeKiB: number): { readonly path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'checkers-tmpfs-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKiB}k,mode=0755`, 'tmpfs', path]);
  return {
    path,
    remove() {
      execFileSync('umount', ['-l', path]);
      rmSync(path, { recursive: true, force: true });
    },
  };
}

/** Writes a file until the filesystem is full (ENOSPC); returns its path. */
export function fillDisk(folder: string): string {
  const path = join(folder, 'filler');
  const fd = openSync(path, 'a');
  try {
    for (const size of [64 * 1024, 4096, 512]) {
      const chunk = Buffer.alloc(size, 0xaa);
      for (let written = 0; written < 1_000_000; written++) {
        try {
          writeSync(fd, chunk);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOSPC') break;
          throw error;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
  return path;
}
