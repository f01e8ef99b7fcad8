import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { describe, it } from 'node:test';
import { connect as connectTls } from 'node:tls';
import { pino } from 'pino';
import { V2_SIGNATURE } from '../../src/server/front-door/proxy-protocol.js';
import { RawClient } from '../support/raw-client.js';
import { startTestServer } from '../support/test-server.js';
import { waitUntil } from '../support/wait.js';

/** A logger whose lines the test reads. */
function capturedLog() {
  const lines: Array<Record<string, unknown> & { msg: string }> = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { log, lines };
}

function v2Tcp4(source: readonly number[], port: number, command = 1): Buffer {
  const addresses = [...source, 127, 0, 0, 1, port >> 8, port & 0xff, 0x22, 0xb0];
  return Buffer.from([...V2_SIGNATURE, 0x20 | command, 0x11, 0, addresses.length, ...addresses]);
}

describe('PROXY protocol from trusted load balancers', () => {
  it('counts the address in the header for every per-address limit, with v1 and v2', async (t) => {
    const { log, lines } = capturedLog();
    const server = await startTestServer({ trustProxy: ['127.0.0.1'], limits: { maxConnectionsPerAddress: 1 }, log });
    t.after(() => server.stop());
    // Two connections from the same balancer, for two clients: both admitted under a cap of 1 per address.
    const first = await RawClient.connect(server.port);
    first.socket.write('PROXY TCP4 203.0.113.7 127.0.0.1 40000 8864\r\n');
    await first.login('cam', 'mac');
    const second = await RawClient.connect(server.port);
    second.socket.write(v2Tcp4([198, 51, 100, 9], 40001));
    await second.login('jen', 'nej');
    t.after(() => {
      first.close();
      second.close();
    });
    // A second connection for a client already connected is over its cap, though the balancer's address is the same.
    const again = await RawClient.connect(server.port);
    again.socket.write('PROXY TCP4 203.0.113.7 127.0.0.1 40002 8864\r\n');
    await waitUntil(() => again.isClosed, 'the second connection of 203.0.113.7 refused', 5000);
    assert.equal(server.server.refused['address-full'], 1);
    const connections = lines.filter((line) => line.msg === 'connection').map((line) => line.address);
    assert.deepEqual(connections, ['203.0.113.7', '198.51.100.9']);
    assert.deepEqual(
      lines.filter((line) => line.msg === 'proxied connection').map((line) => [line.address, line.version]),
      [
        ['203.0.113.7', 1],
        ['198.51.100.9', 2],
        ['203.0.113.7', 1],
      ],
    );
  });

  it('v2 LOCAL and v1 UNKNOWN keep the socket address; bytes after the header belong to the session', async (t) => {
    const { log, lines } = capturedLog();
    const server = await startTestServer({ trustProxy: ['127.0.0.1'], log });
    t.after(() => server.stop());
    const local = await RawClient.connect(server.port);
    t.after(() => local.close());
    local.socket.write(v2Tcp4([10, 0, 0, 1], 1, 0));
    await local.login('cam', 'mac');
    const unknown = await RawClient.connect(server.port);
    t.after(() => unknown.close());
    unknown.socket.write('PROXY UNKNOWN\r\n');
    await unknown.login('jen', 'nej');
    assert.deepEqual(
      lines.filter((line) => line.msg === 'connection').map((line) => line.address),
      ['127.0.0.1', '127.0.0.1'],
    );
  });

  it('TLS follows the header: the handshake and the session run with the address it gave', async (t) => {
    const { log, lines } = capturedLog();
    const server = await startTestServer({ trustProxy: ['127.0.0.1'], tls: true, log });
    t.after(() => server.stop());
    const tcp = connect({ host: '127.0.0.1', port: server.port });
    tcp.on('error', () => {});
    tcp.write('PROXY TCP4 203.0.113.8 127.0.0.1 40000 8864\r\n');
    const secure = connectTls({ socket: tcp, rejectUnauthorized: false });
    await new Promise((resolve, reject) => {
      secure.once('secureConnect', resolve);
      secure.once('error', reject);
    });
    const client = RawClient.over(secure);
    t.after(() => client.close());
    await client.login('cam', 'mac');
    const connection = lines.find((line) => line.msg === 'connection');
    assert.equal(connection?.address, '203.0.113.8');
    assert.equal(connection?.transport, 'tls');
  });

  it('closes a trusted connection without a valid header, or silent past the login timeout', async (t) => {
    const server = await startTestServer({ trustProxy: ['127.0.0.1'], limits: { loginTimeoutMs: 300 } });
    t.after(() => server.stop());
    const garbage = await RawClient.connect(server.port);
    garbage.socket.write('GET / HTTP/1.1\r\n\r\n');
    await waitUntil(() => garbage.isClosed, 'the connection without a header closed', 5000);
    assert.equal(server.server.refused['proxy-invalid'], 1);
    const silent = await RawClient.connect(server.port);
    await waitUntil(() => silent.isClosed, 'the silent connection closed', 5000);
    assert.equal(server.server.refused['proxy-timeout'], 1);
  });

  it('from an untrusted address a PROXY header is just bytes, and a trusted one needs it', async (t) => {
    const untrusting = await startTestServer({ trustProxy: ['127.0.0.9'] });
    t.after(() => untrusting.stop());
    const spoof = await RawClient.connect(untrusting.port);
    spoof.socket.write('PROXY TCP4 203.0.113.7 127.0.0.1 40000 8864\r\n');
    await waitUntil(() => spoof.isClosed, 'the spoofing connection closed as a protocol error', 5000);
    assert.equal(untrusting.server.refused['proxy-invalid'], 0);
    const plain = await RawClient.connect(untrusting.port);
    t.after(() => plain.close());
    await plain.login('cam', 'mac');
  });
});
