import { Duplex } from 'node:stream';
import { pino } from 'pino';
import { type AnyMessage, encodeMessage, type ProtocolVersion, StreamDecoder } from '../../src/protocol/index.js';
import type { BotThinker } from '../../src/server/bot-thinker.js';
import type { Cluster } from '../../src/server/cluster/index.js';
import { GameService, type GameServiceOptions } from '../../src/server/game-service.js';
import { NO_PASSWORD } from '../../src/server/house-bot.js';
import { DEFAULT_LIMITS } from '../../src/server/limits/limits.js';
import { hashPassword } from '../../src/server/passwords.js';
import { Session, type SessionGuard, type SessionHandler } from '../../src/server/session.js';
import { openSqliteStore, type SqliteStore } from '../../src/server/store/sqlite-store.js';
import type { Store } from '../../src/server/store/store.js';
import { DEFAULT_TIMING } from '../../src/server/timing.js';
import { StreamTransport } from '../../src/server/transport.js';
import { TurnBatch } from '../../src/server/turn-batch.js';
import { ManualClock } from './manual-clock.js';

export const HARNESS_PASSWORD = 'pw';

/** The server's end of an in-memory connection; what the server writes is kept. */
class MemoryStream extends Duplex {
  readonly written: Buffer[] = [];

  override _read(): void {}

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.written.push(Buffer.from(chunk));
    callback();
  }
}

/** Rate limits have their own tests: these sessions are never held back. */
const NO_LIMITS: SessionGuard = { admit: () => 0, moveRefused: () => {}, release: () => {} };

/** A player's end of an in-memory connection to a real Session. */
export class MemoryClient {
  readonly #decoder: StreamDecoder<AnyMessage>;
  readonly #received: AnyMessage[] = [];

  constructor(
    readonly session: Session,
    private readonly stream: MemoryStream,
    version: ProtocolVersion = 1,
  ) {
    this.#decoder = StreamDecoder.forVersion(version);
  }

  send(message: AnyMessage): void {
    if (!this.stream.destroyed) this.stream.push(Buffer.from(encodeMessage(message)));
  }

  /** Every message the server sent so far, decoded. */
  received(): readonly AnyMessage[] {
    for (const chunk of this.stream.written.splice(0)) this.#decoder.push(chunk);
    for (let result = this.#decoder.next(); result.kind === 'message'; result = this.#decoder.next()) {
      this.#received.push(result.message);
    }
    return this.#received;
  }

  types(): string[] {
    return this.received().map((message) => message.type);
  }

  /** The connection drops (no LogOut): the transport closes under the session. */
  drop(): void {
    this.stream.destroy();
  }

  /** True once the server ended or destroyed its side. */
  get closedByServer(): boolean {
    return this.stream.writableEnded || this.stream.destroyed;
  }
}

export interface HarnessOptions {
  readonly moveTimeoutMs?: number;
  readonly reconnectGraceMs?: number;
  readonly houseBot?: { readonly afterMs: number; readonly maxGames?: number; readonly thinker?: BotThinker };
  /** Wraps the real store (to delay its commits, say); the harness still owns the SqliteStore. */
  readonly wrapStore?: (store: SqliteStore) => Store;
  /** A node of a cluster (a fake one: test/support/fake-cluster.ts; in-process nodes: MemoryCluster). */
  readonly cluster?: Cluster;
  /**
   * Another node's store and clock, shared (several nodes of an in-process
   * cluster): the accounts are that harness's, and it closes the store.
   */
  readonly sharedWith?: ServiceHarness;
  /** The manual clock to run on (a new one by default; `sharedWith`'s if given). */
  readonly clock?: ManualClock;
  /** Guest logins allowed (`--guests`); default true. */
  readonly guests?: boolean;
  /** Draws colours and ballots for PlayComputer (default Math.random). */
  readonly random?: () => number;
}

/**
 * A GameService with its TurnBatch and real Sessions over in-memory streams,
 * a real SQLite store in memory, and a manual clock: the service's rules run
 * in milliseconds. Only password hashing and the loop turns are real.
 */
export class ServiceHarness {
  readonly clock: ManualClock;
  readonly batch: TurnBatch;
  readonly service: GameService;
  readonly log: string[] = [];
  #nextId = 1;
  readonly #ownsStore: boolean;

  private constructor(
    readonly store: SqliteStore,
    options: HarnessOptions,
    houseBot: GameServiceOptions['houseBot'],
  ) {
    this.clock = options.sharedWith?.clock ?? options.clock ?? new ManualClock();
    this.#ownsStore = options.sharedWith === undefined;
    const log = pino({ level: 'debug' }, { write: (line: string) => this.log.push(line) });
    const wrapped = options.wrapStore?.(store) ?? store;
    this.batch = new TurnBatch(wrapped, log, {
      clock: this.clock,
      outageLimit: () => this.service.abandonForOutage(),
      fencedOff: (gameIds) => this.service.fencedOff(gameIds),
    });
    this.service = new GameService({
      store: wrapped,
      clock: this.clock,
      log,
      chooser: () => 0,
      batch: this.batch,
      timing: {
        ...DEFAULT_TIMING,
        moveTimeoutMs: options.moveTimeoutMs ?? 0,
        reconnectGraceMs: options.reconnectGraceMs ?? 0,
        botAfterMs: options.houseBot?.afterMs ?? 0,
      },
      hashConcurrency: 2,
      ...(houseBot ? { houseBot } : {}),
      ...(options.cluster ? { cluster: options.cluster } : {}),
      ...(options.guests === undefined ? {} : { guests: options.guests }),
      ...(options.random ? { random: options.random } : {}),
    });
  }

  /** Accounts `names` (password HARNESS_PASSWORD, a cheap hash), and the house bot's if asked for. */
  static async create(names: readonly string[], options: HarnessOptions = {}): Promise<ServiceHarness> {
    const store = options.sharedWith?.store ?? (await openSqliteStore(':memory:'));
    const passwordHash = await hashPassword(HARNESS_PASSWORD, { N: 16, r: 1, p: 1 });
    if (names.length > 0) await store.createAccounts(names.map((name) => ({ name, passwordHash })));
    if (options.houseBot) await store.createAccount('checkers-bot', NO_PASSWORD);
    return ServiceHarness.#start(store, options);
  }

  static async #start(store: SqliteStore, options: HarnessOptions): Promise<ServiceHarness> {
    let houseBot: GameServiceOptions['houseBot'];
    const account = options.houseBot && (await store.findAccount('checkers-bot'));
    if (options.houseBot && account) {
      houseBot = {
        accountId: account.id,
        name: account.name,
        maxGames: options.houseBot.maxGames ?? 4,
        pauseMs: [0, 0],
        ...(options.houseBot.thinker ? { thinker: options.houseBot.thinker } : {}),
      };
    }
    const harness = new ServiceHarness(store, options, houseBot);
    await harness.service.start();
    return harness;
  }

  /**
   * A restart: this service shuts down (its games stay stored) and a new one
   * with `options` starts on the same store, reading the games back. Close
   * only the new harness afterwards (it owns the store now).
   */
  async restart(options: HarnessOptions = {}): Promise<ServiceHarness> {
    await this.service.shutdown();
    return ServiceHarness.#start(this.store, options);
  }

  /** A connection that has logged in as a guest (version 2) and heard its GuestLoggedIn. */
  async guest(): Promise<MemoryClient> {
    const client = this.connect(this.service, 2);
    client.send({ type: 'Guest', version: 2 });
    await this.until(() => client.types().includes('GuestLoggedIn'), 'a guest to log in');
    return client;
  }

  connect(handler: SessionHandler = this.service, version: ProtocolVersion = 1): MemoryClient {
    const stream = new MemoryStream();
    const session = new Session(
      this.#nextId++,
      new StreamTransport(stream, 'tcp', '127.0.0.1'),
      handler,
      this.batch,
      this.clock,
      pino({ level: 'silent' }),
      DEFAULT_LIMITS,
      NO_LIMITS,
    );
    return new MemoryClient(session, stream, version);
  }

  /** A connection that has logged in as `name` and heard its QueuePosition. */
  async login(name: string): Promise<MemoryClient> {
    const client = this.connect();
    client.send({ type: 'Connect', version: 1, username: name, password: HARNESS_PASSWORD });
    await this.until(() => client.types().includes('QueuePosition'), `${name} to log in`);
    return client;
  }

  /** A connection that has logged in as `name` with protocol version 2 and heard its LoggedIn. */
  async loginV2(name: string): Promise<MemoryClient> {
    const client = this.connect(this.service, 2);
    client.send({ type: 'Connect', version: 2, username: name, password: HARNESS_PASSWORD });
    await this.until(() => client.types().includes('LoggedIn'), `${name} to log in`);
    return client;
  }

  /**
   * Lets the loop turn (sessions, commits, hashing on the thread pool) until
   * `condition` holds; fails after a bounded number of turns. The clock does not move.
   */
  async until(condition: () => boolean, what: string, turns = 500): Promise<void> {
    for (let turn = 0; turn < turns; turn++) {
      if (condition()) return;
      await new Promise((resolve) => setImmediate(resolve));
      if (turn % 10 === 9) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    if (!condition()) throw new Error(`not within ${turns} loop turns: ${what}`);
  }

  /** Lets pending loop turns run (commits, released replies) without waiting for anything in particular. */
  async settle(turns = 5): Promise<void> {
    for (let turn = 0; turn < turns; turn++) await new Promise((resolve) => setImmediate(resolve));
  }

  /**
   * Moves the manual clock on, at most a second at a time, letting what each
   * step set off (the service's tick reads storage, commits) finish before the next.
   */
  async advance(ms: number): Promise<void> {
    for (let left = ms; left > 0; left -= 1000) {
      this.clock.advance(Math.min(1000, left));
      await this.settle();
    }
  }

  async close(): Promise<void> {
    await this.service.shutdown();
    if (this.#ownsStore) this.store.close();
  }
}
