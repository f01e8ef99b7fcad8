import { ClientProtocol } from '../../client-core/client-protocol.js';
import {
  type Message,
  type MessageOfType,
  type ProtocolState,
  type ServerMessageName,
  StreamDecoder,
} from '../../protocol/index.js';

/**
 * The part of the browser's WebSocket this client uses, so that the protocol
 * client runs under node's test runner with a fake socket.
 */
export interface SocketLike {
  binaryType: string;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: (() => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: (() => void) | null;
}

export type SocketFactory = (url: string) => SocketLike;

/** What the server sent, one handler per message it may send. */
export type ServerMessageHandlers = {
  [N in ServerMessageName]?: (message: MessageOfType<N>) => void;
};

export interface SocketConnectionHandlers extends ServerMessageHandlers {
  open?: () => void;
  /**
   * Once, when the connection ends for whatever reason; `protocolError` when the server broke the
   * protocol; `serverReason` is the reason in the server's close frame, if it sent one (`takeover`, say).
   */
  closed?: (reason: string, protocolError: boolean, serverReason?: string) => void;
}

/** The WebSocket address of the game endpoint on the page's own host: ws: for http:, wss: for https:. */
export function playUrl(location: { protocol: string; host: string }): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/play`;
}

/**
 * A version-1 protocol client over a WebSocket whose binary messages carry
 * the protocol's bytes (the browser's counterpart of src/client/connection.ts):
 * the same decoder and ClientProtocol, no screen. What the server
 * sends is checked against the state machine; a violation closes the socket.
 */
export class SocketConnection {
  readonly #protocol = new ClientProtocol();
  readonly #decoder = new StreamDecoder();
  readonly #socket: SocketLike;
  #ended = false;

  constructor(
    url: string,
    readonly handlers: SocketConnectionHandlers,
    createSocket: SocketFactory,
  ) {
    this.#socket = createSocket(url);
    this.#socket.binaryType = 'arraybuffer';
    this.#socket.onopen = () => this.handlers.open?.();
    this.#socket.onmessage = (event) => this.#onData(event.data);
    this.#socket.onerror = () => this.#end('the connection to the server failed', false);
    this.#socket.onclose = (event) =>
      this.#end(
        event.reason ? `the server closed the connection: ${event.reason}` : 'the connection was closed',
        false,
        event.reason,
      );
  }

  get state(): ProtocolState {
    return this.#protocol.state;
  }

  get ended(): boolean {
    return this.#ended;
  }

  canSend(message: Message['type']): boolean {
    return !this.#ended && this.#protocol.canSend(message);
  }

  login(username: string, password: string): void {
    this.#send({ type: 'Connect', version: 1, username, password });
  }

  move(move: number): void {
    this.#send({ type: 'MakeMove', move });
  }

  requeue(): void {
    this.#send({ type: 'ReQueue' });
  }

  logout(): void {
    this.#send({ type: 'LogOut' });
  }

  close(): void {
    this.#end('closed by the client', false);
  }

  #send(message: Message): void {
    if (this.#ended) throw new Error('the connection is closed');
    const sending = this.#protocol.send(message);
    if (!sending.ok) throw new Error(sending.reason);
    this.#socket.send(sending.bytes);
  }

  #onData(data: unknown): void {
    if (this.#ended) return;
    if (!(data instanceof ArrayBuffer)) {
      this.#end('the server broke the protocol: it sent text instead of bytes', true);
      return;
    }
    this.#decoder.push(new Uint8Array(data));
    for (;;) {
      if (this.#ended) return;
      const result = this.#decoder.next();
      if (result.kind === 'incomplete') return;
      if (result.kind === 'error') {
        this.#end(`the server broke the protocol: ${result.error.text}`, true);
        return;
      }
      this.#receive(result.message);
    }
  }

  #receive(message: Message): void {
    const receipt = this.#protocol.receive(message);
    if (receipt.kind === 'drop') return;
    if (receipt.kind === 'violation') {
      this.#end(`the server broke the protocol: ${receipt.reason}`, true);
      return;
    }
    const handler = this.handlers[message.type as ServerMessageName] as ((message: Message) => void) | undefined;
    handler?.(message);
  }

  #end(reason: string, protocolError: boolean, serverReason?: string): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#socket.onopen = null;
    this.#socket.onmessage = null;
    this.#socket.onclose = null;
    this.#socket.onerror = null;
    try {
      this.#socket.close(protocolError ? 4000 : 1000);
    } catch {
      // Closing a socket that never opened may throw in some browsers; it is closed either way.
    }
    this.handlers.closed?.(reason, protocolError, serverReason);
  }
}
