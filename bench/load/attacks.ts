import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { encodeMessage, type Message, StreamDecoder } from '../../src/protocol/index.js';

export const ATTACKS = [
  'flood-login',
  'flood-oneshot',
  'garbage',
  'slowloris',
  'no-read',
  'tls-handshake',
  'http-flood',
  'http-pipeline',
] as const;
export type AttackName = (typeof ATTACKS)[number];

export interface AttackReport {
  readonly attack: AttackName;
  /** Connections the attackers opened. */
  readonly connections: number;
  /** Of those, how many the server closed (the rest were still open when the attack stopped). */
  readonly closedByServer: number;
  /** Median time from connect to the server's close, in ms. */
  readonly medianLifetimeMs: number;
  readonly bytesSent: number;
  /** Messages the server answered the attackers with. */
  readonly answers: number;
  /** TLS handshakes the attackers completed. */
  readonly handshakes: number;
}

export interface AttackOptions {
  readonly port: number;
  /** Loopback addresses the attackers connect from. */
  readonly addresses: readonly string[];
  /** Connections kept open at once (each reopened after the server closes it). */
  readonly connections: number;
  /** Accounts the attackers may log in with (rated far from the honest players). */
  readonly accounts: readonly string[];
  readonly password: string;
}

const RECONNECT_DELAY_MS = 50;
/** However long a phase lasts, an attack opens at most this many connections. */
const MAX_CONNECTIONS_PER_ATTACK = 200_000;

/** Games the HTTP attacks page through: as many as the bench seeds (seedFinishedGames) when one runs. */
export const HTTP_ATTACK_GAMES = 1000;

/** The API queries that cost the server most: a profile, and a page of 100 games somewhere in the list. */
function costlyQuery(account: string): string {
  return Math.random() < 0.5
    ? `/api/players/${account}`
    : `/api/games?limit=100&before=${2 + Math.floor(Math.random() * HTTP_ATTACK_GAMES)}`;
}

function httpGet(path: string): string {
  return `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`;
}

/** Counts complete HTTP answers in a byte stream (the server always sends Content-Length). */
class HttpAnswerReader {
  #buffer: Buffer = Buffer.alloc(0);

  /** The answers that `chunk` completed. */
  push(chunk: Buffer): number {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    let complete = 0;
    for (;;) {
      const end = this.#buffer.indexOf('\r\n\r\n');
      if (end < 0) return complete;
      const head = this.#buffer.subarray(0, end).toString('latin1');
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
      if (this.#buffer.length < end + 4 + length) return complete;
      this.#buffer = this.#buffer.subarray(end + 4 + length);
      complete++;
    }
  }
}

function bytesOf(messages: readonly Message[], times: number): Buffer {
  const one = Buffer.concat(messages.map((message) => encodeMessage(message)));
  return Buffer.concat(Array.from({ length: times }, () => one));
}

/** Abusive clients of one kind, each reconnecting when the server closes it, until stopped. */
export class Attack {
  #stopped = false;
  #opened = 0;
  #closedByServer = 0;
  #bytesSent = 0;
  #answers = 0;
  #handshakes = 0;
  readonly #lifetimes: number[] = [];
  readonly #sockets = new Set<Socket>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #payloads: Partial<Record<AttackName, Buffer>> = {};

  constructor(
    readonly name: AttackName,
    private readonly options: AttackOptions,
  ) {}

  /** Slowloris is about holding many connections, so it opens ten times as many as the other attacks. */
  start(): void {
    const count = this.name === 'slowloris' ? this.options.connections * 10 : this.options.connections;
    for (let slot = 0; slot < count; slot++) this.#open(slot);
  }

  stop(): AttackReport {
    this.#stopped = true;
    for (const timer of this.#timers) clearTimeout(timer);
    for (const socket of this.#sockets) socket.destroy();
    const sorted = [...this.#lifetimes].sort((a, b) => a - b);
    return {
      attack: this.name,
      connections: this.#opened,
      closedByServer: this.#closedByServer,
      medianLifetimeMs: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN,
      bytesSent: this.#bytesSent,
      answers: this.#answers,
      handshakes: this.#handshakes,
    };
  }

  #later(ms: number, work: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      work();
    }, ms);
    this.#timers.add(timer);
  }

  #open(slot: number): void {
    if (this.#stopped || this.#opened >= MAX_CONNECTIONS_PER_ATTACK) return;
    this.#opened++;
    const localAddress = this.options.addresses[slot % this.options.addresses.length] ?? '127.0.0.1';
    const account = this.options.accounts[slot % this.options.accounts.length] ?? 'nobody';
    const openedAt = performance.now();
    const target = { host: '127.0.0.1', port: this.options.port, localAddress };
    // A handshake flood: complete a TLS handshake, hang up, do it again.
    const socket =
      this.name === 'tls-handshake'
        ? connectTls(
            { socket: connect({ ...target, noDelay: true }).on('error', () => {}), rejectUnauthorized: false },
            () => {
              this.#handshakes++;
              socket.destroy();
            },
          )
        : connect({ ...target, noDelay: true });
    this.#sockets.add(socket);
    const decoder = new StreamDecoder();
    socket.on('error', () => {});
    socket.on('close', () => {
      this.#sockets.delete(socket);
      if (this.#stopped) return;
      this.#closedByServer++;
      this.#lifetimes.push(performance.now() - openedAt);
      // A handshake attacker hangs up itself and reconnects at once.
      this.#later(this.name === 'tls-handshake' ? 0 : RECONNECT_DELAY_MS, () => this.#open(slot));
    });
    if (this.name !== 'tls-handshake') socket.on('connect', () => this.#behave(socket, slot, account, decoder));
  }

  #write(socket: Socket, bytes: Uint8Array): boolean {
    if (socket.destroyed) return false;
    this.#bytesSent += bytes.length;
    return socket.write(bytes);
  }

  /** Counts the server's answers; calls `onMessage` for each. */
  #listen(socket: Socket, decoder: StreamDecoder, onMessage?: (message: Message) => void): void {
    socket.on('data', (chunk: Buffer) => {
      decoder.push(chunk);
      for (let result = decoder.next(); result.kind === 'message'; result = decoder.next()) {
        this.#answers++;
        onMessage?.(result.message);
      }
    });
  }

  /** Writes `bytes` again each time the socket drains, until it closes. */
  #pump(socket: Socket, bytes: Buffer): void {
    const push = () => {
      while (!this.#stopped && this.#write(socket, bytes)) {
        // Yield now and then so that the honest players in this process are not starved.
        if (this.#bytesSent % (1 << 20) < bytes.length) {
          this.#later(1, push);
          return;
        }
      }
    };
    socket.on('drain', push);
    push();
  }

  #payload(build: () => Buffer): Buffer {
    this.#payloads[this.name] ??= build();
    return this.#payloads[this.name] as Buffer;
  }

  #behave(socket: Socket, slot: number, account: string, decoder: StreamDecoder): void {
    const { password } = this.options;
    switch (this.name) {
      case 'flood-login': {
        // Wrong passwords for a real account: each costs the server a hash, if it lets it.
        this.#listen(socket, decoder);
        const wrong = this.#payload(() =>
          bytesOf([{ type: 'Connect', version: 1, username: account, password: 'not-the-password' }], 2000),
        );
        this.#pump(socket, wrong);
        return;
      }
      case 'flood-oneshot': {
        // The old server's nemesis: a million Connect/LogOut messages in a single write.
        this.#listen(socket, decoder);
        const chain = this.#payload(() =>
          bytesOf([{ type: 'Connect', version: 1, username: account, password }, { type: 'LogOut' }], 500_000),
        );
        this.#write(socket, chain);
        return;
      }
      case 'garbage': {
        this.#listen(socket, decoder);
        this.#pump(socket, randomBytes(64 * 1024));
        return;
      }
      case 'slowloris': {
        // Half dribble a Connect a byte at a time; half send nothing at all.
        this.#listen(socket, decoder);
        if (slot % 2 === 0) return;
        const connect = encodeMessage({ type: 'Connect', version: 1, username: account, password });
        let next = 0;
        const dribble = () => {
          if (socket.destroyed || next >= connect.length) return;
          this.#write(socket, Buffer.from([connect[next++] ?? 0]));
          this.#later(400, dribble);
        };
        dribble();
        return;
      }
      case 'tls-handshake':
        return;
      case 'http-flood': {
        // One costly API request at a time per connection, the next as soon as the answer is in, as a
        // script with a keep-alive HTTP client would; the queries vary, so no cache can answer them all.
        const reader = new HttpAnswerReader();
        socket.on('data', (chunk: Buffer) => {
          const answers = reader.push(chunk);
          this.#answers += answers;
          if (answers > 0) this.#write(socket, Buffer.from(httpGet(costlyQuery(account))));
        });
        this.#write(socket, Buffer.from(httpGet(costlyQuery(account))));
        return;
      }
      case 'http-pipeline': {
        // About 64 KiB of pipelined requests for a page of 100 games in one write, and never a byte read;
        // the same again every 200 ms (which is also how a client that never reads learns it was closed).
        socket.pause();
        const pipeline = this.#payload(() =>
          Buffer.from(httpGet('/api/games?limit=100').repeat(Math.floor(65_536 / 54))),
        );
        const again = () => {
          if (socket.destroyed) return;
          if (socket.writableLength < 1 << 20) this.#write(socket, pipeline);
          this.#later(200, again);
        };
        again();
        return;
      }
      case 'no-read': {
        // Plays until its first turn, then stops reading and floods illegal moves.
        let flooding = false;
        this.#listen(socket, decoder, (message) => {
          if (message.type !== 'YourTurn' || flooding) return;
          flooding = true;
          socket.pause();
          this.#pump(
            socket,
            this.#payload(() => bytesOf([{ type: 'MakeMove', move: 0 }], 32 * 1024)),
          );
        });
        this.#write(socket, encodeMessage({ type: 'Connect', version: 1, username: account, password }));
        return;
      }
    }
  }
}
