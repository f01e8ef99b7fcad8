import type { WebSocket } from 'ws';
import type { Clock } from '../clock.js';
import type { EndReason, Transport, TransportListener } from '../transport.js';

/** Close codes the server sends on /play (RFC 6455 section 7.4.1). */
export const WS_CLOSE = {
  normal: 1000,
  goingAway: 1001,
  protocolError: 1002,
  unsupportedData: 1003,
  policyViolation: 1008,
  tooBig: 1009,
  internalError: 1011,
} as const;

/** How long a closing WebSocket waits for the peer's close frame before the connection is dropped. */
const CLOSE_WAIT_MS = 2000;
/** A close frame's reason holds at most 123 bytes. */
const MAX_REASON_BYTES = 123;

/** The close code and reason a session's end becomes on a WebSocket. */
export function closeFrameFor(end: EndReason | undefined): { code: number; reason: string } {
  const reason = end?.reason ?? 'closed';
  const detail = end?.detail ? `${reason}: ${end.detail}` : reason;
  const code = (() => {
    switch (reason) {
      case 'protocol-error':
        return WS_CLOSE.protocolError;
      case 'rate-limit':
      case 'slow-reader':
      case 'login-timeout':
      case 'account-removed':
        return WS_CLOSE.policyViolation;
      case 'shutdown':
        return WS_CLOSE.goingAway;
      case 'storage-outage':
        return WS_CLOSE.internalError;
      default:
        return WS_CLOSE.normal;
    }
  })();
  return { code, reason: truncateUtf8(detail, MAX_REASON_BYTES) };
}

function truncateUtf8(text: string, maxBytes: number): string {
  let result = text;
  while (Buffer.byteLength(result, 'utf8') > maxBytes) result = result.slice(0, -1);
  return result;
}

/**
 * A WebSocket on /play as a session's transport: binary frames carry
 * version-1 bytes as a stream (a message may span frames, a frame may hold
 * several), each write (one server message) goes in its own frame, and a
 * text frame closes the connection with 1003.
 */
export class WsTransport implements Transport {
  readonly kind = 'ws';
  /** Messages held back (`hold`) until `release`, each still its own frame. */
  #held: Uint8Array[] | undefined;
  #heldBytes = 0;
  /** The close code of a transport-level violation, which a protocol-error close then uses instead of 1002. */
  #violationCode: number | undefined;
  /** Closing: input is no longer delivered (the socket reads on, to take the peer's close frame). */
  #closing = false;

  constructor(
    private readonly socket: WebSocket,
    readonly remoteAddress: string,
    readonly encrypted: boolean,
    private readonly clock: Clock,
  ) {}

  /** What ws has not yet handed to the kernel (its queue and the socket's buffer), plus what is held. */
  get pendingBytes(): number {
    return this.socket.bufferedAmount + this.#heldBytes;
  }

  listen(listener: TransportListener): void {
    this.socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (this.#closing || this.#violationCode !== undefined) return;
      if (!isBinary) {
        this.#violationCode = WS_CLOSE.unsupportedData;
        listener.violation('text frame (binary frames only)');
        return;
      }
      listener.data(data);
    });
    this.socket.on('error', (error: Error & { code?: string }) => {
      // ws has already sent its close frame (1009 for a message over maxPayload, 1002 for a bad frame).
      if (error.code?.startsWith('WS_ERR_') && this.#violationCode === undefined) {
        this.#violationCode = WS_CLOSE.protocolError;
        listener.violation(error.message);
      }
      listener.error(error);
    });
    this.socket.on('close', () => listener.close());
  }

  pause(): void {
    if (!this.#closing) this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  hold(): void {
    this.#held ??= [];
  }

  release(): void {
    const held = this.#held;
    this.#held = undefined;
    this.#heldBytes = 0;
    for (const bytes of held ?? []) this.#send(bytes);
  }

  write(bytes: Uint8Array): void {
    if (this.#held) {
      this.#held.push(bytes);
      this.#heldBytes += bytes.length;
      return;
    }
    this.#send(bytes);
  }

  end(reason?: EndReason): void {
    this.release();
    const frame = closeFrameFor(reason);
    this.#close(this.#violationCode === undefined ? frame : { ...frame, code: this.#violationCode });
  }

  destroy(): void {
    this.#held = undefined;
    this.#heldBytes = 0;
    this.socket.terminate();
  }

  #send(bytes: Uint8Array): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    this.socket.send(bytes, { binary: true });
  }

  /** Sends the close frame after what is queued; a peer that does not answer it is dropped soon after. */
  #close(frame: { code: number; reason: string }): void {
    this.#closing = true;
    if (this.socket.readyState === this.socket.OPEN) this.socket.close(frame.code, frame.reason);
    // The session paused input when the last data came; the close handshake needs to read the peer's answer.
    this.socket.resume();
    const cancel = this.clock.after(CLOSE_WAIT_MS, () => this.socket.terminate());
    this.socket.once('close', cancel);
  }
}
