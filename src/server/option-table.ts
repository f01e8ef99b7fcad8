import type { RateLimit } from './limits/token-bucket.js';

/**
 * One row of an option table: everything about a setting that is also a
 * command-line option. The command line generates the option from it (flag,
 * environment variable, default, help text, parser) and converts the value
 * once, at the edge, into the unit the server works in.
 */
export type OptionRow<V> = {
  /** The flag, such as `--max-connections`; the environment variable is derived from it (optionEnv). */
  readonly flag: string;
  readonly help: string;
  /** In the server's unit: milliseconds for `seconds`, bytes for `kib`. */
  readonly default: V;
} & (V extends RateLimit
  ? { readonly unit: 'rate' }
  : /** `seconds` and `kib` are typed by the operator in those units and held in ms and bytes. */
    { readonly unit: 'count' | 'seconds' | 'kib'; readonly lowest?: number });

/** A table of rows, one per field of the settings `T`, in the order `--help` shows them. */
export type OptionTable<T> = { readonly [K in keyof T]-?: OptionRow<T[K]> };

/** `--max-connections` is set by CHECKERS_MAX_CONNECTIONS. */
export function optionEnv(flag: string): string {
  return `CHECKERS_${flag.replace(/^--/, '').replaceAll('-', '_').toUpperCase()}`;
}

/** The settings a table holds by default. */
export function defaultsOf<T>(table: OptionTable<T>): T {
  return Object.fromEntries(Object.entries(table).map(([key, row]) => [key, (row as OptionRow<unknown>).default])) as T;
}
