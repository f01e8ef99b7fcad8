import { connect, type Socket } from 'node:net';
import { within } from './wait.js';

/** A bare HTTP/1.1 peer: sends exactly the bytes it is given, keeps what arrives, reads only when told to. */
export class RawHttp {
  #received = Buffer.alloc(0);
  readonly #closed: Promise<void>;

  private constructor(readonly socket: Socket) {
    this.#closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => {});
    socket.pause();
  }

  /** Connects to 127.0.0.1 from `localAddress` (another 127.x.y.z: another client address to the server). */
  static connect(port: number, localAddress?: string): Promise<RawHttp> {
    return new Promise((resolve, reject) => {
      const socket = connect(
        { port, host: '127.0.0.1', noDelay: true, ...(localAddress ? { localAddress } : {}) },
        () => resolve(new RawHttp(socket)),
      );
      socket.once('error', reject);
    });
  }

  send(text: string): void {
    this.socket.write(text);
  }

  /** Starts reading: everything that arrives is kept (see `text`). */
  read(): void {
    this.socket.on('data', (chunk: Buffer) => {
      this.#received = Buffer.concat([this.#received, chunk]);
    });
    this.socket.resume();
  }

  get bytesReceived(): number {
    return this.#received.length;
  }

  get text(): string {
    return this.#received.toString('latin1');
  }

  /** Status codes of the answers received so far, in order. */
  get statuses(): number[] {
    return [...this.text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((match) => Number(match[1]));
  }

  /** Resolves when the server has closed the connection (reading what is left on the way). */
  closedWithin(timeoutMs: number): Promise<void> {
    if (!this.socket.listenerCount('data')) this.read();
    return within(this.#closed, timeoutMs, 'the server did not close the connection');
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** A GET of `path` as a browser would send it (keep-alive, HTTP/1.1). */
export function getRequest(path: string, host = 'x'): string {
  return `GET ${path} HTTP/1.1\r\nHost: ${host}\r\n\r\n`;
}
