import type { ApiErrorBody } from '../../../common/api-types.js';
import type { ApiResponse } from '../http-types.js';

/* The shapes every community API answer shares: errors as `{ "error": "..." }`, bounded pages. */

/** The most items any list answers with, whatever `limit` asks. */
export const MAX_PAGE = 100;
/** Lists past this offset are not served: nobody pages that far, and OFFSET costs as much as it skips. */
export const MAX_OFFSET = 100_000;

/**
 * How long an answer of a public page (standings, a profile, game lists, a
 * game, the live list) is shared by everyone who asks for it: a flood of
 * requests for one page costs one query a second, and a page is never more
 * than a second behind.
 */
export const PUBLIC_ANSWER_MS = 1000;

/** A JSON answer whose body has the shape `Body` (one of src/common/api-types.ts). */
export function ok<Body>(body: Body, status = 200): ApiResponse {
  return { status, body };
}

/** A refusal, the router's own included: `{ "error": "..." }` with its status. */
export function refusal(status: number, error: string, headers?: Record<string, string>): ApiResponse {
  const body: ApiErrorBody = { error };
  return { status, body, ...(headers ? { headers } : {}) };
}

/** 429 with Retry-After in whole seconds (at least 1). */
export function tooMany(error: string, retryAfterMs: number): ApiResponse {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return refusal(429, `${error}; try again in ${seconds} s`, { 'Retry-After': String(seconds) });
}

/** A bad query parameter: thrown by the readers below, answered 400 by `answering`. */
export class BadParameter extends Error {}

/** Runs a handler body, answering a BadParameter with 400. */
export async function answering(work: () => Promise<ApiResponse> | ApiResponse): Promise<ApiResponse> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof BadParameter) return refusal(400, error.message);
    throw error;
  }
}

/** An integer query parameter within [lowest, highest], or `fallback` when absent. */
function integerParameter(
  query: URLSearchParams,
  name: string,
  fallback: number,
  lowest: number,
  highest: number,
): number {
  const text = query.get(name);
  if (text === null || text === '') return fallback;
  if (!/^\d{1,15}$/.test(text) || Number(text) < lowest || Number(text) > highest) {
    throw new BadParameter(`${name} must be a whole number from ${lowest} to ${highest}`);
  }
  return Number(text);
}

/** A game id in a path or a cursor: a positive whole number, or undefined. */
export function gameIdOf(text: string): number | undefined {
  return /^[1-9]\d{0,14}$/.test(text) ? Number(text) : undefined;
}

/** `limit` (1 to MAX_PAGE, `defaultLimit` when absent) and `offset` (0 to MAX_OFFSET) of a list paged by offset. */
export function offsetPage(query: URLSearchParams, defaultLimit: number): { limit: number; offset: number } {
  return {
    limit: integerParameter(query, 'limit', defaultLimit, 1, MAX_PAGE),
    offset: integerParameter(query, 'offset', 0, 0, MAX_OFFSET),
  };
}

/** `limit` and the cursor `before` (the `next` of the page before, a game id) of a list paged by cursor. */
export function cursorPage(query: URLSearchParams, defaultLimit: number): { limit: number; before?: number } {
  const limit = integerParameter(query, 'limit', defaultLimit, 1, MAX_PAGE);
  const cursor = query.get('before');
  if (cursor === null || cursor === '') return { limit };
  const before = gameIdOf(cursor);
  if (before === undefined) throw new BadParameter('before must be the next cursor of a page');
  return { limit, before };
}

/** The rounded numbers a page shows (the store keeps Glicko-2's fractions). */
export function rounded(value: number): number {
  return Math.round(value);
}
