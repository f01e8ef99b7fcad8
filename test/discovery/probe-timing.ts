// Run inside a test namespace: looks for servers for 2 s and prints what it found as JSON.
import { findServers } from '../../src/discovery/finder.js';

const broadcastAddress = '255.255.255.255'; // only ever run inside a test network namespace (netns)
const servers = await findServers({ broadcastAddress, timeoutMs: 2000, all: true });
process.stdout.write(`${JSON.stringify(servers.map(({ fingerprint: _, ...server }) => server))}\n`);
