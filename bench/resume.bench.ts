import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Clock, systemClock } from '../src/server/clock.js';
import { DEFAULT_HASH_COST, hashPassword, verifyPassword } from '../src/server/passwords.js';
import { issueResumeToken, resumeLogin } from '../src/server/resume/resume-login.js';
import { openSqliteStore } from '../src/server/store/sqlite-store.js';

/** Logins measured of each kind (after a few to warm up). */
const RESUMES = 2000;
const PASSWORD_LOGINS = 20;

async function perCall(calls: number, work: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < Math.min(20, calls); i++) await work();
  const started = performance.now();
  for (let i = 0; i < calls; i++) await work();
  return (performance.now() - started) / calls;
}

/**
 * What a version-2 reconnect costs (issue 25): a Resume with a token (one
 * SHA-256 and a query, and when the token is due for renewal, at most once an
 * hour, a write) against a password login's hash at the default cost, on an
 * SQLite database of 1,000 accounts holding a token each, durability full
 * (each renewal is a commit with an fsync, on the event loop). perCall warms
 * up on the first 20 tokens, so 980 renewals are measured.
 */
export async function benchResume(directory: string): Promise<Array<[string, string]>> {
  const dbPath = join(directory, 'resume-bench.db');
  rmSync(dbPath, { force: true });
  const store = await openSqliteStore(dbPath);
  try {
    const hash = await hashPassword('secret', DEFAULT_HASH_COST);
    const names = Array.from({ length: 1000 }, (_, i) => `resume${i}`);
    await store.createAccounts(names.map((name) => ({ name, passwordHash: hash })));
    // Tokens issued now; the resumes come two hours later, so each token's first resume renews it (a write).
    let nowMs = Date.now();
    const clock: Clock = { ...systemClock, now: () => nowMs };
    const deps = { store, clock };
    const tokens: Uint8Array[] = [];
    for (const name of names) {
      const account = await store.findAccount(name);
      const issued = account && (await issueResumeToken(deps, account));
      if (!issued) throw new Error(`no token for ${name}`);
      tokens.push(issued.token);
    }
    nowMs += 2 * 60 * 60 * 1000;
    const resumeEach = async (index: number) => {
      const outcome = await resumeLogin(deps, names[index] ?? '', tokens[index] ?? new Uint8Array(16));
      if (!outcome.ok) throw new Error(`resume refused: ${outcome.reason}`);
    };
    let next = 0;
    // The first resume of every token: each renews it.
    const renewingMs = await perCall(names.length - 20, () => resumeEach(next++));
    next = 0;
    // Again, within the hour: no write.
    const readingMs = await perCall(RESUMES, () => resumeEach(next++ % names.length));
    const passwordMs = await perCall(PASSWORD_LOGINS, () => verifyPassword('secret', hash));
    return [
      ['resume, token renewed (SHA-256, find, write; SQLite)', `${(renewingMs * 1000).toFixed(0)} µs`],
      ['resume within the hour (SHA-256, find; SQLite)', `${(readingMs * 1000).toFixed(0)} µs`],
      ['password check at the default cost (Argon2id)', `${passwordMs.toFixed(1)} ms`],
    ];
  } finally {
    store.close();
    rmSync(dbPath, { force: true });
  }
}

// Run alone (`node dist/bench/resume.bench.js`, after `npm run build`) as well as within `npm run bench`.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const directory = mkdtempSync(join(tmpdir(), 'checkers-bench-resume-'));
  try {
    console.log('command: npm run build && node dist/bench/resume.bench.js');
    for (const [name, value] of await benchResume(directory)) console.log(`${name}  ${value}`);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
