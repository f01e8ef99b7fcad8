import type { ApiResponse } from '../http-types.js';

/* The shapes every community API answer shares: errors as `{ "error": "..." }`, bounded pages. */

/** The most items any list answers with, whatever `limit` asks. */
export const MAX_PAGE = 100;

export function ok(body: unknown, status = 200): ApiResponse {
  return { status, body };
}

export function refusal(status: number, error: string, headers?: Record<string, string>): ApiResponse {
  return { status, body: { error }, ...(headers ? { headers } : {}) };
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
export function integerParameter(
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

/** `limit`: 1 to MAX_PAGE. */
export function limitParameter(query: URLSearchParams, fallback: number): number {
  return integerParameter(query, 'limit', fallback, 1, MAX_PAGE);
}

/** A game id in a path or a cursor: a positive whole number, or undefined. */
export function gameIdOf(text: string): number | undefined {
  return /^[1-9]\d{0,14}$/.test(text) ? Number(text) : undefined;
}

/** The rounded numbers a page shows (the store keeps Glicko-2's fractions). */
export function rounded(value: number): number {
  return Math.round(value);
}
