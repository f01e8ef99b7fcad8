import { Duplex } from 'node:stream';

/**
 * The most bytes node's HTTP parser is given at once. The parser hands over
 * every request in what it is given before anyone can stop it, and a read
 * from the network is up to 64 KiB, over a thousand small pipelined GETs. In
 * pieces of 1 KiB, a connection's request queue sees each request as it
 * comes and pauses this stream, or drops the connection, within a few dozen
 * requests.
 */
export const PIECE_BYTES = 1024;

/** Bytes read from the network and not yet parsed, beyond which the network is not read. */
const MOST_BUFFERED_BYTES = 64 * 1024;

/** The parts of a socket that the HTTP server and the web server use besides the stream itself. */
interface SocketLike extends Duplex {
  readonly remoteAddress?: string | undefined;
  readonly localAddress?: string | undefined;
  readonly localPort?: number | undefined;
  setTimeout?(ms: number): unknown;
}

/**
 * A connection (TCP or TLS) as node's HTTP server reads it: the bytes from
 * the network in pieces of at most PIECE_BYTES, the next only when the last
 * was taken and the stream is not paused; writes go straight through. A
 * WebSocket upgrade takes the connection itself back (`detach`), so that a
 * game over /play pays nothing for this layer.
 */
export class HttpStream extends Duplex {
  readonly #pending: Buffer[] = [];
  #pendingBytes = 0;
  #wanted = false;
  #networkEnded = false;
  #detached = false;
  readonly #listeners: Array<[string, Parameters<Duplex['on']>[1]]>;

  constructor(readonly connection: SocketLike) {
    super({ readableHighWaterMark: PIECE_BYTES, allowHalfOpen: false });
    const onData = (chunk: Buffer) => {
      this.#pending.push(chunk);
      this.#pendingBytes += chunk.length;
      if (this.#pendingBytes > MOST_BUFFERED_BYTES) connection.pause();
      this.#feed();
    };
    const onEnd = () => {
      this.#networkEnded = true;
      this.#feed();
    };
    const onClose = () => this.destroy();
    const onDrain = () => this.emit('drain-network');
    const onTimeout = () => this.emit('timeout');
    const onError = (error: Error) => this.destroy(error);
    this.#listeners = [
      ['data', onData],
      ['end', onEnd],
      ['close', onClose],
      ['drain', onDrain],
      ['timeout', onTimeout],
      ['error', onError],
    ];
    for (const [event, listener] of this.#listeners) connection.on(event, listener);
    connection.resume();
  }

  get remoteAddress(): string | undefined {
    return this.connection.remoteAddress;
  }

  get localAddress(): string | undefined {
    return this.connection.localAddress;
  }

  get localPort(): number | undefined {
    return this.connection.localPort;
  }

  /** Output written and not yet taken by the network, here and in the connection. */
  get unsentBytes(): number {
    return this.writableLength + this.connection.writableLength;
  }

  setTimeout(ms: number): this {
    this.connection.setTimeout?.(ms);
    return this;
  }

  /**
   * Hands the connection back (for a WebSocket): this stream lets go of it
   * without closing it, and returns the bytes read and not yet parsed. The
   * caller must listen for the connection's data in the same tick, as it
   * flows from now on.
   */
  detach(): { connection: SocketLike; unparsed: Buffer } {
    this.#detached = true;
    for (const [event, listener] of this.#listeners) this.connection.off(event, listener);
    if (this.connection.isPaused()) this.connection.resume();
    const parts: Buffer[] = [];
    for (let part = this.read() as Buffer | null; part !== null; part = this.read() as Buffer | null) parts.push(part);
    parts.push(...this.#pending);
    this.#pending.length = 0;
    this.#pendingBytes = 0;
    return { connection: this.connection, unparsed: Buffer.concat(parts) };
  }

  override _read(): void {
    this.#wanted = true;
    this.#feed();
  }

  /** Hands over pieces while the reader wants them; reads the network again once little is left. */
  #feed(): void {
    while (this.#wanted && this.#pending.length > 0 && !this.destroyed) {
      const first = this.#pending[0] as Buffer;
      const piece = first.subarray(0, PIECE_BYTES);
      if (piece.length === first.length) this.#pending.shift();
      else this.#pending[0] = first.subarray(PIECE_BYTES);
      this.#pendingBytes -= piece.length;
      this.#wanted = this.push(piece);
    }
    if (this.#pendingBytes <= MOST_BUFFERED_BYTES / 2 && this.connection.isPaused() && !this.#detached) {
      this.connection.resume();
    }
    if (this.#networkEnded && this.#pending.length === 0 && !this.destroyed) this.push(null);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    if (this.connection.write(chunk)) done();
    else this.once('drain-network', () => done());
  }

  /** Several writes at once (headers and body, say) leave in one system call. */
  override _writev(
    chunks: Array<{ chunk: Buffer; encoding: BufferEncoding }>,
    done: (error?: Error | null) => void,
  ): void {
    this.connection.cork();
    let flowing = true;
    for (const { chunk } of chunks) flowing = this.connection.write(chunk);
    this.connection.uncork();
    if (flowing) done();
    else this.once('drain-network', () => done());
  }

  override _final(done: (error?: Error | null) => void): void {
    this.connection.end();
    done();
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    if (!this.#detached) this.connection.destroy();
    done(error);
  }
}
