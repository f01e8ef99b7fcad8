import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { acceptBacklog } from '../../src/server/server.js';
import { startTestServer } from '../support/test-server.js';

/** The accept queue of the socket listening on `port`, as `ss` shows it (Send-Q of a listener), or undefined without ss. */
function listenBacklog(port: number): number | undefined {
  let out: string;
  try {
    out = execFileSync('ss', ['-ltnH', `sport = :${port}`], { encoding: 'utf8' });
  } catch {
    return undefined;
  }
  const fields = out.trim().split(/\s+/);
  return fields[2] === undefined ? undefined : Number(fields[2]);
}

describe('the accept queue', () => {
  it('is sized for every connection the server may hold, not Node default 511', () => {
    assert.equal(acceptBacklog(10_000), 10_000);
    assert.equal(acceptBacklog(100), 511, 'never below the default');
    assert.equal(acceptBacklog(1_000_000), 65_535);
  });

  it('is what the listening socket gets (as far as the kernel allows)', async (t) => {
    const server = await startTestServer({ limits: { maxConnections: 3000 } });
    try {
      const backlog = listenBacklog(server.port);
      if (backlog === undefined) {
        t.skip('ss (iproute2) is not installed');
        return;
      }
      const somaxconn = Number(readFileSync('/proc/sys/net/core/somaxconn', 'utf8'));
      assert.equal(backlog, Math.min(3000, somaxconn));
    } finally {
      await server.stop();
    }
  });
});
