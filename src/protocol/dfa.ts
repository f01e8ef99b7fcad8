import {
  type AnyMessageName,
  definitionFor,
  MESSAGE_NAMES,
  MESSAGE_NAMES_V2,
  type MessageName,
  type MessageNameV2,
  type ProtocolVersion,
} from './messages.js';

/**
 * The state machines of PROTOCOL.md section 4 (version 1) and section 12.3
 * (version 2), one table per version for both roles.
 *
 * Two rows of the specification depend on a decision only the server makes
 * (Connect accepted or refused, MakeMove legal or illegal). Such a message
 * leaves the machine "awaiting an outcome"; the server resolves it explicitly,
 * or the reply settles it (QueuePosition = accepted, InvalidLogin and
 * InvalidVersion = refused, InvalidMove = illegal, anything else after a
 * MakeMove = legal). That way the client tracks the same states from what it
 * receives, with the same code.
 */
export const PROTOCOL_STATES = ['Unauthenticated', 'InQueue', 'Processing', 'UserMove', 'GameEnd'] as const;
export type ProtocolState = (typeof PROTOCOL_STATES)[number];
export const PROTOCOL_STATES_V2 = ['Unauthenticated', 'Lobby', 'InQueue', 'Waiting', 'Moving', 'GameEnd'] as const;
export type ProtocolStateV2 = (typeof PROTOCOL_STATES_V2)[number];
export type AnyProtocolState = ProtocolState | ProtocolStateV2;

/** The states of version V. */
export type StateOf<V extends ProtocolVersion> = V extends 1 ? ProtocolState : ProtocolStateV2;
/** The message names of version V. */
export type MessageNameOf<V extends ProtocolVersion> = V extends 1 ? MessageName : MessageNameV2;

export type Role = 'server' | 'client';
export type Action = 'send' | 'receive';
export type Outcome = 'accepted' | 'refused' | 'legal' | 'illegal';

export interface TransitionRule<S extends AnyProtocolState = ProtocolState, M extends AnyMessageName = MessageName> {
  readonly from: S;
  readonly message: M;
  readonly outcome?: Outcome;
  readonly to: S;
  /** Replies that settle `outcome` when they follow the message. */
  readonly replies?: readonly M[];
  /** The message is tolerated and has no effect. */
  readonly ignored?: boolean;
}

export const TRANSITIONS: readonly TransitionRule[] = [
  {
    from: 'Unauthenticated',
    message: 'Connect',
    outcome: 'accepted',
    to: 'InQueue',
    replies: ['QueuePosition'],
  },
  {
    from: 'Unauthenticated',
    message: 'Connect',
    outcome: 'refused',
    to: 'Unauthenticated',
    replies: ['InvalidLogin', 'InvalidVersion'],
  },
  { from: 'InQueue', message: 'QueuePosition', to: 'InQueue' },
  { from: 'InQueue', message: 'GameStart', to: 'Processing' },
  { from: 'InQueue', message: 'LogOut', to: 'Unauthenticated' },
  { from: 'Processing', message: 'CompulsoryMove', to: 'Processing' },
  { from: 'Processing', message: 'YourTurn', to: 'UserMove' },
  { from: 'Processing', message: 'GameOver', to: 'GameEnd' },
  { from: 'Processing', message: 'OpponentDisconnect', to: 'GameEnd' },
  { from: 'Processing', message: 'LogOut', to: 'Unauthenticated' },
  { from: 'UserMove', message: 'MakeMove', outcome: 'legal', to: 'Processing' },
  { from: 'UserMove', message: 'MakeMove', outcome: 'illegal', to: 'UserMove', replies: ['InvalidMove'] },
  { from: 'UserMove', message: 'OpponentDisconnect', to: 'GameEnd' },
  { from: 'UserMove', message: 'GameOver', to: 'GameEnd' },
  { from: 'UserMove', message: 'LogOut', to: 'Unauthenticated' },
  { from: 'GameEnd', message: 'ReQueue', to: 'InQueue' },
  { from: 'GameEnd', message: 'LogOut', to: 'Unauthenticated' },
  { from: 'GameEnd', message: 'MakeMove', to: 'GameEnd', ignored: true },
];

type RuleV2 = TransitionRule<ProtocolStateV2, MessageNameV2>;
const IN_GAME = ['Waiting', 'Moving'] as const;
/** Where a player may challenge, make or join an invite, and hear the answers. */
const OFFERING = ['Lobby', 'GameEnd'] as const;

/** Rules `message` -> same state for each of `states`. */
function loops(states: readonly ProtocolStateV2[], messages: readonly MessageNameV2[], ignored = false): RuleV2[] {
  return states.flatMap((from) => messages.map((message) => ({ from, message, to: from, ignored })));
}

/** Version 2 (docs/PROTOCOL.md section 12.3). */
export const TRANSITIONS_V2: readonly RuleV2[] = [
  ...(['Connect', 'Resume'] as const).flatMap((message): RuleV2[] => [
    { from: 'Unauthenticated', message, outcome: 'accepted', to: 'Lobby', replies: ['LoggedIn'] },
    {
      from: 'Unauthenticated',
      message,
      outcome: 'refused',
      to: 'Unauthenticated',
      replies: ['InvalidLogin', 'InvalidVersion'],
    },
  ]),
  { from: 'Lobby', message: 'Seek', to: 'InQueue' },
  { from: 'Lobby', message: 'GameStart2', to: 'Waiting' },
  { from: 'Lobby', message: 'LogOut', to: 'Unauthenticated' },
  ...loops(['Lobby', 'GameEnd'], ['PlayComputer', 'ComputerBusy']),
  { from: 'InQueue', message: 'QueuePosition', to: 'InQueue' },
  { from: 'InQueue', message: 'GameStart2', to: 'Waiting' },
  { from: 'InQueue', message: 'LeaveQueue', to: 'Lobby' },
  { from: 'InQueue', message: 'LogOut', to: 'Unauthenticated' },
  { from: 'Waiting', message: 'YourMove', to: 'Moving' },
  { from: 'Waiting', message: 'TheirMove', to: 'Waiting' },
  ...loops(IN_GAME, [
    'DrawOffered',
    'DrawDeclined',
    'OpponentAway',
    'OpponentBack',
    'OfferDraw',
    'AnswerDraw',
    'Resign',
  ]),
  ...loops(IN_GAME, ['Seek', 'LeaveQueue', 'PlayComputer'], true),
  ...IN_GAME.flatMap((from): RuleV2[] => [
    { from, message: 'GameOver2', to: 'GameEnd' },
    { from, message: 'LogOut', to: 'Unauthenticated' },
  ]),
  { from: 'Moving', message: 'MovePath', outcome: 'legal', to: 'Waiting' },
  { from: 'Moving', message: 'MovePath', outcome: 'illegal', to: 'Moving', replies: ['IllegalMove'] },
  { from: 'GameEnd', message: 'Seek', to: 'InQueue' },
  ...loops(['GameEnd'], ['Rematch', 'RematchOffered', 'RematchGone']),
  { from: 'GameEnd', message: 'GameStart2', to: 'Waiting' },
  { from: 'GameEnd', message: 'LogOut', to: 'Unauthenticated' },
  ...loops(['GameEnd'], ['MovePath', 'OfferDraw', 'AnswerDraw', 'Resign'], true),
  ...loops(['GameEnd'], ['LeaveQueue'], true),
  // Guests, challenges, invite links and hints (docs/PROTOCOL.md 12.3, the rows after LeaveQueue).
  { from: 'Unauthenticated', message: 'Guest', outcome: 'accepted', to: 'Lobby', replies: ['GuestLoggedIn'] },
  {
    from: 'Unauthenticated',
    message: 'Guest',
    outcome: 'refused',
    to: 'Unauthenticated',
    replies: ['InvalidLogin', 'InvalidVersion'],
  },
  ...loops(OFFERING, ['Challenge', 'CreateInvite', 'JoinInvite', 'WithdrawOffer']),
  ...loops(OFFERING, ['ChallengeDeclined', 'InviteCreated', 'InviteRefused']),
  ...loops(['Lobby', 'InQueue', 'GameEnd'], ['ChallengeOffered', 'ChallengeGone', 'AnswerChallenge']),
  ...loops(['Moving'], ['Hint']),
  ...loops(['GameEnd'], ['Hint'], true),
  // A Rematch too: one of the player's offers was taken (or they accepted a challenge) as they asked for a rematch.
  ...loops(IN_GAME, ['Challenge', 'CreateInvite', 'JoinInvite', 'WithdrawOffer', 'AnswerChallenge', 'Rematch'], true),
  ...loops(['InQueue'], ['WithdrawOffer'], true),
  ...loops(['Moving', 'Waiting', 'GameEnd'], ['HintMove']),
];

interface VersionTable {
  readonly rules: readonly TransitionRule<AnyProtocolState, AnyMessageName>[];
  readonly names: ReadonlySet<AnyMessageName>;
}

const TABLES: Readonly<Record<ProtocolVersion, VersionTable>> = {
  1: { rules: TRANSITIONS, names: new Set(MESSAGE_NAMES) },
  2: { rules: TRANSITIONS_V2, names: new Set(MESSAGE_NAMES_V2) },
};

export type Transition<S extends AnyProtocolState = ProtocolState, M extends AnyMessageName = MessageName> =
  | { readonly kind: 'next'; readonly to: S; readonly ignored: boolean }
  | { readonly kind: 'decide'; readonly rules: readonly TransitionRule<S, M>[] }
  | { readonly kind: 'error'; readonly reason: string };

/** Which role sends a message, from the message table. */
export function senderOf(message: AnyMessageName): Role {
  return definitionFor(message).direction === 'toServer' ? 'client' : 'server';
}

/**
 * The pure table lookup: what happens when `role`, in `state`, sends or
 * receives `message` (in version 1 unless `version` says otherwise).
 */
export function transition(role: Role, state: ProtocolState, action: Action, message: MessageName): Transition;
export function transition<V extends ProtocolVersion>(
  role: Role,
  state: StateOf<V>,
  action: Action,
  message: MessageNameOf<V>,
  version: V,
): Transition<StateOf<V>, MessageNameOf<V>>;
export function transition(
  role: Role,
  state: AnyProtocolState,
  action: Action,
  message: AnyMessageName,
  version: ProtocolVersion = 1,
): Transition<AnyProtocolState, AnyMessageName> {
  const sender = action === 'send' ? role : role === 'server' ? 'client' : 'server';
  const table = TABLES[version];
  if (!table.names.has(message)) return { kind: 'error', reason: `${message} is not a version-${version} message` };
  if (senderOf(message) !== sender) {
    return { kind: 'error', reason: `${message} is never sent by the ${sender}` };
  }
  const rules = table.rules.filter((rule) => rule.from === state && rule.message === message);
  const [first] = rules;
  if (!first) return { kind: 'error', reason: `${message} is not allowed in state ${state}` };
  if (first.outcome !== undefined) return { kind: 'decide', rules };
  return { kind: 'next', to: first.to, ignored: first.ignored === true };
}

export type StepResult<S extends AnyProtocolState = ProtocolState> =
  | { readonly ok: true; readonly state: S; readonly ignored: boolean; readonly awaiting: boolean }
  | { readonly ok: false; readonly reason: string };

type AnyRule = TransitionRule<AnyProtocolState, AnyMessageName>;

/**
 * One connection's protocol state, from one side's point of view, in one
 * version (1 unless given): `new ProtocolMachine('client', 'Unauthenticated', 2)`.
 * A server that learns the version from a Connect or Resume makes a machine
 * of that version before it steps the login.
 */
export class ProtocolMachine<V extends ProtocolVersion = 1> {
  #state: AnyProtocolState;
  #awaiting: readonly AnyRule[] | undefined;
  readonly version: V;

  constructor(role: Role, state?: StateOf<V>, version?: V);
  constructor(
    readonly role: Role,
    state: AnyProtocolState = 'Unauthenticated',
    version: ProtocolVersion = 1,
  ) {
    this.#state = state;
    this.version = version as V;
  }

  get state(): StateOf<V> {
    return this.#state as StateOf<V>;
  }

  /** The request whose outcome is not yet known, if any. */
  get awaitingOutcomeOf(): MessageNameOf<V> | undefined {
    return this.#awaiting?.[0]?.message as MessageNameOf<V> | undefined;
  }

  /** Checks and applies a message this side sends. */
  send(message: MessageNameOf<V>): StepResult<StateOf<V>> {
    return this.#step('send', message);
  }

  /** Checks and applies a message this side receives. */
  receive(message: MessageNameOf<V>): StepResult<StateOf<V>> {
    return this.#step('receive', message);
  }

  /** Settles the pending request with the outcome the server decided. */
  resolve(outcome: Outcome): StepResult<StateOf<V>> {
    const rule = this.#awaiting?.find((candidate) => candidate.outcome === outcome);
    if (!rule) return { ok: false, reason: `no request awaits the outcome ${outcome}` };
    this.#awaiting = undefined;
    this.#state = rule.to;
    return this.#ok(false);
  }

  /** Asks without changing anything whether this side may send `message` now. */
  canSend(message: MessageNameOf<V>): boolean {
    const saved = { state: this.#state, awaiting: this.#awaiting };
    const result = this.send(message);
    this.#state = saved.state;
    this.#awaiting = saved.awaiting;
    return result.ok;
  }

  #lookup(
    state: AnyProtocolState,
    action: Action,
    message: AnyMessageName,
  ): Transition<AnyProtocolState, AnyMessageName> {
    return transition<ProtocolVersion>(this.role, state as never, action, message as never, this.version);
  }

  #step(action: Action, message: AnyMessageName): StepResult<StateOf<V>> {
    if (this.#awaiting) return this.#stepWhileAwaiting(action, message);
    const result = this.#lookup(this.#state, action, message);
    switch (result.kind) {
      case 'error':
        return { ok: false, reason: result.reason };
      case 'decide':
        this.#awaiting = result.rules;
        return this.#ok(false);
      case 'next':
        this.#state = result.to;
        return this.#ok(result.ignored);
    }
  }

  #stepWhileAwaiting(action: Action, message: AnyMessageName): StepResult<StateOf<V>> {
    const rules = this.#awaiting ?? [];
    const request = rules[0]?.message ?? 'request';
    if (senderOf(message) === 'client') {
      // A client message is fine only if it means the same whatever the outcome (LogOut after MakeMove),
      const targets = rules.map((rule) => this.#lookup(rule.to, action, message));
      const [first] = targets;
      if (first?.kind === 'next' && targets.every((t) => t.kind === 'next' && t.to === first.to)) {
        this.#awaiting = undefined;
        this.#state = first.to;
        return this.#ok(first.ignored);
      }
      // or leaves every outcome's state as it is (Resign or OfferDraw just after a version-2 MovePath).
      if (targets.every((t, i) => t.kind === 'next' && t.to === rules[i]?.to)) {
        return this.#ok(targets.every((t) => t.kind === 'next' && t.ignored));
      }
      return { ok: false, reason: `${message} sent before the server answered ${request}` };
    }
    // A notice that leaves every outcome's state as it is says nothing about the outcome (DrawOffered after MovePath).
    const notices = rules.map((rule) => this.#lookup(rule.to, action, message));
    if (notices.every((t, i) => t.kind === 'next' && t.to === rules[i]?.to)) return this.#ok(false);
    const settledByReply = rules.find((rule) => rule.replies?.includes(message));
    if (settledByReply) {
      this.#awaiting = undefined;
      this.#state = settledByReply.to;
      return this.#ok(false);
    }
    const settledSilently = rules.find((rule) => rule.replies === undefined);
    if (!settledSilently) return { ok: false, reason: `${message} is not an answer to ${request}` };
    this.#awaiting = undefined;
    this.#state = settledSilently.to;
    return this.#step(action, message);
  }

  #ok(ignored: boolean): StepResult<StateOf<V>> {
    return { ok: true, state: this.#state as StateOf<V>, ignored, awaiting: this.#awaiting !== undefined };
  }
}
