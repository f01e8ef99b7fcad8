import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Envelope } from '../../../src/server/cluster/envelope.js';
import { RelayLink } from '../../../src/server/cluster/relay-link.js';
import { PlayerStreamNumbering } from '../../../src/server/cluster/relay-order.js';
import type { HeldOutput } from '../../../src/server/turn-batch.js';

/** A relay link whose held output the test releases, and the envelopes it sends. */
function link(numbering = new PlayerStreamNumbering(9)): {
  link: RelayLink;
  held: HeldOutput[];
  sent: Array<[string, Envelope]>;
} {
  const held: HeldOutput[] = [];
  const sent: Array<[string, Envelope]> = [];
  const relay = new RelayLink(
    7,
    'jen',
    'beta',
    42,
    'alpha',
    { hold: (output) => held.push(output) },
    (node, envelope) => sent.push([node, envelope]),
    numbering,
  );
  return { link: relay, held, sent };
}

describe('RelayLink', () => {
  it('sends what the match told the player once the commit releases it', () => {
    const { link: relay, held, sent } = link();
    relay.deliver({ type: 'OpponentDisconnect' });
    assert.equal(sent.length, 0, 'held until the commit');
    for (const output of held) output.flushOutput();
    assert.deepEqual(
      sent.map(([node, envelope]) => [node, envelope.type]),
      [['beta', 'msg']],
    );
  });

  it('dropped (its game fenced off here): nothing held goes out, and the player node hears the game is gone', () => {
    const { link: relay, held, sent } = link();
    relay.deliver({ type: 'OpponentDisconnect' });
    relay.drop();
    for (const output of held) output.flushOutput();
    assert.deepEqual(sent, [
      [
        'beta',
        {
          type: 'gone',
          gameId: 42,
          accountId: 7,
          from: 'alpha',
          sequence: { epoch: 9, position: 1, direction: 'to-player' },
        },
      ],
    ]);
  });

  it('numbers its envelopes under the fencing token, and a rejoin through a new link continues the count', () => {
    const numbering = new PlayerStreamNumbering(9);
    const first = link(numbering);
    first.link.deliver({ type: 'OpponentDisconnect' });
    first.link.deliver({ type: 'OpponentDisconnect' });
    for (const output of first.held) output.flushOutput();
    const second = link(numbering);
    second.link.deliver({ type: 'OpponentDisconnect' });
    for (const output of second.held) output.flushOutput();
    const positions = [...first.sent, ...second.sent].map(([, envelope]) =>
      'sequence' in envelope ? [envelope.sequence?.epoch, envelope.sequence?.position] : undefined,
    );
    assert.deepEqual(positions, [
      [9, 1],
      [9, 2],
      [9, 3],
    ]);
  });

  it('answers a sync at once when nothing waits for the commit, else after what waits (a GameOver included)', () => {
    const idle = link();
    idle.link.sync(4);
    assert.deepEqual(
      idle.sent.map(([, envelope]) => envelope.type),
      ['synced'],
    );
    const busy = link();
    busy.link.deliver({ type: 'OpponentDisconnect' });
    busy.link.sync(4);
    assert.equal(busy.sent.length, 0, 'the held message is not committed yet, and synced waits behind it');
    for (const output of busy.held) output.flushOutput();
    assert.deepEqual(
      busy.sent.map(([, envelope]) => [
        envelope.type,
        'sequence' in envelope ? envelope.sequence?.position : undefined,
      ]),
      [
        ['msg', 1],
        ['synced', 2],
      ],
    );
  });

  it('storage stayed down: the held output and the pending sync go, the player node hears away', () => {
    const { link: relay, held, sent } = link();
    relay.deliver({ type: 'OpponentDisconnect' });
    relay.sync(4);
    for (const output of held) output.abandonOutput();
    assert.deepEqual(
      sent.map(([, envelope]) => envelope.type),
      ['away'],
    );
  });
});
