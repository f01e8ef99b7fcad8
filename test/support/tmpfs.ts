import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
