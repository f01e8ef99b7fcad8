import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { DEFAULT_LIMITS, LIMIT_OPTIONS } from '../../src/server/limits/limits.js';
import type { RateLimit } from '../../src/server/limits/token-bucket.js';
import { fromTable, tableOption } from '../../src/server/option-cli.js';
import { type OptionRow, optionEnv } from '../../src/server/option-table.js';
import { DEFAULT_TIMING, TIMING_OPTIONS } from '../../src/server/timing.js';
import { SIGNUP_OPTIONS } from '../../src/server/web/api/community.js';
import { runCli } from '../support/server-process.js';

/** The operators' documentation, where every server option has its table row. */
const SERVER_DOC = readFileSync(fileURLToPath(new URL('../../../docs/server.md', import.meta.url)), 'utf8');

/** A table row whose first cell names the flag (`--flag`, `--flag VALUE`, `--flag a\|b`, or two flags). */
function docRow(flag: string): string | undefined {
  return SERVER_DOC.split('\n').find((line) => {
    const firstCell = line.startsWith('| `') ? (line.split(/(?<!\\)\|/)[1] ?? '') : '';
    return firstCell.includes(`\`${flag} `) || firstCell.includes(`\`${flag}\``);
  });
}

/** The docs' table row of an option, which must exist. */
function readmeRow(flag: string): string {
  const row = docRow(flag);
  assert.ok(row, `docs/server.md has a table row for ${flag}`);
  return row;
}

/** A default as the operator types it: seconds, KiB, RATE:BURST. */
function shown(row: OptionRow<number> | OptionRow<RateLimit>): string {
  if (row.unit === 'rate') {
    const rate = row.default as RateLimit;
    return rate.perSecond === 0 ? '0' : `${rate.perSecond}:${rate.burst}`;
  }
  const value = row.default as number;
  return String(row.unit === 'seconds' ? value / 1000 : row.unit === 'kib' ? value / 1024 : value);
}

describe('the option tables', () => {
  it('derive each environment variable from its flag', () => {
    assert.equal(optionEnv('--max-connections-per-address'), 'CHECKERS_MAX_CONNECTIONS_PER_ADDRESS');
    assert.equal(optionEnv('--move-timeout'), 'CHECKERS_MOVE_TIMEOUT');
  });

  it('hold the defaults the server runs with, in milliseconds and bytes', () => {
    assert.equal(DEFAULT_TIMING.moveTimeoutMs, 300_000);
    assert.equal(DEFAULT_TIMING.reconnectGraceMs, 60_000);
    assert.equal(DEFAULT_TIMING.botAfterMs, 0);
    assert.equal(DEFAULT_LIMITS.maxPendingOutputBytes, 64 * 1024);
    assert.equal(DEFAULT_LIMITS.loginTimeoutMs, 30_000);
    for (const [key, row] of Object.entries(LIMIT_OPTIONS)) {
      assert.deepEqual(DEFAULT_LIMITS[key as keyof typeof LIMIT_OPTIONS], row.default, key);
    }
  });

  it("list every option of the server's --help in docs/server.md, each with the environment variable its flag names", async () => {
    const help = await runCli(['--help']);
    assert.equal(help.code, 0, help.stderr);
    const options = [...help.stdout.matchAll(/^\s+(?:-\w, )?(--[a-z][a-z-]*)\b.*?(?:env: (CHECKERS_\w+))?\)?$/gm)];
    assert.ok(options.length > 40, `--help lists the options (${options.length} found)`);
    for (const [, flag = '', env] of options) {
      if (flag === '--help') continue;
      readmeRow(flag);
      if (env) assert.equal(env, optionEnv(flag), `${flag}'s variable follows the documented rule`);
    }
  });

  it('agree with the README: every timing with its variable and default, every limit with its default', () => {
    for (const row of Object.values(TIMING_OPTIONS)) {
      const line = readmeRow(row.flag);
      assert.ok(line.includes(`\`${optionEnv(row.flag)}\``), `${row.flag}: ${line}`);
      assert.ok(line.includes(`\`${shown(row)}\``), `${row.flag} defaults to ${shown(row)}: ${line}`);
    }
    for (const row of [...Object.values(LIMIT_OPTIONS), ...Object.values(SIGNUP_OPTIONS)]) {
      const line = readmeRow(row.flag);
      // The hash concurrency depends on the machine: the README says how.
      if (row.flag !== '--hash-concurrency') {
        assert.ok(line.includes(`\`${shown(row)}\``), `${row.flag} defaults to ${shown(row)}: ${line}`);
      }
    }
  });

  it('the generated options convert seconds and KiB once, from flags and environment variables alike', () => {
    const command = new Command().exitOverride();
    for (const row of [...Object.values(TIMING_OPTIONS), ...Object.values(LIMIT_OPTIONS)]) {
      command.addOption(tableOption(row));
    }
    process.env.CHECKERS_RECONNECT_GRACE = '2.5';
    try {
      command.parse(['--move-timeout', '1.5', '--max-output-kib', '8', '--login-timeout', '0', '--message-rate', '5'], {
        from: 'user',
      });
    } finally {
      delete process.env.CHECKERS_RECONNECT_GRACE;
    }
    assert.deepEqual(fromTable(TIMING_OPTIONS, command.opts()), {
      moveTimeoutMs: 1500,
      reconnectGraceMs: 2500,
      botAfterMs: 0,
      storageOutageLimitMs: 60_000,
    });
    const limits = fromTable(LIMIT_OPTIONS, command.opts());
    assert.equal(limits.maxPendingOutputBytes, 8 * 1024);
    assert.equal(limits.loginTimeoutMs, 0);
    assert.deepEqual(limits.messageRate, { perSecond: 5, burst: 15 });
    assert.equal(limits.throttleLimitMs, DEFAULT_LIMITS.throttleLimitMs);
  });
});
