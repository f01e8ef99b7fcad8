import { parentPort, Worker, workerData } from 'node:worker_threads';
import { Attack, type AttackName, type AttackOptions, type AttackReport } from './attacks.js';

/**
 * Runs one attack on its own thread, so that pumping hundreds of MiB into
 * sockets does not delay the honest players' event loop in the main thread
 * (which would show up as server latency that is not the server's).
 */
export class AttackThread {
  readonly #worker: Worker;

  constructor(name: AttackName, options: AttackOptions) {
    this.#worker = new Worker(new URL(import.meta.url), { workerData: { name, options } });
  }

  stop(): Promise<AttackReport> {
    return new Promise((resolve, reject) => {
      this.#worker.once('message', (report: AttackReport) => {
        void this.#worker.terminate();
        resolve(report);
      });
      this.#worker.once('error', reject);
      this.#worker.postMessage('stop');
    });
  }
}

if (parentPort && workerData?.name) {
  const port = parentPort;
  const { name, options } = workerData as { name: AttackName; options: AttackOptions };
  const attack = new Attack(name, options);
  attack.start();
  port.once('message', () => port.postMessage(attack.stop()));
}
