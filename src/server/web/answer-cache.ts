import type { ApiResponse } from './http-types.js';

/** Answers kept at most; past this the oldest go first. */
export const MAX_CACHED_ANSWERS = 1000;

interface Entry {
  readonly expiresAt: number;
  readonly answer: Promise<ApiResponse>;
}

/**
 * Answers of public API pages (the same for everyone), kept for a moment:
 * a hundred requests for one page within that moment cost one database
 * query and one JSON serialization, and those that arrive while it is being
 * computed wait for the same answer. Bodies are kept as JSON text, so a hit
 * costs a map lookup. Bounded in entries; time is passed in.
 */
export class AnswerCache {
  readonly #entries = new Map<string, Entry>();

  constructor(readonly maxEntries = MAX_CACHED_ANSWERS) {}

  get size(): number {
    return this.#entries.size;
  }

  /** The answer for `key` computed at most `lifetimeMs` ago, or a new one from `compute` (kept unless it fails or is a 5xx). */
  answer(key: string, now: number, lifetimeMs: number, compute: () => Promise<ApiResponse>): Promise<ApiResponse> {
    const cached = this.#entries.get(key);
    if (cached && cached.expiresAt > now) return cached.answer;
    if (cached) this.#entries.delete(key);
    const answer = compute().then(serialized);
    this.#makeRoom(now);
    const entry = { expiresAt: now + lifetimeMs, answer };
    this.#entries.set(key, entry);
    const forget = () => {
      if (this.#entries.get(key) === entry) this.#entries.delete(key);
    };
    answer.then((response) => {
      if (response.status >= 500) forget();
    }, forget);
    return answer;
  }

  #makeRoom(now: number): void {
    if (this.#entries.size < this.maxEntries) return;
    for (const [key, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(key);
    for (const key of this.#entries.keys()) {
      if (this.#entries.size < this.maxEntries) break;
      this.#entries.delete(key);
    }
  }
}

/** The same answer with its body as JSON text (a string body is already text and stays as it is). */
function serialized(answer: ApiResponse): ApiResponse {
  if (typeof answer.body === 'string') return answer;
  return {
    ...answer,
    body: JSON.stringify(answer.body ?? null),
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...answer.headers },
  };
}
