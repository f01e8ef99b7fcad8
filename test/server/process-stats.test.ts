import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { UserError } from '../../src/server/cli-support.js';
import {
  type ProcessStatsLine,
  parseSchedstat,
  STATS_FULL_GC_ENV,
  STATS_INTERVAL_ENV,
  startProcessStats,
  statsIntervalFrom,
} from '../../src/server/process-stats.js';
import { runCommand, SERVER_CLI } from '../support/server-process.js';
import { temporaryDirectory } from '../support/test-server.js';

describe('process stats (soak diagnostics)', () => {
  it('reads the interval from the environment, off when unset', () => {
    assert.equal(statsIntervalFrom(undefined), undefined);
    assert.equal(statsIntervalFrom(''), undefined);
    assert.equal(statsIntervalFrom('1000'), 1000);
    for (const bad of ['abc', '50', '1.5', '-1']) {
      assert.throws(
        () => statsIntervalFrom(bad),
        (error: unknown) => {
          assert.ok(error instanceof UserError);
          assert.match(error.message, new RegExp(`^${STATS_INTERVAL_ENV} must be a whole number of ms`));
          return true;
        },
      );
    }
  });

  it('parses a schedstat line', () => {
    assert.deepEqual(parseSchedstat('1500000 250000 42\n'), { cpuNs: 1_500_000, waitNs: 250_000 });
    assert.equal(parseSchedstat(''), undefined);
  });

  it('logs memory, loop delay and GC figures every interval', async () => {
    const lines: Array<ProcessStatsLine & { msg: string }> = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const text of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(text));
        done();
      },
    });
    const stop = startProcessStats(pino({ base: undefined }, destination), 100);
    try {
      const deadline = Date.now() + 5000;
      while (lines.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      stop();
    }
    const [line] = lines;
    assert.ok(line, 'no process stats line within 5 s');
    assert.equal(line.msg, 'process stats');
    assert.ok(line.rss > 0 && line.heapUsed > 0 && line.heapTotal >= line.heapUsed);
    assert.ok(line.intervalMs >= 90, `interval ${line.intervalMs} ms`);
    for (const key of [
      'loopDelayMaxMs',
      'loopDelayP99Ms',
      'gcCount',
      'gcTotalMs',
      'gcMaxMs',
      'heapAfterMajorGc',
    ] as const) {
      assert.equal(typeof line[key], 'number', key);
    }
  });

  it('collects garbage before each line only when the benchmark switch asks and node exposes gc', async () => {
    const global = globalThis as { gc?: () => void };
    const saved = { gc: global.gc, env: process.env[STATS_FULL_GC_ENV] };
    const collectionsWith = async (switchOn: boolean): Promise<{ collections: number; lines: number }> => {
      let collections = 0;
      let lines = 0;
      global.gc = () => {
        collections++;
      };
      if (switchOn) process.env[STATS_FULL_GC_ENV] = '1';
      else delete process.env[STATS_FULL_GC_ENV];
      const destination = new Writable({
        write(_chunk: Buffer, _encoding, done) {
          lines++;
          done();
        },
      });
      const stop = startProcessStats(pino({ base: undefined }, destination), 100);
      try {
        const deadline = Date.now() + 5000;
        while (lines < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      } finally {
        stop();
      }
      return { collections, lines };
    };
    try {
      const on = await collectionsWith(true);
      assert.ok(on.lines >= 2);
      assert.ok(on.collections >= on.lines, `${on.collections} collections for ${on.lines} lines`);
      assert.equal((await collectionsWith(false)).collections, 0);
    } finally {
      global.gc = saved.gc;
      if (saved.env === undefined) delete process.env[STATS_FULL_GC_ENV];
      else process.env[STATS_FULL_GC_ENV] = saved.env;
    }
  });

  it('refuses to start the server with a malformed interval, in one line', async () => {
    const directory = temporaryDirectory();
    try {
      const result = await runCommand(
        process.execPath,
        [
          SERVER_CLI,
          '--listen-addr',
          '127.0.0.1',
          '--listen-port',
          '0',
          '--no-discovery',
          '--db',
          join(directory, 'x.db'),
        ],
        15_000,
        { ...process.env, [STATS_INTERVAL_ENV]: 'often' },
      );
      assert.equal(result.code, 1);
      assert.equal(
        result.stderr.trim(),
        `checkers-server: ${STATS_INTERVAL_ENV} must be a whole number of ms from 100 to 3600000, not "often"`,
      );
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
