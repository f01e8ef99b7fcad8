import { definitionFor, type MessageName } from './messages.js';

/**
 * The state machine of PROTOCOL.md section 4, one table for both roles.
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

export type Role = 'server' | 'client';
export type Action = 'send' | 'receive';
export type Outcome = 'accepted' | 'refused' | 'legal' | 'illegal';

export interface TransitionRule {
  readonly from: ProtocolState;
  readonly message: MessageName;
  readonly outcome?: Outcome;
  readonly to: ProtocolState;
  /** Replies that settle `outcome` when they follow the message. */
  readonly replies?: readonly MessageName[];
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

export type Transition =
  | { readonly kind: 'next'; readonly to: ProtocolState; readonly ignored: boolean }
  | { readonly kind: 'decide'; readonly rules: readonly TransitionRule[] }
  | { readonly kind: 'error'; readonly reason: string };

/** Which role sends a message, from the message table. */
export function senderOf(message: MessageName): Role {
  return definitionFor(message).direction === 'toServer' ? 'client' : 'server';
}

/**
 * The pure table lookup: what happens when `role`, in `state`, sends or
 * receives `message`.
 */
export function transition(role: Role, state: ProtocolState, action: Action, message: MessageName): Transition {
  const sender = action === 'send' ? role : role === 'server' ? 'client' : 'server';
  if (senderOf(message) !== sender) {
    return { kind: 'error', reason: `${message} is never sent by the ${sender}` };
  }
  const rules = TRANSITIONS.filter((rule) => rule.from === state && rule.message === message);
  const [first] = rules;
  if (!first) return { kind: 'error', reason: `${message} is not allowed in state ${state}` };
  if (first.outcome !== undefined) return { kind: 'decide', rules };
  return { kind: 'next', to: first.to, ignored: first.ignored === true };
}

export type StepResult =
  | { readonly ok: true; readonly state: ProtocolState; readonly ignored: boolean; readonly awaiting: boolean }
  | { readonly ok: false; readonly reason: string };

/** One connection's protocol state, from one side's point of view. */
export class ProtocolMachine {
  #state: ProtocolState;
  #awaiting: readonly TransitionRule[] | undefined;

  constructor(
    readonly role: Role,
    state: ProtocolState = 'Unauthenticated',
  ) {
    this.#state = state;
  }

  get state(): ProtocolState {
    return this.#state;
  }

  /** The request whose outcome is not yet known, if any. */
  get awaitingOutcomeOf(): MessageName | undefined {
    return this.#awaiting?.[0]?.message;
  }

  /** Checks and applies a message this side sends. */
  send(message: MessageName): StepResult {
    return this.#step('send', message);
  }

  /** Checks and applies a message this side receives. */
  receive(message: MessageName): StepResult {
    return this.#step('receive', message);
  }

  /** Settles the pending request with the outcome the server decided. */
  resolve(outcome: Outcome): StepResult {
    const rule = this.#awaiting?.find((candidate) => candidate.outcome === outcome);
    if (!rule) return { ok: false, reason: `no request awaits the outcome ${outcome}` };
    this.#awaiting = undefined;
    this.#state = rule.to;
    return this.#ok(false);
  }

  /** Asks without changing anything whether this side may send `message` now. */
  canSend(message: MessageName): boolean {
    const saved = { state: this.#state, awaiting: this.#awaiting };
    const result = this.send(message);
    this.#state = saved.state;
    this.#awaiting = saved.awaiting;
    return result.ok;
  }

  #step(action: Action, message: MessageName): StepResult {
    if (this.#awaiting) return this.#stepWhileAwaiting(action, message);
    const result = transition(this.role, this.#state, action, message);
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

  #stepWhileAwaiting(action: Action, message: MessageName): StepResult {
    const rules = this.#awaiting ?? [];
    const request = rules[0]?.message ?? 'request';
    if (senderOf(message) === 'client') {
      // A client message is fine only if it means the same whatever the outcome (LogOut after MakeMove).
      const targets = rules.map((rule) => transition(this.role, rule.to, action, message));
      const [first] = targets;
      if (first?.kind === 'next' && targets.every((t) => t.kind === 'next' && t.to === first.to)) {
        this.#awaiting = undefined;
        this.#state = first.to;
        return this.#ok(first.ignored);
      }
      return { ok: false, reason: `${message} sent before the server answered ${request}` };
    }
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

  #ok(ignored: boolean): StepResult {
    return { ok: true, state: this.#state, ignored, awaiting: this.#awaiting !== undefined };
  }
}
