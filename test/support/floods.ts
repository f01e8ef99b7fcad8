import { encodeMessage, type Message } from '../../src/protocol/index.js';
import type { ServerLimits } from '../../src/server/limits/limits.js';
import { UNLIMITED } from '../../src/server/limits/token-bucket.js';
import type { ServerTiming } from '../../src/server/timing.js';

/* What the abuse tests over TCP (test/server/limits) and over /play (test/server/web) send and start. */

/** `count` copies of `messages`, back to back, as one buffer: one TCP write. */
export function repeated(messages: readonly Message[], count: number): Buffer {
  const one = Buffer.concat(messages.map((message) => encodeMessage(message)));
  return Buffer.concat(Array.from({ length: count }, () => one));
}

/** The same bytes cut into WebSocket frames of at most `frameBytes` (under the server's 64 KiB message bound). */
export function framed(messages: readonly Message[], count: number, frameBytes = 60 * 1024): Buffer[] {
  const all = repeated(messages, count);
  const frames: Buffer[] = [];
  for (let at = 0; at < all.length; at += frameBytes) frames.push(all.subarray(at, at + frameBytes));
  return frames;
}

/**
 * A server that drops a client that does not read once 16 KiB wait for it,
 * with no message rate to trip first and no reconnect grace: being dropped
 * for not reading is a lost connection, which then forfeits at once.
 */
export const SLOW_READER_SERVER: { timing: Partial<ServerTiming>; limits: Partial<ServerLimits> } = {
  timing: { reconnectGraceMs: 0 },
  limits: { maxPendingOutputBytes: 16 * 1024, messageRate: UNLIMITED, messageRatePerAddress: UNLIMITED },
};
