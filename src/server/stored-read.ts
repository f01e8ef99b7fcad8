import type { Clock } from './clock.js';

/** How often a read that storage refused is tried again. */
export const STORED_READ_RETRY_MS = 1_000;

export type StoredRead<T> = { readonly ok: true; readonly value: T } | { readonly ok: false };

/**
 * Reads what a player must be told as stored (a rating): a read that fails
 * is tried again every STORED_READ_RETRY_MS on the clock, never replaced by
 * a value held in memory (which games refereed on another node do not
 * update). Gives up once `limitMs` has passed (0: never) or `abandoned()`.
 */
export async function readStored<T>(
  read: () => Promise<T>,
  options: { readonly clock: Clock; readonly limitMs: number; readonly abandoned: () => boolean },
): Promise<StoredRead<T>> {
  const until = options.clock.now() + options.limitMs;
  for (;;) {
    try {
      return { ok: true, value: await read() };
    } catch {
      if (options.abandoned() || (options.limitMs > 0 && options.clock.now() >= until)) return { ok: false };
      await new Promise<void>((resolve) => options.clock.after(STORED_READ_RETRY_MS, resolve));
      if (options.abandoned()) return { ok: false };
    }
  }
}
