import { parentPort } from 'node:worker_threads';
import type { WorkerReply, WorkerRequest } from '../../src/server/bot-pool.js';

/** A BotPool worker that answers each request with the time it was given to think (ms), in place of a move. */
const port = parentPort;
if (!port) throw new Error('a worker thread only');
port.on('message', (request: WorkerRequest) => {
  const reply: WorkerReply = { id: request.id, move: request.timeMs };
  port.postMessage(reply);
});
