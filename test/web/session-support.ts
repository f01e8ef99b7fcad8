import { toWireBoard } from '../../src/common/wire.js';
import type { Position } from '../../src/game/position.js';
import type { GameChoices } from '../../src/web/play/game-choices.js';
import type { PlayView } from '../../src/web/play/play-commands.js';
import type {
  ComputerRequest,
  StandardCommand,
  StandardLink,
  StandardLinkEvents,
} from '../../src/web/play/standard-link.js';
import { StandardSession } from '../../src/web/play/standard-session.js';
import { MemoryStorage } from './standard-support.js';

/** A version-2 link that records what the session sends and lets the test play the server. */
export class FakeLink implements StandardLink {
  ended = false;
  sent: Array<{ command: StandardCommand; args: unknown[] }> = [];
  constructor(readonly events: StandardLinkEvents) {}
  canSend(): boolean {
    return !this.ended;
  }
  #record(command: StandardCommand, ...args: unknown[]): void {
    this.sent.push({ command, args });
  }
  connect(username: string, password: string): void {
    this.#record('Connect', username, password);
  }
  resume(username: string, token: Uint8Array): void {
    this.#record('Resume', username, [...token]);
  }
  seek(control: { initialSeconds: number; incrementSeconds: number }): void {
    this.#record('Seek', control.initialSeconds, control.incrementSeconds);
  }
  leaveQueue(): void {
    this.#record('LeaveQueue');
  }
  movePath(squares: readonly number[]): void {
    this.#record('MovePath', [...squares]);
  }
  resign(): void {
    this.#record('Resign');
  }
  offerDraw(): void {
    this.#record('OfferDraw');
  }
  answerDraw(accept: boolean): void {
    this.#record('AnswerDraw', accept);
  }
  rematch(): void {
    this.#record('Rematch');
  }
  playComputer(request: ComputerRequest): void {
    this.#record(
      'PlayComputer',
      request.level,
      request.control.initialSeconds,
      request.rated,
      request.colour,
      request.opening,
    );
  }
  guest(): void {
    this.#record('Guest');
  }
  challenge(opponent: string, choices: GameChoices): void {
    this.#record('Challenge', opponent, choices.control.initialSeconds, choices.colour, choices.rated, choices.opening);
  }
  answerChallenge(id: number, accept: boolean): void {
    this.#record('AnswerChallenge', id, accept);
  }
  withdrawOffer(): void {
    this.#record('WithdrawOffer');
  }
  createInvite(choices: GameChoices): void {
    this.#record('CreateInvite', choices.control.initialSeconds, choices.colour, choices.rated, choices.opening);
  }
  joinInvite(code: Uint8Array): void {
    this.#record('JoinInvite', [...code]);
  }
  hint(): void {
    this.#record('Hint');
  }
  logout(): void {
    this.#record('LogOut');
  }
  close(): void {
    this.ended = true;
  }
  commands(): string[] {
    return this.sent.map((entry) => entry.command);
  }
  /** The server ends the connection. */
  drop(serverReason = ''): void {
    this.ended = true;
    this.events.closed('the connection was closed', false, serverReason);
  }
}

/** The session's timers on a manual clock: `advance` runs what falls due, in time order (also what they schedule). */
export class ManualTimers {
  pending: Array<{ at: number; run: () => void; handle: number }> = [];
  #next = 1;
  constructor(public time = 1_000_000) {}
  setTimeout(run: () => void, ms: number): unknown {
    const handle = this.#next++;
    this.pending.push({ at: this.time + ms, run, handle });
    return handle;
  }
  clearTimeout(handle: unknown): void {
    this.pending = this.pending.filter((timer) => timer.handle !== handle);
  }
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
    for (;;) {
      const due = this.pending.filter((timer) => timer.at <= this.time).sort((a, b) => a.at - b.at)[0];
      if (!due) return;
      this.pending = this.pending.filter((timer) => timer !== due);
      due.run();
    }
  }
}

export const TOKEN = Uint8Array.from({ length: 16 }, (_, i) => 200 - i);

export function setup(options: { storage?: MemoryStorage; tab?: MemoryStorage } = {}) {
  const links: FakeLink[] = [];
  const storage = options.storage ?? new MemoryStorage();
  const tab = options.tab ?? new MemoryStorage();
  const timers = new ManualTimers();
  const fallbacks: Array<[string, string | undefined]> = [];
  const session = new StandardSession({
    createLink: (events) => {
      const link = new FakeLink(events);
      links.push(link);
      return link;
    },
    storage,
    tabStorage: tab,
    timers,
    onVersion1: (username, password) => fallbacks.push([username, password]),
  });
  const views: PlayView[] = [];
  const plies: number[] = [];
  session.subscribe((view, shown) => {
    views.push(view);
    plies.push(shown.length);
  });
  const last = () => views[views.length - 1] as PlayView;
  const link = () => links[links.length - 1] as FakeLink;
  return { session, links, link, storage, tab, timers, views, plies, last, fallbacks };
}

export function turn(position: Position, viewer: 0 | 1, lastPath: number[] | null, my = 180_000, theirs = 180_000) {
  return {
    lastPath,
    board: toWireBoard(position, viewer),
    myClockMs: my,
    opponentClockMs: theirs,
    opponentOffersDraw: false,
  };
}

export function logIn(t: ReturnType<typeof setup>, gameFollows = false) {
  t.session.login('cam', 'mac');
  t.link().events.open();
  t.link().events.loggedIn({ token: TOKEN, rating: 1210, validSeconds: 30 * 86_400, gameFollows });
}

export function startGame(t: ReturnType<typeof setup>, color: 0 | 1, gameId = 41) {
  t.link().events.gameStart({
    opponent: 'jen',
    opponentRating: 1190,
    color,
    timeControl: { initialSeconds: 180, incrementSeconds: 2 },
    rated: true,
    gameId,
  });
}
