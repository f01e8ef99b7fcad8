import { createSocket, type Socket } from 'node:dgram';
import { DISCOVERY_PORT } from './announcer.js';
import { decodeDatagram, encodeProbe } from './payload.js';

export interface FoundServer {
  readonly address: string;
  /** TCP port of the game service; a version-1 beacon means the default port. */
  readonly port: number;
  readonly name: string | undefined;
  readonly lowest: number;
  readonly highest: number;
  readonly tls: boolean;
  readonly fingerprint?: Uint8Array | undefined;
  /** The node's name when the server is a cluster of nodes (all announce the cluster's `name`). */
  readonly node?: string | undefined;
  /** How it was heard: an answer to our probe, or a beacon. */
  readonly via: 'answer' | 'beacon';
  /** Milliseconds from the start of the search. */
  readonly afterMs: number;
}

export interface FindOptions {
  readonly broadcastAddress: string;
  readonly timeoutMs: number;
  /** Keep listening for the whole timeout (to list every server); otherwise stop shortly after the first. */
  readonly all: boolean;
  /** After the first server, how long to wait for others answering the same probe. */
  readonly settleMs?: number;
  /** The discovery port (tests may change it). */
  readonly port?: number;
}

/**
 * Finds servers on the local network: broadcasts a probe from its own socket
 * (servers answer there, directly) and listens on the discovery port for
 * beacons, where any datagram from a version-1 server counts. Probes are
 * repeated every second while listening.
 */
export async function findServers(options: FindOptions): Promise<FoundServer[]> {
  const port = options.port ?? DISCOVERY_PORT;
  const started = performance.now();
  const found = new Map<string, FoundServer>();
  const listener = await bindOrUndefined(port);
  const prober = await bindOrUndefined(0);
  if (!listener && !prober) throw new Error(`cannot use UDP on this machine to look for servers`);
  return new Promise((resolve) => {
    let settleTimer: NodeJS.Timeout | undefined;
    const finish = () => {
      clearTimeout(deadline);
      clearInterval(probing);
      if (settleTimer) clearTimeout(settleTimer);
      listener?.close();
      prober?.close();
      resolve([...found.values()].sort((a, b) => a.afterMs - b.afterMs));
    };
    const heard = (via: FoundServer['via']) => (payload: Buffer, sender: { address: string }) => {
      const datagram = decodeDatagram(payload);
      if (datagram.kind === 'probe') return;
      const server: FoundServer =
        datagram.kind === 'announcement'
          ? {
              address: sender.address,
              port: datagram.announcement.port,
              name: datagram.announcement.name || undefined,
              lowest: datagram.announcement.lowest,
              highest: datagram.announcement.highest,
              tls: datagram.announcement.tls,
              fingerprint: datagram.announcement.fingerprint,
              node: datagram.announcement.node,
              via,
              afterMs: performance.now() - started,
            }
          : {
              address: sender.address,
              port: DISCOVERY_PORT,
              name: undefined,
              lowest: 1,
              highest: 1,
              tls: false,
              via,
              afterMs: performance.now() - started,
            };
      const key = `${server.address}:${server.port}`;
      if (!found.has(key)) found.set(key, server);
      if (!options.all && !settleTimer) settleTimer = setTimeout(finish, options.settleMs ?? 250);
    };
    listener?.on('message', heard('beacon'));
    prober?.on('message', heard('answer'));
    const probe = () => prober?.send(encodeProbe(), port, options.broadcastAddress, () => {});
    probe();
    const probing = setInterval(probe, 1000);
    const deadline = setTimeout(finish, options.timeoutMs);
  });
}

function bindOrUndefined(port: number): Promise<Socket | undefined> {
  const socket = createSocket({ type: 'udp4', reuseAddr: true });
  return new Promise((resolve) => {
    socket.once('error', () => {
      socket.close();
      resolve(undefined);
    });
    socket.bind(port, () => {
      socket.setBroadcast(true);
      socket.on('error', () => {});
      resolve(socket);
    });
  });
}

/** A server found, with the other nodes of its cluster (none for a single server). */
export type FoundGroup = FoundServer & { readonly sameCluster: readonly FoundServer[] };

/**
 * The nodes of one cluster (announcing a node name and the same server name)
 * as one server: the first heard, with the others as further addresses.
 */
export function groupByCluster(servers: readonly FoundServer[]): FoundGroup[] {
  const groups: FoundGroup[] = [];
  const clusters = new Map<string, FoundServer[]>();
  for (const server of servers) {
    if (server.node === undefined || server.name === undefined) {
      groups.push({ ...server, sameCluster: [] });
      continue;
    }
    const nodes = clusters.get(server.name);
    if (nodes) {
      nodes.push(server);
      continue;
    }
    const others: FoundServer[] = [];
    clusters.set(server.name, others);
    groups.push({ ...server, sameCluster: others });
  }
  return groups;
}
