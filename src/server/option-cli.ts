import { Option } from 'commander';
import { formatRate, parseCount, parseRate, parseSeconds } from '../common/option-parsers.js';
import type { RateLimit } from './limits/token-bucket.js';
import { type OptionRow, type OptionTable, optionEnv } from './option-table.js';

/* The command-line side of the option tables (option-table.ts): commander options generated from their rows. */

/**
 * The option for a row of an option table: its environment variable, default,
 * help and parser, which converts what the operator types (seconds, KiB) into
 * the server's unit (milliseconds, bytes) once, here.
 */
export function tableOption(row: OptionRow<number> | OptionRow<RateLimit>): Option {
  const option = (argument: string, help: string) =>
    new Option(`${row.flag} <${argument}>`, help).env(optionEnv(row.flag));
  switch (row.unit) {
    case 'rate': {
      const value = row.default as RateLimit;
      return option('RATE[:BURST]', `${row.help}, per second (0 = no limit)`)
        .argParser(parseRate)
        .default(value, formatRate(value));
    }
    case 'seconds':
      return option('SECONDS', row.help)
        .argParser((text) => parseSeconds(text) * 1000)
        .default(row.default, String(row.default / 1000));
    case 'kib':
      return option('N', row.help)
        .argParser((text) => parseCount(text, row.lowest) * 1024)
        .default(row.default, String(row.default / 1024));
    case 'count':
      return option('N', row.help)
        .argParser((text) => parseCount(text, row.lowest))
        .default(row.default);
  }
}

/** The settings of an option table as the command line gave them (already in the table's units). */
export function fromTable<T>(table: OptionTable<T>, options: object): T {
  const values = options as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(table).map(([key, row]) => [
      key,
      values[new Option((row as OptionRow<unknown>).flag).attributeName()],
    ]),
  ) as T;
}
