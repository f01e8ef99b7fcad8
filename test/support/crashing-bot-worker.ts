import { parentPort } from 'node:worker_threads';
import type { WorkerReply, WorkerRequest } from '../../src/server/bot-pool.js';
import { LevelPlayers } from '../../src/server/bot-thinker.js';

/** A BotPool worker that crashes when asked for a level-1 move and answers any other level as the real one does. */
const port = parentPort;
if (!port) throw new Error('a worker thread only');
const players = new LevelPlayers();
port.on('message', (request: WorkerRequest) => {
  if (request.level === 1) throw new Error('crashing on purpose (test)');
  const reply: WorkerReply = { id: request.id, move: players.choose(request, { timeMs: request.timeMs }) };
  port.postMessage(reply);
});
