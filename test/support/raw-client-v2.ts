import { connect, type Socket } from 'node:net';
import {
  encodeMessage,
  type MessageNameV2,
  type MessageOfType,
  type MessageV2,
  StreamDecoder,
} from '../../src/protocol/index.js';

const DEFAULT_WAIT_MS = 15_000;

/** A bare version-2 peer for tests: sends what it is told, records what arrives. */
export class RawClientV2 {
  readonly #decoder = StreamDecoder.forVersion(2);
  readonly #inbox: MessageV2[] = [];
  #waiter: (() => void) | undefined;
  #closed = false;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk) => {
      this.#decoder.push(chunk);
      for (let result = this.#decoder.next(); result.kind === 'message'; result = this.#decoder.next()) {
        this.#inbox.push(result.message);
      }
      this.#wake();
    });
    socket.on('close', () => {
      this.#closed = true;
      this.#wake();
    });
    socket.on('error', () => {});
  }

  static connect(port: number): Promise<RawClientV2> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host: '127.0.0.1', noDelay: true }, () => resolve(new RawClientV2(socket)));
      socket.once('error', reject);
    });
  }

  send(message: MessageV2): void {
    this.socket.write(encodeMessage(message));
  }

  /** The next message, skipping the types in `skip`; rejects on timeout or close. */
  async next(skip: readonly MessageNameV2[] = ['QueuePosition'], timeoutMs = DEFAULT_WAIT_MS): Promise<MessageV2> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const message = this.#inbox.shift();
      if (message) {
        if (skip.includes(message.type)) continue;
        return message;
      }
      if (this.#closed) throw new Error('connection closed by the server');
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

  /** The next message of `type`, skipping QueuePosition and the types in `skip`; any other type fails. */
  async expect<N extends MessageNameV2>(
    type: N,
    skip: readonly MessageNameV2[] = [],
    timeoutMs = DEFAULT_WAIT_MS,
  ): Promise<MessageOfType<N>> {
    const message = await this.next(['QueuePosition', ...skip], timeoutMs);
    if (message.type !== type) throw new Error(`expected ${type}, got ${message.type}`);
    return message as MessageOfType<N>;
  }

  /** Logs in with version 2 and seeks `initialSeconds`+`incrementSeconds` (default 5+3). */
  async loginAndSeek(
    username: string,
    password: string,
    timeControl = { initialSeconds: 300, incrementSeconds: 3 },
  ): Promise<MessageOfType<'LoggedIn'>> {
    this.send({ type: 'Connect', version: 2, username, password });
    const loggedIn = await this.expect('LoggedIn');
    this.send({ type: 'Seek', ...timeControl });
    return loggedIn;
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
