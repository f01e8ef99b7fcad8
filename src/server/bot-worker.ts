import { parentPort } from 'node:worker_threads';
import type { WorkerReply, WorkerRequest } from './bot-pool.js';
import { LevelPlayers } from './bot-thinker.js';

/** A BotPool thread: answers each request with the engine's move at the request's level and time. */
const port = parentPort;
if (!port) throw new Error('bot-worker.js runs only as a worker thread of BotPool');
const players = new LevelPlayers();
port.on('message', (request: WorkerRequest) => {
  const reply: WorkerReply = { id: request.id, move: players.choose(request, { timeMs: request.timeMs }) };
  port.postMessage(reply);
});
