import { pino } from 'pino';
import { Announcer } from '../src/discovery/announcer.js';
import { findServers } from '../src/discovery/finder.js';

const PROBES = 10;

/**
 * How soon a server answers a probe, over loopback (127.255.255.255 is
 * loopback's broadcast address; a benchmark, like a test, never broadcasts on
 * the host's network): the median of ten probes, against a beacon a second.
 */
export async function benchDiscovery(): Promise<Array<[string, string]>> {
  const port = 40000 + (process.pid % 20000);
  const announcer = new Announcer({
    broadcastAddress: '127.255.255.255',
    sourcePort: 0,
    intervalMs: 60_000,
    listenPort: port,
    announcement: () => ({ lowest: 1, highest: 1, port: 8864, name: 'bench', tls: false }),
    log: pino({ level: 'silent' }),
  });
  await announcer.start();
  const answeredMs: number[] = [];
  try {
    for (let probe = 0; probe < PROBES; probe++) {
      const found = await findServers({ broadcastAddress: '127.255.255.255', timeoutMs: 300, all: true, port });
      const answer = found.find((server) => server.via === 'answer');
      if (answer) answeredMs.push(answer.afterMs);
    }
  } finally {
    announcer.stop();
  }
  answeredMs.sort((a, b) => a - b);
  const median = answeredMs[Math.floor(answeredMs.length / 2)];
  return [
    [
      'discovery probe answered (loopback, median of 10)',
      median === undefined ? 'NO ANSWER' : `${median.toFixed(1)} ms (${answeredMs.length} of ${PROBES} answered)`,
    ],
  ];
}
