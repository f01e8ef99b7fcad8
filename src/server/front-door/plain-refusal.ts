import type { Socket } from 'node:net';
import { encodeMessage, MESSAGE_TABLE } from '../../protocol/index.js';
import type { Clock } from '../clock.js';

const CONNECT = MESSAGE_TABLE.find((definition) => definition.name === 'Connect');
const CONNECT_TYPE = CONNECT?.code ?? 0x01;
const CONNECT_SIZE = CONNECT?.size ?? 34;

/**
 * The answer to a plain connection under `--plain refuse`: InvalidVersion
 * with the range [2, 2], which a version-1 client cannot meet. Version 1
 * allows it in answer to Connect, and an old client shows it to its user as
 * "the server needs another version" and stops, whereas an InvalidLogin
 * would make it ask for the password again and send it in clear once more.
 */
export const PLAIN_REFUSED = encodeMessage({ type: 'InvalidVersion', highest: 2, lowest: 2 });

/**
 * Reads the client's Connect (its first message; the password in it has
 * already crossed the network in clear, and is dropped unread), answers
 * PLAIN_REFUSED, then closes. Anything else, or a Connect not complete within
 * `waitMs`, is closed without an answer.
 */
export function refusePlainConnection(socket: Socket, clock: Clock, waitMs: number): void {
  let received = 0;
  let first: number | undefined;
  const cancel = clock.after(waitMs, () => socket.destroy());
  const onData = (chunk: Buffer) => {
    first ??= chunk[0];
    received += chunk.length;
    if (first !== CONNECT_TYPE) {
      finish();
      socket.destroy();
    } else if (received >= CONNECT_SIZE) {
      finish();
      socket.end(PLAIN_REFUSED);
      // A client that never reads its answer must not hold the connection.
      clock.after(waitMs, () => socket.destroy());
    }
  };
  const finish = () => {
    cancel();
    socket.off('data', onData);
    socket.pause();
  };
  socket.once('close', cancel);
  socket.on('data', onData);
  socket.resume();
}
