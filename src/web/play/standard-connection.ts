import { ClientProtocol } from '../../client-core/client-protocol.js';
import { type MessageV2, StreamDecoder } from '../../protocol/index.js';
import { colourOfWire, colourWire, type GameChoices, openingOfWire, openingWire } from './game-choices.js';
import type { SocketFactory, SocketLike } from './socket-connection.js';
import type { ComputerRequest, StandardCommand, StandardLink, StandardLinkEvents } from './standard-link.js';
import type { TimeControl } from './time-controls.js';

/** The wire fields of a game's choices, as PlayComputer, Challenge and CreateInvite carry them. */
function choiceFields(choices: GameChoices) {
  return {
    initialSeconds: choices.control.initialSeconds,
    incrementSeconds: choices.control.incrementSeconds,
    colour: colourWire(choices.colour),
    rated: choices.rated,
    opening: openingWire(choices.opening),
  };
}

/** LoggedIn.flags bit 0: a game is in progress and GameStart2 follows. */
const GAME_FOLLOWS = 0b1;
/** YourMove/TheirMove.flags bit 0: the opponent offers a draw. */
const DRAW_OFFERED = 0b1;

/**
 * A version-2 protocol client over a WebSocket whose binary messages carry
 * the protocol's bytes: the version-2 decoder and state machine, no screen.
 * What the server sends is checked against the version-2 state machine; a
 * violation closes the socket. After our LogOut, what the server had already
 * sent is dropped rather than treated as an error (client-core's
 * ClientProtocol, shared with the terminal client).
 */
export class StandardConnection implements StandardLink {
  readonly #protocol = ClientProtocol.forVersion(2);
  readonly #decoder = StreamDecoder.forVersion(2);
  readonly #socket: SocketLike;
  #ended = false;

  constructor(
    url: string,
    private readonly events: StandardLinkEvents,
    createSocket: SocketFactory,
  ) {
    this.#socket = createSocket(url);
    this.#socket.binaryType = 'arraybuffer';
    this.#socket.onopen = () => this.events.open();
    this.#socket.onmessage = (event) => this.#onData(event.data);
    this.#socket.onerror = () => this.#end('the connection to the server failed', false);
    this.#socket.onclose = (event) =>
      this.#end(
        event.reason ? `the server closed the connection: ${event.reason}` : 'the connection was closed',
        false,
        event.reason,
      );
  }

  get ended(): boolean {
    return this.#ended;
  }

  canSend(command: StandardCommand): boolean {
    return !this.#ended && this.#protocol.canSend(command);
  }

  connect(username: string, password: string): void {
    this.#send({ type: 'Connect', version: 2, username, password });
  }

  resume(username: string, token: Uint8Array): void {
    this.#send({ type: 'Resume', version: 2, username, token });
  }

  seek(control: TimeControl): void {
    this.#send({ type: 'Seek', initialSeconds: control.initialSeconds, incrementSeconds: control.incrementSeconds });
  }

  leaveQueue(): void {
    this.#send({ type: 'LeaveQueue' });
  }

  movePath(squares: readonly number[]): void {
    this.#send({ type: 'MovePath', path: [...squares] });
  }

  resign(): void {
    this.#send({ type: 'Resign' });
  }

  offerDraw(): void {
    this.#send({ type: 'OfferDraw' });
  }

  answerDraw(accept: boolean): void {
    this.#send({ type: 'AnswerDraw', accept });
  }

  rematch(): void {
    this.#send({ type: 'Rematch' });
  }

  playComputer(request: ComputerRequest): void {
    this.#send({ type: 'PlayComputer', level: request.level, ...choiceFields(request) });
  }

  guest(): void {
    this.#send({ type: 'Guest', version: 2 });
  }

  challenge(opponent: string, choices: GameChoices): void {
    this.#send({ type: 'Challenge', opponent, ...choiceFields(choices) });
  }

  answerChallenge(challengeId: number, accept: boolean): void {
    this.#send({ type: 'AnswerChallenge', challengeId, accept });
  }

  withdrawOffer(): void {
    this.#send({ type: 'WithdrawOffer' });
  }

  createInvite(choices: GameChoices): void {
    this.#send({ type: 'CreateInvite', ...choiceFields(choices) });
  }

  joinInvite(code: Uint8Array): void {
    this.#send({ type: 'JoinInvite', code });
  }

  hint(): void {
    this.#send({ type: 'Hint' });
  }

  logout(): void {
    this.#send({ type: 'LogOut' });
  }

  close(): void {
    this.#end('closed by the client', false);
  }

  #send(message: MessageV2): void {
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

  #receive(message: MessageV2): void {
    const receipt = this.#protocol.receive(message);
    if (receipt.kind === 'drop') return;
    if (receipt.kind === 'violation') {
      this.#end(`the server broke the protocol: ${receipt.reason}`, true);
      return;
    }
    this.#deliver(message);
  }

  #deliver(message: MessageV2): void {
    const events = this.events;
    switch (message.type) {
      case 'LoggedIn':
        events.loggedIn({
          token: message.token,
          rating: message.rating,
          validSeconds: message.tokenSeconds,
          gameFollows: (message.flags & GAME_FOLLOWS) !== 0,
        });
        return;
      case 'InvalidLogin':
        events.invalidLogin(message.reason);
        return;
      case 'InvalidVersion':
        events.invalidVersion(message.highest, message.lowest);
        return;
      case 'QueuePosition':
        events.queuePosition({ size: message.queueSize, position: message.position, rating: message.rating });
        return;
      case 'GameStart2':
        events.gameStart({
          opponent: message.opponent,
          opponentRating: message.opponentRating,
          color: message.colour === 1 ? 1 : 0,
          timeControl: { initialSeconds: message.initialSeconds, incrementSeconds: message.incrementSeconds },
          rated: message.rated,
          gameId: message.gameId,
        });
        return;
      case 'YourMove':
      case 'TheirMove':
        events.turn(
          {
            lastPath: message.lastPath,
            board: message.board,
            myClockMs: message.yourClockMs,
            opponentClockMs: message.opponentClockMs,
            opponentOffersDraw: (message.flags & DRAW_OFFERED) !== 0,
          },
          message.type === 'YourMove',
        );
        return;
      case 'IllegalMove':
        events.illegalMove(message.path, message.reason);
        return;
      case 'DrawOffered':
        events.drawOffered();
        return;
      case 'DrawDeclined':
        events.drawDeclined();
        return;
      case 'GameOver2':
        events.gameOver({
          result: message.result,
          reason: message.reason,
          newRating: message.newRating,
          oldRating: message.oldRating,
          rated: message.rated,
          lastPath: message.lastPath,
          board: message.board,
        });
        return;
      case 'RematchOffered':
        events.rematchOffered();
        return;
      case 'RematchGone':
        events.rematchGone();
        return;
      case 'OpponentAway':
        events.opponentAway(message.graceSeconds);
        return;
      case 'OpponentBack':
        events.opponentBack();
        return;
      case 'ComputerBusy':
        events.computerBusy();
        return;
      case 'GuestLoggedIn':
        events.guestLoggedIn({ name: message.name, token: message.token, validSeconds: message.tokenSeconds });
        return;
      case 'ChallengeOffered':
        events.challengeOffered({
          id: message.challengeId,
          from: message.challenger,
          rating: message.challengerRating,
          control: { initialSeconds: message.initialSeconds, incrementSeconds: message.incrementSeconds },
          colour: colourOfWire(message.colour),
          rated: message.rated,
          opening: openingOfWire(message.opening),
        });
        return;
      case 'ChallengeGone':
        events.challengeGone(message.challengeId);
        return;
      case 'ChallengeDeclined':
        events.challengeDeclined(message.reason);
        return;
      case 'InviteCreated':
        events.inviteCreated({ code: message.code, validSeconds: message.validSeconds });
        return;
      case 'InviteRefused':
        events.inviteRefused(message.reason);
        return;
      case 'HintMove':
        events.hintMove(message.path);
        return;
      default:
        return;
    }
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
    this.events.closed(reason, protocolError, serverReason);
  }
}
