import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { type EndgameParts, LayeredTables } from '../game/engine/egdb/layered.js';
import type { WorkerEndgame, WorkerReply, WorkerRequest, WorkerSetup } from './bot-pool.js';
import { LevelPlayers } from './bot-thinker.js';

/** A BotPool thread: answers each request with the engine's move at the request's level and time. */
const port = parentPort;
if (!port) throw new Error('bot-worker.js runs only as a worker thread of BotPool');
// The lowest priority, for this thread only (Linux keeps a nice value per thread): when cores are short,
// the scheduler runs the event loop first, so the bot's search slows down instead of the players' moves.
try {
  setPriority(19);
} catch {
  // Not permitted here: the bot thinks at normal priority.
}
const setup = workerData as WorkerSetup;
const stop = new Int32Array(setup.stop);
const players = new LevelPlayers();
const useEndgame = (parts: EndgameParts) => players.useEndgame(LayeredTables.of(parts));
if (setup.endgame) useEndgame(setup.endgame);
port.on('message', (request: WorkerRequest | WorkerEndgame) => {
  if ('endgame' in request) {
    useEndgame(request.endgame);
    return;
  }
  const reply: WorkerReply = { id: request.id, move: players.choose(request, { timeMs: request.timeMs, stop }) };
  port.postMessage(reply);
});
