import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import {
  type AnyMessage,
  encodeMessage,
  type Message,
  type MessageName,
  type MessageNameV2,
  type MessageV2,
  StreamDecoder,
} from '../../src/protocol/index.js';

/**
 * One accepted connection of a FakeServer: reads what the client sends,
 * writes exact bytes. It decodes version 1 (and Resume) until the client sends a
 * version-2 Connect or a Resume, and version 2 from then on (until a
 * version-1 Connect).
 */
export class FakePeer {
  readonly #decoder = new StreamDecoder<AnyMessage>('login');
  readonly #inbox: Message[] = [];
  readonly #inboxV2: MessageV2[] = [];
  #wake: (() => void) | undefined;
  closed = false;

  constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.#decoder.push(chunk);
      for (let result = this.#decoder.next(); result.kind === 'message'; result = this.#decoder.next()) {
        const message = result.message;
        // A login names the version of what follows (a refused version-2 Connect may be followed by a version-1 one).
        if (
          message.type === 'Resume' ||
          message.type === 'Guest' ||
          (message.type === 'Connect' && message.version === 2)
        ) {
          this.#decoder.useCodes(2);
        } else if (message.type === 'Connect') {
          this.#decoder.useCodes(1);
        }
        if (this.#decoder.codes === 2) this.#inboxV2.push(message as MessageV2);
        else this.#inbox.push(message as Message);
      }
      this.#wake?.();
    });
    socket.on('close', () => {
      this.closed = true;
      this.#wake?.();
    });
    socket.on('error', () => {});
  }

  /** Everything received so far. */
  get received(): readonly Message[] {
    return this.#inbox;
  }

  /** The next message from the client (of `type`, skipping others, when given); bounded in time. */
  async next(type?: MessageName, timeoutMs = 10_000): Promise<Message> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.#inbox.findIndex((message) => type === undefined || message.type === type);
      if (index >= 0) return this.#inbox.splice(index, 1)[0] as Message;
      if (this.closed) throw new Error(`the client closed the connection before sending ${type ?? 'anything'}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`the client sent no ${type ?? 'message'} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** The next version-2 message from the client (of `type`, skipping others, when given); bounded in time. */
  async nextV2(type?: MessageNameV2, timeoutMs = 10_000): Promise<MessageV2> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.#inboxV2.findIndex((message) => type === undefined || message.type === type);
      if (index >= 0) return this.#inboxV2.splice(index, 1)[0] as MessageV2;
      if (this.closed) throw new Error(`the client closed the connection before sending ${type ?? 'anything'}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`the client sent no ${type ?? 'message'} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** Writes the messages (or raw bytes) in one write, so that the client reads them together. */
  send(...parts: Array<AnyMessage | Uint8Array>): void {
    this.socket.write(
      Buffer.concat(parts.map((part) => Buffer.from(part instanceof Uint8Array ? part : encodeMessage(part)))),
    );
  }

  close(): void {
    this.socket.end();
  }
}

/** A scripted server on a free loopback port: `serve` plays each accepted connection. */
export class FakeServer {
  private constructor(
    readonly server: Server,
    readonly port: number,
    /** Every connection accepted so far, in order. */
    readonly peers: readonly FakePeer[],
  ) {}

  static async start(serve: (peer: FakePeer) => void | Promise<void>): Promise<FakeServer> {
    const peers: FakePeer[] = [];
    const server = createServer((socket: Socket) => {
      const peer = new FakePeer(socket);
      peers.push(peer);
      Promise.resolve(serve(peer)).catch(() => socket.destroy());
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const address = server.address();
    return new FakeServer(server, typeof address === 'object' && address ? address.port : 0, peers);
  }

  async close(): Promise<void> {
    for (const peer of this.peers) peer.socket.destroy();
    this.server.close();
    await once(this.server, 'close');
  }
}

/** A GameStart whose name is raw bytes (the encoder refuses what a hostile server may send). */
export function rawGameStart(name: Uint8Array, rating: number): Uint8Array {
  const bytes = new Uint8Array(21);
  bytes[0] = 0x04;
  bytes.set(name.subarray(0, 16), 1);
  new DataView(bytes.buffer).setUint32(17, rating, true);
  return bytes;
}
