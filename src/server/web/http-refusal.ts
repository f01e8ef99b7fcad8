import type { Socket } from 'node:net';
import type { Clock } from '../clock.js';
import type { RefusalReason } from '../limits/address-book.js';
import { firstByteKind } from './http-detect.js';

/** Refused connections waiting for their first byte at once, in this process; more are closed without a word. */
export const MAX_ANSWERED_REFUSALS = 64;

/** How long a refused connection may take to send its first byte, or to take its answer. */
export const REFUSAL_ANSWER_MS = 1000;

let answering = 0;

/** The status line and Retry-After (seconds) of an HTTP answer to a connection refused for `reason`. */
export function refusalStatus(reason: RefusalReason): { status: string; retryAfterS: number; text: string } {
  switch (reason) {
    case 'server-full':
      return { status: '503 Service Unavailable', retryAfterS: 10, text: 'the server is full; try again later' };
    case 'address-full':
      return {
        status: '429 Too Many Requests',
        retryAfterS: 5,
        text: 'too many connections from your address; close some and try again',
      };
    case 'connection-rate':
      return {
        status: '429 Too Many Requests',
        retryAfterS: 1,
        text: 'too many new connections from your address; try again in a second',
      };
  }
}

/**
 * Closes a connection the per-address or server-wide limits refused. With
 * `http`, one whose first byte starts an HTTP request is first told why
 * (429 or 503, with Retry-After) instead of being reset, so that a browser
 * shows a reason and a script can back off; anything else, a connection
 * silent for REFUSAL_ANSWER_MS, or one beyond MAX_ANSWERED_REFUSALS at once
 * is closed at once. Nothing of the request is read beyond its first bytes.
 */
export function refuseConnection(socket: Socket, reason: RefusalReason, clock: Clock, http: boolean): void {
  if (!http || answering >= MAX_ANSWERED_REFUSALS) {
    socket.destroy();
    return;
  }
  answering++;
  let settled = false;
  const settle = () => {
    if (settled) return;
    settled = true;
    answering--;
    cancel();
  };
  const cancel = clock.after(REFUSAL_ANSWER_MS, () => socket.destroy());
  socket.on('error', () => {});
  socket.once('close', settle);
  socket.once('data', (chunk: Buffer) => {
    socket.pause();
    if (firstByteKind(chunk[0] ?? 0) !== 'http') {
      socket.destroy();
      return;
    }
    const { status, retryAfterS, text } = refusalStatus(reason);
    const body = `${text}\n`;
    socket.end(
      `HTTP/1.1 ${status}\r\nRetry-After: ${retryAfterS}\r\nConnection: close\r\n` +
        `Content-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      () => socket.destroy(),
    );
  });
}
