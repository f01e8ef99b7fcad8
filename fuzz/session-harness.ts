import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duplex } from 'node:stream';
import { pino } from 'pino';
import { systemClock } from '../src/server/clock.js';
import { GameService } from '../src/server/game-service.js';
import { AddressBook } from '../src/server/limits/address-book.js';
import { DEFAULT_LIMITS, type ServerLimits } from '../src/server/limits/limits.js';
import { UNLIMITED } from '../src/server/limits/token-bucket.js';
import { hashPassword } from '../src/server/passwords.js';
import type { CloseReason, Session } from '../src/server/session.js';
import { Session as ServerSession } from '../src/server/session.js';
import { openSqliteStore, type SqliteStore } from '../src/server/store/sqlite-store.js';
import { StreamTransport } from '../src/server/transport.js';
import { TurnBatch } from '../src/server/turn-batch.js';

/** Accounts the harness creates (cheap hashes), for fuzz inputs that log in. */
export const FUZZ_ACCOUNTS = [
  ['fuzz1', 'pw1'],
  ['fuzz2', 'pw2'],
  ['fuzz3', 'pw3'],
] as const;

/** Accounts no fuzz input uses, for players who must stay untouched. */
export const BYSTANDER_ACCOUNTS = [
  ['bystander1', 'pw0'],
  ['bystander2', 'pw0'],
] as const;

/** Rate limits have their own tests; under fuzzing they would only make outcomes depend on timing. */
export const NO_RATE_LIMITS: Partial<ServerLimits> = {
  connectionRatePerAddress: UNLIMITED,
  messageRate: UNLIMITED,
  messageRatePerAddress: UNLIMITED,
  loginRate: UNLIMITED,
  loginRatePerAddress: UNLIMITED,
};

/** The server's end of an in-memory connection: what the server writes is kept in `output`. */
class MemoryStream extends Duplex {
  readonly output: Buffer[] = [];

  override _read(): void {}

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.output.push(Buffer.from(chunk));
    callback();
  }
}

export interface MemoryConnection {
  readonly session: Session;
  /** Bytes from the client to the server. */
  send(bytes: Uint8Array): void;
  /** Everything the server wrote so far. */
  output(): Buffer;
  /** Why the server closed it, or undefined while open. */
  closedBecause(): CloseReason | undefined;
}

/**
 * The real session and game service, with real SQLite and password hashing,
 * over in-memory streams instead of TCP: fast enough to drive thousands of
 * fuzz inputs, and nothing in between hides what the server does.
 */
export class SessionHarness {
  /** Log lines at error level or above: a server bug (it tried to break the protocol, or a login crashed). */
  readonly errors: string[] = [];
  readonly #closeReasons = new Map<Session, CloseReason>();
  readonly #service: GameService;
  readonly #batch: TurnBatch;
  readonly #addresses: AddressBook;
  readonly #log;
  #nextId = 1;

  private constructor(
    private readonly store: SqliteStore,
    private readonly directory: string,
    private readonly limits: ServerLimits,
  ) {
    this.#log = pino({ level: 'error' }, { write: (line: string) => this.errors.push(line) });
    this.#batch = new TurnBatch(store, this.#log);
    this.#service = new GameService({
      store,
      clock: systemClock,
      log: this.#log,
      chooser: () => 0,
      batch: this.#batch,
      timing: { moveTimeoutMs: 0, reconnectGraceMs: 0, botAfterMs: 0, storageOutageLimitMs: 0 },
      hashConcurrency: limits.hashConcurrency,
    });
    this.#addresses = new AddressBook(limits);
  }

  static async create(limits: Partial<ServerLimits> = {}): Promise<SessionHarness> {
    const directory = mkdtempSync(join(tmpdir(), 'checkers-fuzz-'));
    const store = await openSqliteStore(join(directory, 'fuzz.db'));
    const accounts = [];
    for (const [name, password] of [...FUZZ_ACCOUNTS, ...BYSTANDER_ACCOUNTS]) {
      accounts.push({ name, passwordHash: await hashPassword(password, { N: 16, r: 1, p: 1 }) });
    }
    await store.createAccounts(accounts);
    return new SessionHarness(store, directory, { ...DEFAULT_LIMITS, ...limits });
  }

  connect(address = '127.0.0.1'): MemoryConnection {
    const admission = this.#addresses.admit(address, systemClock.now());
    if (!admission.ok) throw new Error(`harness refused a connection: ${admission.reason}`);
    const stream = new MemoryStream();
    const reasons = this.#closeReasons;
    const service = this.#service;
    const handler = {
      connect: service.connect.bind(service),
      logout: service.logout.bind(service),
      requeue: service.requeue.bind(service),
      move: service.move.bind(service),
      resume: service.resume.bind(service),
      play: service.play.bind(service),
      closed(session: Session, reason: CloseReason) {
        reasons.set(session, reason);
        service.closed(session, reason);
      },
    };
    const session = new ServerSession(
      this.#nextId++,
      new StreamTransport(stream, 'tcp', address),
      handler,
      this.#batch,
      systemClock,
      this.#log,
      this.limits,
      admission.guard,
    );
    return {
      session,
      send: (bytes) => {
        if (!stream.destroyed) stream.push(Buffer.from(bytes));
      },
      output: () => Buffer.concat(stream.output),
      closedBecause: () => reasons.get(session),
    };
  }

  /** One matchmaking round, as the server's once-a-second tick does it. */
  matchmake(): void {
    this.#service.lobby.tick();
    this.#service.standardQueues.tick();
  }

  /** Waits until the sessions have handled what they were sent (logins hash on the thread pool). */
  async settle(rounds = 3): Promise<void> {
    for (let i = 0; i < rounds; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  /** Settles until `condition` holds, or gives up after `rounds` (a hash may wait behind others). */
  async until(condition: () => boolean, rounds = 200): Promise<boolean> {
    for (let i = 0; i < rounds && !condition(); i++) await this.settle(1);
    return condition();
  }

  async close(): Promise<void> {
    await this.#service.shutdown();
    this.store.close();
    rmSync(this.directory, { recursive: true, force: true });
  }
}
