import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type Action,
  MESSAGE_NAMES,
  MESSAGE_NAMES_V2,
  type MessageNameV2,
  PROTOCOL_STATES_V2,
  ProtocolMachine,
  type ProtocolStateV2,
  type Role,
  senderOf,
  TRANSITIONS_V2,
  transition,
} from '../../src/protocol/index.js';
import { tableRows } from '../support/protocol-doc.js';

interface SpecRow {
  from: ProtocolStateV2;
  message: MessageNameV2;
  sender: Role;
  outcome: string | undefined;
  to: ProtocolStateV2;
  ignored: boolean;
}

/** The transition table of docs/PROTOCOL.md 12.3, read from the document itself. */
function parseSpec(): SpecRow[] {
  const tables = tableRows('### 12.3 States');
  const start = tables.findIndex((cells) => cells[0] === 'from');
  assert.ok(start > 0, '12.3 has the transition table after the state table');
  const rows: SpecRow[] = [];
  for (const [from = '', event = '', to = '', note = ''] of tables.slice(start + 1)) {
    const match = /^(C→S|S→C) (.+?)(?:, (\w+))?$/.exec(event);
    assert.ok(match?.[2], `cannot read "${event}"`);
    for (const message of match[2].split(' / ')) {
      rows.push({
        from: from as ProtocolStateV2,
        message: message as MessageNameV2,
        sender: match[1] === 'C→S' ? 'client' : 'server',
        outcome: match[3],
        to: to as ProtocolStateV2,
        ignored: note.includes('ignored'),
      });
    }
  }
  return rows;
}

describe('version-2 DFA table against docs/PROTOCOL.md 12.3', () => {
  const spec = parseSpec();

  it('the document names only version-2 states and messages, each with its real sender', () => {
    assert.ok(spec.length > 40);
    for (const row of spec) {
      assert.ok(PROTOCOL_STATES_V2.includes(row.from), row.from);
      assert.ok(PROTOCOL_STATES_V2.includes(row.to), row.to);
      assert.ok(MESSAGE_NAMES_V2.includes(row.message), row.message);
      assert.equal(senderOf(row.message), row.sender, row.message);
    }
  });

  it('the code table has as many rules as the document rows', () => {
    assert.equal(TRANSITIONS_V2.length, spec.length);
  });

  for (const role of ['server', 'client'] as const) {
    for (const action of ['send', 'receive'] as const satisfies readonly Action[]) {
      it(`every state x message is right for the ${role} when it ${action}s`, () => {
        let checked = 0;
        for (const state of PROTOCOL_STATES_V2) {
          for (const message of MESSAGE_NAMES_V2) {
            checked++;
            const result = transition(role, state, action, message, 2);
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
        assert.equal(checked, 6 * 41);
      });
    }
  }

  it('version-1-only messages are errors in every version-2 state, and the reverse', () => {
    const v1Only = MESSAGE_NAMES.filter((name) => !(MESSAGE_NAMES_V2 as readonly string[]).includes(name));
    assert.equal(v1Only.length, 8);
    for (const state of PROTOCOL_STATES_V2) {
      for (const message of v1Only) {
        const result = transition('server', state, 'receive', message as never, 2);
        assert.deepEqual(result, { kind: 'error', reason: `${message} is not a version-2 message` });
      }
    }
    const result = transition('server', 'Unauthenticated', 'receive', 'Resume' as never);
    assert.deepEqual(result, { kind: 'error', reason: 'Resume is not a version-1 message' });
  });
});

describe('ProtocolMachine, version 2', () => {
  it('walks a whole session on both sides in step', () => {
    const server = new ProtocolMachine('server', 'Unauthenticated', 2);
    const client = new ProtocolMachine('client', 'Unauthenticated', 2);
    const script: Array<[MessageNameV2, ProtocolStateV2]> = [
      ['Resume', 'Unauthenticated'],
      ['InvalidLogin', 'Unauthenticated'],
      ['Connect', 'Unauthenticated'],
      ['LoggedIn', 'Lobby'],
      ['Seek', 'InQueue'],
      ['QueuePosition', 'InQueue'],
      ['LeaveQueue', 'Lobby'],
      ['Seek', 'InQueue'],
      ['GameStart2', 'Waiting'],
      ['YourMove', 'Moving'],
      ['MovePath', 'Moving'],
      ['IllegalMove', 'Moving'],
      ['OfferDraw', 'Moving'],
      ['MovePath', 'Waiting'],
      ['TheirMove', 'Waiting'],
      ['OpponentAway', 'Waiting'],
      ['OpponentBack', 'Waiting'],
      ['DrawDeclined', 'Waiting'],
      ['YourMove', 'Moving'],
      ['DrawOffered', 'Moving'],
      ['AnswerDraw', 'Moving'],
      ['Resign', 'Moving'],
      ['GameOver2', 'GameEnd'],
      ['Resign', 'GameEnd'],
      ['Rematch', 'GameEnd'],
      ['RematchOffered', 'GameEnd'],
      ['GameStart2', 'Waiting'],
      ['GameOver2', 'GameEnd'],
      ['RematchGone', 'GameEnd'],
      ['Seek', 'InQueue'],
      ['LogOut', 'Unauthenticated'],
    ];
    for (const [index, [message, expected]] of script.entries()) {
      const clientSends = senderOf(message) === 'client';
      const serverResult = clientSends ? server.receive(message) : server.send(message);
      const clientResult = clientSends ? client.send(message) : client.receive(message);
      assert.ok(serverResult.ok, `server ${message}: ${serverResult.ok || serverResult.reason}`);
      assert.ok(clientResult.ok, `client ${message}: ${clientResult.ok || clientResult.reason}`);
      // The server settles a legal MovePath itself (as a session does); IllegalMove settles an illegal one.
      const upcoming = script[index + 1];
      if (server.awaitingOutcomeOf === 'MovePath' && upcoming?.[0] !== 'IllegalMove') server.resolve('legal');
      if (!server.awaitingOutcomeOf) assert.equal(server.state, expected, `server after ${message}`);
      if (!client.awaitingOutcomeOf) assert.equal(client.state, expected, `client after ${message}`);
    }
    assert.equal(client.state, 'Unauthenticated');
  });

  it('a client may resign or offer a draw while its MovePath awaits the outcome, and learns it from any reply', () => {
    const client = new ProtocolMachine('client', 'Moving', 2);
    client.send('MovePath');
    assert.deepEqual(client.send('Resign'), { ok: true, state: 'Moving', ignored: false, awaiting: true });
    assert.equal(client.awaitingOutcomeOf, 'MovePath');
    assert.deepEqual(client.receive('GameOver2'), { ok: true, state: 'GameEnd', ignored: false, awaiting: false });
    const other = new ProtocolMachine('client', 'Moving', 2);
    other.send('MovePath');
    assert.deepEqual(other.receive('IllegalMove'), { ok: true, state: 'Moving', ignored: false, awaiting: false });
    other.send('MovePath');
    assert.equal(other.send('MovePath').ok, false, 'a second MovePath before the answer is refused');
    assert.deepEqual(other.receive('TheirMove'), { ok: true, state: 'Waiting', ignored: false, awaiting: false });
  });

  it('Seek racing a pairing is ignored by the server; MovePath after the end is ignored', () => {
    const server = new ProtocolMachine('server', 'Waiting', 2);
    assert.deepEqual(server.receive('Seek'), { ok: true, state: 'Waiting', ignored: true, awaiting: false });
    assert.deepEqual(server.receive('LeaveQueue'), { ok: true, state: 'Waiting', ignored: true, awaiting: false });
    const ended = new ProtocolMachine('server', 'GameEnd', 2);
    assert.deepEqual(ended.receive('MovePath'), { ok: true, state: 'GameEnd', ignored: true, awaiting: false });
  });

  it('refuses what the table refuses', () => {
    const server = new ProtocolMachine('server', 'Unauthenticated', 2);
    assert.equal(server.receive('Seek').ok, false);
    assert.equal(server.send('YourMove').ok, false);
    const lobby = new ProtocolMachine('server', 'Lobby', 2);
    assert.deepEqual(lobby.receive('MovePath'), { ok: false, reason: 'MovePath is not allowed in state Lobby' });
    assert.equal(lobby.receive('Rematch').ok, false);
    const waiting = new ProtocolMachine('server', 'Waiting', 2);
    assert.equal(waiting.receive('MovePath').ok, false, 'not your move');
    assert.equal(waiting.send('RematchOffered').ok, false);
    assert.equal(lobby.version, 2);
    assert.equal(new ProtocolMachine('server').version, 1);
  });
});
