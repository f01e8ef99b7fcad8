import { once } from 'node:events';
import { createWebSocketStream, WebSocket } from 'ws';
import type { ProtocolVersion } from '../../src/protocol/index.js';
import { addPlayers, TEST_PASSWORD } from './accounts.js';
import { RawClient } from './raw-client.js';
import type { TestServer } from './test-server.js';
import { within } from './wait.js';

/** A version-1 peer over a WebSocket on /play, as a browser connects, with every frame it received kept. */
export interface WsPeer {
  readonly socket: WebSocket;
  /** The version-1 byte stream over the socket (writes go as binary frames). */
  readonly client: RawClient;
  /** Each binary frame received, in order. */
  readonly frames: Buffer[];
  /** Resolves with the close code and reason once the socket is closed. */
  readonly closed: Promise<{ code: number; reason: string }>;
  /** The close code and reason; rejects if the socket is still open after `timeoutMs`. */
  closedWithin(timeoutMs: number): Promise<{ code: number; reason: string }>;
}

/** Opens `ws://127.0.0.1:PORT/play` (or wss with `ca`); rejects when the upgrade is refused. */
export async function connectWs(
  port: number,
  options: {
    origin?: string;
    ca?: string;
    path?: string;
    host?: string;
    localAddress?: string;
    /** The protocol version the peer decodes (default 1). */
    version?: ProtocolVersion;
  } = {},
): Promise<WsPeer> {
  const scheme = options.ca ? 'wss' : 'ws';
  const socket = new WebSocket(`${scheme}://${options.host ?? '127.0.0.1'}:${port}${options.path ?? '/play'}`, {
    ...(options.origin ? { origin: options.origin } : {}),
    ...(options.ca ? { ca: options.ca } : {}),
    ...(options.localAddress ? { localAddress: options.localAddress } : {}),
    handshakeTimeout: 5000,
  });
  const frames: Buffer[] = [];
  socket.on('message', (data: Buffer) => frames.push(Buffer.from(data)));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.once('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') })),
  );
  await once(socket, 'open');
  const stream = createWebSocketStream(socket);
  stream.on('error', () => {});
  return {
    socket,
    client: RawClient.over(stream, options.version ?? 1),
    frames,
    closed,
    closedWithin: (timeoutMs) => within(closed, timeoutMs, 'still open'),
  };
}

/** The HTTP status a refused upgrade got (the promise rejects if the upgrade succeeds). */
export async function upgradeRefusal(port: number, options: { origin?: string; path?: string } = {}): Promise<number> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}${options.path ?? '/play'}`, {
    ...(options.origin ? { origin: options.origin } : {}),
    handshakeTimeout: 5000,
  });
  return new Promise((resolve, reject) => {
    socket.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('open', () => {
      socket.terminate();
      reject(new Error('the upgrade was accepted'));
    });
    socket.once('error', (error) => reject(error));
  });
}

/**
 * Two fresh accounts (`prefix`1 and `prefix`2) logged in one after the other:
 * the first in a browser's way (/play), the second on TCP. They meet in one
 * queue; on equal ratings the /play player waited longer and plays Black.
 */
export async function wsAndTcpPlayers(
  server: TestServer,
  prefix: string,
): Promise<{ browser: WsPeer; terminal: RawClient; names: [string, string] }> {
  const [wsName = '', tcpName = ''] = await addPlayers(server.store, prefix, 2);
  const browser = await connectWs(server.port);
  await browser.client.login(wsName, TEST_PASSWORD);
  const terminal = await RawClient.connect(server.port);
  await terminal.login(tcpName, TEST_PASSWORD);
  return { browser, terminal, names: [wsName, tcpName] };
}
