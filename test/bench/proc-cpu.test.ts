import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { findByPortArgument, processTreeCpuSeconds } from '../../bench/load/proc-cpu.js';

/** A node process that burns `cpuMs` of CPU time, then waits `waitMs` (bounded either way). */
function burner(cpuMs: number, waitMs: number, extraArgs: readonly string[] = []) {
  const script = `while ((process.cpuUsage().user + process.cpuUsage().system) / 1000 < ${cpuMs}); setTimeout(() => {}, ${waitMs});`;
  return spawn(process.execPath, ['-e', script, '--', ...extraArgs], { stdio: 'ignore' });
}

describe('bench:load --nodes CPU of PostgreSQL and Redis', () => {
  it("counts a process's own CPU, its living children's and its reaped children's", async () => {
    const before = processTreeCpuSeconds(process.pid) ?? Number.NaN;
    const reaped = burner(300, 0);
    await once(reaped, 'exit');
    const living = burner(300, 20_000);
    try {
      // Bounded: the burner reaches 300 ms of CPU, then idles.
      const deadline = Date.now() + 20_000;
      while ((processTreeCpuSeconds(living.pid ?? 0) ?? 0) < 0.28) {
        if (Date.now() > deadline) throw new Error('the child did not burn 300 ms of CPU within 20 s');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const after = processTreeCpuSeconds(process.pid) ?? Number.NaN;
      // Both children (0.3 s each, give or take a clock tick) on top of this process's own time.
      assert.ok(after - before >= 0.55, `${after} - ${before}`);
    } finally {
      living.kill('SIGKILL');
    }
    assert.equal(processTreeCpuSeconds(2 ** 22 + 1), undefined);
  });

  it('finds a program by the -p PORT on its command line', async () => {
    const child = burner(0, 20_000, ['-p', '54321']);
    try {
      const deadline = Date.now() + 10_000;
      while (findByPortArgument('node', 54321) === undefined) {
        if (Date.now() > deadline) throw new Error('the child was not found within 10 s');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.equal(findByPortArgument('node', 54321), child.pid);
      assert.equal(findByPortArgument('postgres', 54321), undefined);
      assert.equal(findByPortArgument('node', 54322), undefined);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
