import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type FoundServer, groupByCluster } from '../../src/discovery/finder.js';
import { decodeDatagram, encodeAnnouncement } from '../../src/discovery/payload.js';

const base = { lowest: 1, highest: 1, port: 8864, name: 'club', tls: true };

describe('the announcement of a cluster node', () => {
  it('carries the node name beside the cluster name and the fingerprint', () => {
    const fingerprint = Uint8Array.from({ length: 32 }, (_, i) => i);
    const datagram = decodeDatagram(encodeAnnouncement({ ...base, fingerprint, node: 'node-b' }));
    assert.equal(datagram.kind, 'announcement');
    if (datagram.kind !== 'announcement') return;
    assert.equal(datagram.announcement.name, 'club');
    assert.equal(datagram.announcement.node, 'node-b');
    assert.deepEqual(datagram.announcement.fingerprint, fingerprint);
  });

  it('is the same bytes as before for a single server, so old clients parse both', () => {
    const single = encodeAnnouncement(base);
    const node = encodeAnnouncement({ ...base, node: 'n1' });
    // The node is an optional field after the name: the fixed part an older reader parses is unchanged.
    assert.deepEqual(node.subarray(0, single.length), single);
    assert.deepEqual(node.subarray(single.length, single.length + 2), Uint8Array.from([2, 2]));
    const old = decodeDatagram(single);
    assert.equal(old.kind === 'announcement' && old.announcement.node, undefined);
  });

  it('groups the nodes of one cluster into one server, leaving single servers alone', () => {
    const found = (address: string, name: string | undefined, node?: string): FoundServer => ({
      address,
      port: 8864,
      name,
      lowest: 1,
      highest: 1,
      tls: false,
      via: 'answer',
      afterMs: 0,
      ...(node === undefined ? {} : { node }),
    });
    const groups = groupByCluster([
      found('127.0.0.2', 'club', 'a'),
      found('127.0.0.3', 'solo'),
      found('127.0.0.4', 'club', 'b'),
      found('127.0.0.5', undefined),
      found('127.0.0.6', 'club', 'c'),
    ]);
    assert.deepEqual(
      groups.map((group) => [group.address, group.sameCluster.map((other) => other.address)]),
      [
        ['127.0.0.2', ['127.0.0.4', '127.0.0.6']],
        ['127.0.0.3', []],
        ['127.0.0.5', []],
      ],
    );
  });
});
