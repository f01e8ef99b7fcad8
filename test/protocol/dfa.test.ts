import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  type Action,
  MESSAGE_NAMES,
  type MessageName,
  PROTOCOL_STATES,
  ProtocolMachine,
  type ProtocolState,
  type Role,
  senderOf,
  transition,
} from '../../src/protocol/index.js';

/** The transition table of PROTOCOL.md section 4 (docs/PROTOCOL.md in this repository), verbatim. */
const SPEC_ROWS = `| Unauthenticated | C→S Connect, accepted | InQueue | server answers QueuePosition at once |
| Unauthenticated | C→S Connect, refused | Unauthenticated | server answers InvalidLogin or InvalidVersion; the client may send Connect again on the same connection |
| InQueue | S→C QueuePosition | InQueue | about once per second while waiting |
| InQueue | S→C GameStart | Processing | |
| InQueue | C→S LogOut | Unauthenticated | connection stays open |
| Processing | S→C CompulsoryMove | Processing | sent to both players |
| Processing | S→C YourTurn | UserMove | |
| Processing | S→C GameOver / OpponentDisconnect | GameEnd | |
| Processing | C→S LogOut | Unauthenticated | forfeits the game |
| UserMove | C→S MakeMove, legal | Processing | |
| UserMove | C→S MakeMove, illegal | UserMove | server answers InvalidMove |
| UserMove | S→C OpponentDisconnect | GameEnd | also GameOver when the move clock runs out **(ours)** |
| UserMove | C→S LogOut | Unauthenticated | forfeits the game |
| GameEnd | C→S ReQueue | InQueue | server answers QueuePosition at once |
| GameEnd | C→S LogOut | Unauthenticated | |
| GameEnd | C→S MakeMove | GameEnd | tolerated and ignored: a race when the opponent left while this player was typing |`;

interface SpecRow {
  from: ProtocolState;
  message: MessageName;
  outcome: string | undefined;
  to: ProtocolState;
  ignored: boolean;
}

function parseSpec(): SpecRow[] {
  const rows: SpecRow[] = [];
  for (const line of SPEC_ROWS.split('\n')) {
    const [, from, event, to, note] = line.split('|').map((cell) => cell.trim());
    const match = /^(?:C→S|S→C) (.+?)(?:, (\w+))?$/.exec(event ?? '');
    assert.ok(match?.[1], `cannot read "${event}"`);
    const messages = match[1].split(' / ');
    // "also GameOver when the move clock runs out" adds GameOver to that row.
    if (note?.startsWith('also GameOver')) messages.push('GameOver');
    for (const message of messages) {
      rows.push({
        from: from as ProtocolState,
        message: message as MessageName,
        outcome: match[2],
        to: to as ProtocolState,
        ignored: note?.includes('ignored') === true,
      });
    }
  }
  return rows;
}

describe('DFA table against PROTOCOL.md section 4', () => {
  it("the copy above is the one in the repository's docs/PROTOCOL.md", () => {
    const path = fileURLToPath(new URL('../../../docs/PROTOCOL.md', import.meta.url));
    const spec = readFileSync(path, 'utf8');
    for (const line of SPEC_ROWS.split('\n')) assert.ok(spec.includes(line), `docs/PROTOCOL.md has: ${line}`);
  });

  const spec = parseSpec();
  const roles: Role[] = ['server', 'client'];
  const actions: Action[] = ['send', 'receive'];
  for (const role of roles) {
    for (const action of actions) {
      it(`every state x message is right for the ${role} when it ${action}s`, () => {
        let checked = 0;
        for (const state of PROTOCOL_STATES) {
          for (const message of MESSAGE_NAMES) {
            checked++;
            const result = transition(role, state, action, message);
            const sender = action === 'send' ? role : role === 'server' ? 'client' : 'server';
            const rows = spec.filter((row) => row.from === state && row.message === message);
            const label = `${role} ${action} ${message} in ${state}`;
            if (senderOf(message) !== sender || rows.length === 0) {
              assert.equal(result.kind, 'error', label);
            } else if (rows.some((row) => row.outcome !== undefined)) {
              assert.equal(result.kind, 'decide', label);
              if (result.kind !== 'decide') continue;
              const expected = rows.map((row) => `${row.outcome}->${row.to}`).sort();
              const actual = result.rules.map((rule) => `${rule.outcome}->${rule.to}`).sort();
              assert.deepEqual(actual, expected, label);
            } else {
              assert.equal(rows.length, 1, label);
              assert.deepEqual(result, { kind: 'next', to: rows[0]?.to, ignored: rows[0]?.ignored }, label);
            }
          }
        }
        assert.equal(checked, PROTOCOL_STATES.length * 13);
      });
    }
  }
});

describe('ProtocolMachine', () => {
  it('walks a whole session on both sides in step', () => {
    const server = new ProtocolMachine('server');
    const client = new ProtocolMachine('client');
    const script: Array<[MessageName, ProtocolState]> = [
      ['Connect', 'Unauthenticated'],
      ['InvalidLogin', 'Unauthenticated'],
      ['Connect', 'Unauthenticated'],
      ['QueuePosition', 'InQueue'],
      ['QueuePosition', 'InQueue'],
      ['GameStart', 'Processing'],
      ['YourTurn', 'UserMove'],
      ['MakeMove', 'UserMove'],
      ['InvalidMove', 'UserMove'],
      ['MakeMove', 'UserMove'],
      ['CompulsoryMove', 'Processing'],
      ['YourTurn', 'UserMove'],
      ['MakeMove', 'UserMove'],
      ['GameOver', 'GameEnd'],
      ['MakeMove', 'GameEnd'],
      ['ReQueue', 'InQueue'],
      ['QueuePosition', 'InQueue'],
      ['LogOut', 'Unauthenticated'],
    ];
    for (const [message, expected] of script) {
      const clientSends = senderOf(message) === 'client';
      const serverResult = clientSends ? server.receive(message) : server.send(message);
      const clientResult = clientSends ? client.send(message) : client.receive(message);
      assert.ok(serverResult.ok, `server ${message}`);
      assert.ok(clientResult.ok, `client ${message}`);
      assert.equal(server.state, expected, `server after ${message}`);
      assert.equal(client.state, expected, `client after ${message}`);
    }
  });

  it('a legal MakeMove is settled by the server explicitly, and by the client from the next message', () => {
    const server = new ProtocolMachine('server', 'UserMove');
    assert.deepEqual(server.receive('MakeMove'), { ok: true, state: 'UserMove', ignored: false, awaiting: true });
    assert.equal(server.awaitingOutcomeOf, 'MakeMove');
    assert.deepEqual(server.resolve('legal'), { ok: true, state: 'Processing', ignored: false, awaiting: false });
    const client = new ProtocolMachine('client', 'UserMove');
    client.send('MakeMove');
    assert.deepEqual(client.receive('YourTurn'), { ok: true, state: 'UserMove', ignored: false, awaiting: false });
  });

  it('refuses what the table refuses', () => {
    const server = new ProtocolMachine('server');
    assert.equal(server.receive('MakeMove').ok, false);
    assert.equal(server.receive('YourTurn').ok, false);
    assert.equal(server.send('YourTurn').ok, false);
    assert.equal(server.resolve('accepted').ok, false);
    const awaiting = new ProtocolMachine('client');
    awaiting.send('Connect');
    assert.equal(awaiting.receive('GameStart').ok, false);
    assert.equal(awaiting.send('LogOut').ok, false);
  });

  it('LogOut while a MakeMove awaits its outcome logs out either way', () => {
    const client = new ProtocolMachine('client', 'UserMove');
    client.send('MakeMove');
    assert.deepEqual(client.send('LogOut'), { ok: true, state: 'Unauthenticated', ignored: false, awaiting: false });
  });

  it('canSend answers without changing the state', () => {
    const client = new ProtocolMachine('client', 'UserMove');
    assert.equal(client.canSend('MakeMove'), true);
    assert.equal(client.canSend('ReQueue'), false);
    assert.equal(client.state, 'UserMove');
    assert.equal(client.awaitingOutcomeOf, undefined);
  });
});
