import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import {
  type AnyMessage,
  type AnyMessageName,
  encodeMessage,
  type MessageOfType,
  type ProtocolVersion,
  StreamDecoder,
} from '../../src/protocol/index.js';
import { within } from './wait.js';

/** How long a wait for a message lasts by default: a bound that catches a hang, not a slow machine. */
const DEFAULT_WAIT_MS = 15_000;

/** A bare peer for tests (version 1 unless told): sends what it is told, records what arrives, bytes included. */
export class RawClient {
  readonly #decoder: StreamDecoder<AnyMessage>;
  readonly #inbox: AnyMessage[] = [];
  /** Every byte received, in order. */
  readonly received: Uint8Array[] = [];
  #waiter: (() => void) | undefined;
  #closedAt: number | undefined;
  readonly #closed: Promise<void>;

  private constructor(
    readonly socket: Duplex,
    version: ProtocolVersion = 1,
  ) {
    this.#decoder = StreamDecoder.forVersion(version);
    socket.on('data', (chunk: Buffer) => {
      this.received.push(Uint8Array.from(chunk));
      this.#decoder.push(chunk);
      for (let result = this.#decoder.next(); result.kind === 'message'; result = this.#decoder.next()) {
        this.#inbox.push(result.message);
      }
      this.#wake();
    });
    this.#closed = new Promise((resolve) => {
      socket.on('close', () => {
        this.#closedAt = Date.now();
        this.#wake();
        resolve();
      });
    });
    socket.on('error', () => {});
  }

  /** A peer over an already open stream (a TLS connection, say). */
  static over(stream: Duplex, version: ProtocolVersion = 1): RawClient {
    return new RawClient(stream, version);
  }

  /** `localAddress` (another 127.x.y.z) makes the server see a different client address. */
  static connect(port: number, host = '127.0.0.1', localAddress?: string): Promise<RawClient> {
    return RawClient.#open(port, host, localAddress, 1);
  }

  /** A peer that decodes version 2's messages. */
  static connectV2(port: number, host = '127.0.0.1'): Promise<RawClient> {
    return RawClient.#open(port, host, undefined, 2);
  }

  static #open(port: number, host: string, localAddress: string | undefined, version: ProtocolVersion) {
    return new Promise<RawClient>((resolve, reject) => {
      const options = { port, host, noDelay: true, ...(localAddress ? { localAddress } : {}) };
      const socket = connect(options, () => resolve(new RawClient(socket, version)));
      socket.once('error', reject);
    });
  }

  /** All bytes received so far, as one array. */
  bytes(): Uint8Array {
    return Buffer.concat(this.received);
  }

  get isClosed(): boolean {
    return this.#closedAt !== undefined;
  }

  send(message: AnyMessage): void {
    this.socket.write(encodeMessage(message));
  }

  sendBytes(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  /** The next message, skipping the types in `skip`; rejects on timeout or close. */
  async next(skip: readonly AnyMessageName[] = [], timeoutMs = DEFAULT_WAIT_MS): Promise<AnyMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const message = this.#inbox.shift();
      if (message) {
        if (skip.includes(message.type)) continue;
        return message;
      }
      if (this.isClosed) throw new Error('connection closed by the server');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no message within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** The next message, which must be of `type` (QueuePosition skipped unless asked for). */
  async expect<N extends AnyMessageName>(type: N, timeoutMs = DEFAULT_WAIT_MS): Promise<MessageOfType<N>> {
    const skip: AnyMessageName[] = type === 'QueuePosition' ? [] : ['QueuePosition'];
    const message = await this.next(skip, timeoutMs);
    if (message.type !== type) throw new Error(`expected ${type}, got ${JSON.stringify(message.type)}`);
    return message as MessageOfType<N>;
  }

  /** The next message, which must be of `type`, skipping QueuePosition and the types in `skip`. */
  async expectSkipping<N extends AnyMessageName>(
    type: N,
    skip: readonly AnyMessageName[] = [],
  ): Promise<MessageOfType<N>> {
    const message = await this.next(['QueuePosition', ...skip]);
    if (message.type !== type) throw new Error(`expected ${type}, got ${message.type}`);
    return message as MessageOfType<N>;
  }

  /** Resolves with the time at which the server closed the connection. */
  async closedWithin(timeoutMs: number): Promise<number> {
    await within(this.#closed, timeoutMs, 'still open');
    return this.#closedAt ?? Date.now();
  }

  async login(username: string, password: string): Promise<MessageOfType<'QueuePosition'>> {
    this.send({ type: 'Connect', version: 1, username, password });
    return this.expect('QueuePosition');
  }

  /** Messages already received and not yet read. */
  pending(): readonly AnyMessage[] {
    return this.#inbox;
  }

  close(): void {
    this.socket.destroy();
  }

  #wake(): void {
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.();
  }
}
