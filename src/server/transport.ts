import type { Duplex } from 'node:stream';

/** How a connection reached the server. */
export type TransportKind = 'tcp' | 'tls' | 'ws';

/** Why the server ends a connection: a WebSocket says it in its close frame, a stream just closes. */
export interface EndReason {
  /** The session's close reason, such as `protocol-error`. */
  readonly reason: string;
  /** A short detail, such as the protocol error. */
  readonly detail?: string;
}

/** What a transport reports to the session that reads it. */
export interface TransportListener {
  /** Bytes from the peer, split anywhere: the session's decoder reassembles messages. */
  data(chunk: Uint8Array): void;
  /** The connection is gone (closed by either side, or failed). */
  close(): void;
  /** The peer broke the transport's own rules (a WebSocket text frame, say): a protocol error. */
  violation(detail: string): void;
  error(error: Error): void;
}

/**
 * The seam between a session and its connection: bytes in, bytes out,
 * pause/resume, close, the peer's address and whether it is encrypted.
 * Sessions never know which transport they have; plain TCP and TLS are
 * streams (StreamTransport), and a WebSocket carrying the same version-1
 * bytes implements the same interface.
 */
export interface Transport {
  readonly kind: TransportKind;
  readonly remoteAddress: string;
  readonly encrypted: boolean;
  /** Bytes written and not yet taken by the peer: a slow reader shows here. */
  readonly pendingBytes: number;
  listen(listener: TransportListener): void;
  /** Stops delivering data (backpressure: the peer's bytes wait in the kernel). */
  pause(): void;
  resume(): void;
  /** From now on writes are held until `release`, then leave together. */
  hold(): void;
  release(): void;
  write(bytes: Uint8Array): void;
  /** Sends what was released, then closes (saying why, where the transport can). */
  end(reason?: EndReason): void;
  /** Closes at once; what is held or pending is dropped unsent. */
  destroy(): void;
}

/** TCP or TLS: a Node stream. */
export class StreamTransport implements Transport {
  constructor(
    private readonly stream: Duplex,
    readonly kind: 'tcp' | 'tls',
    readonly remoteAddress: string,
  ) {}

  get encrypted(): boolean {
    return this.kind === 'tls';
  }

  get pendingBytes(): number {
    return this.stream.writableLength;
  }

  listen(listener: TransportListener): void {
    this.stream.on('data', (chunk: Buffer) => listener.data(chunk));
    this.stream.on('error', (error) => listener.error(error));
    this.stream.on('close', () => listener.close());
  }

  pause(): void {
    this.stream.pause();
  }

  resume(): void {
    this.stream.resume();
  }

  hold(): void {
    this.stream.cork();
  }

  release(): void {
    this.stream.uncork();
  }

  write(bytes: Uint8Array): void {
    this.stream.write(bytes);
  }

  end(): void {
    // end() sends what is corked too, so it is called only once the held output may go.
    this.stream.end();
    this.stream.destroy();
  }

  destroy(): void {
    this.stream.destroy();
  }
}
