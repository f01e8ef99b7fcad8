import { readFileSync } from 'node:fs';
import type { Server } from 'node:net';
import type { Logger } from 'pino';

/* The listening socket: its backlog, the start errors that say what to do, failed accepts. */

/** A failure to start that the operator can fix; the message says how. */
export class ServerStartError extends Error {}

/**
 * The kernel's queue of connections not yet accepted. After a restart every
 * player connects at once; with Node's default of 511 the rest of the SYNs
 * are dropped and retried after 1, 3, 7, 15, 31 s..., so players arrive a
 * minute late to a game whose grace has run out. Sized for every connection
 * the server may hold (the kernel caps it at net.core.somaxconn, 4096 on
 * current Linux).
 */
export function acceptBacklog(maxConnections: number): number {
  return Math.max(511, Math.min(maxConnections, 65_535));
}

/**
 * Listens on `address` (every interface, IPv4 and IPv6, when undefined; then
 * IPv4 alone where the machine has no IPv6); rejects with a ServerStartError.
 */
export async function listen(
  listener: Server,
  address: string | undefined,
  port: number,
  maxConnections: number,
): Promise<void> {
  const backlog = acceptBacklog(maxConnections);
  try {
    await listenOn(listener, port, address ?? '::', backlog);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (address === undefined && (code === 'EAFNOSUPPORT' || code === 'EADDRNOTAVAIL')) {
      await listenOn(listener, port, '0.0.0.0', backlog).catch((retry: unknown) => {
        throw startError(retry, port, '0.0.0.0');
      });
      return;
    }
    throw startError(error, port, address ?? '::');
  }
}

/** After listening, errors are failed accepts (EMFILE above all): logged, and the server keeps serving. */
export function logAcceptFailure(log: Logger, error: NodeJS.ErrnoException): void {
  if (error.code === 'EMFILE' || error.code === 'ENFILE') {
    log.error(
      'cannot accept a connection: too many open files; raise the limit (ulimit -n) or lower --max-connections',
    );
    return;
  }
  log.warn({ err: error.message }, 'cannot accept a connection');
}

/** Linux only: compares --max-connections with the open-file limit the process runs under. */
export function warnIfTooFewFiles(log: Logger, maxConnections: number): void {
  let limits: string;
  try {
    limits = readFileSync('/proc/self/limits', 'utf8');
  } catch {
    return;
  }
  const soft = Number(/^Max open files\s+(\d+)/m.exec(limits)?.[1]);
  const needed = maxConnections + 64;
  if (Number.isFinite(soft) && soft < needed) {
    log.warn(
      { openFileLimit: soft, maxConnections },
      `the open-file limit (${soft}) is below --max-connections; raise it with ulimit -n ${needed} or lower --max-connections`,
    );
  }
}

function listenOn(listener: Server, port: number, host: string, backlog: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    listener.once('error', onError);
    listener.listen({ port, host, ipv6Only: false, backlog }, () => {
      listener.off('error', onError);
      resolve();
    });
  });
}

function startError(error: unknown, port: number, host: string): ServerStartError {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EADDRINUSE':
      return new ServerStartError(`port ${port} is already in use; stop the other server or pass --listen-port`);
    case 'EACCES':
      return new ServerStartError(`no permission to listen on port ${port}; pass --listen-port with a port above 1023`);
    case 'EADDRNOTAVAIL':
      return new ServerStartError(`${host} is not an address of this machine; pass --listen-addr with one that is`);
    default:
      return new ServerStartError(`cannot listen on ${host} port ${port}: ${(error as Error).message}`);
  }
}
