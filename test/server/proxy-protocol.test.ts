import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  type ProxyHeader,
  parseProxyHeader,
  parseTrustedProxies,
  plainAddress,
  V1_MAX_LENGTH,
  V2_SIGNATURE,
} from '../../src/server/front-door/proxy-protocol.js';

const text = (value: string) => Buffer.from(value, 'latin1');

/** A version-2 header: command 1 = PROXY, 0 = LOCAL; family/protocol byte; address bytes; extra TLV bytes. */
function v2(command: number, familyProtocol: number, addresses: readonly number[], tlvs: readonly number[] = []) {
  const payload = [...addresses, ...tlvs];
  return Buffer.from([
    ...V2_SIGNATURE,
    0x20 | command,
    familyProtocol,
    payload.length >> 8,
    payload.length & 0xff,
    ...payload,
  ]);
}

const TCP4_ADDRESSES = [127, 0, 10, 1, 127, 0, 10, 11, 0xdc, 0x04, 0x01, 0xbb];
const TCP6_ADDRESSES = [
  ...[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
  ...[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 2],
  ...[0x30, 0x39, 0x00, 0x50],
];

describe('PROXY protocol version 1 (the spec examples, with loopback addresses)', () => {
  it('reads TCP4 and TCP6 headers, and only the header', () => {
    const header = 'PROXY TCP4 127.0.10.1 127.0.10.11 56324 443\r\n';
    assert.deepEqual(parseProxyHeader(text(`${header}GET / HTTP/1.1\r\nHost: 127.0.10.11\r\n\r\n`)), {
      kind: 'proxied',
      version: 1,
      source: { address: '127.0.10.1', port: 56324 },
      destination: { address: '127.0.10.11', port: 443 },
      length: header.length,
    });
    assert.deepEqual(parseProxyHeader(text('PROXY TCP4 127.255.255.255 127.255.255.255 65535 65535\r\n')), {
      kind: 'proxied',
      version: 1,
      source: { address: '127.255.255.255', port: 65535 },
      destination: { address: '127.255.255.255', port: 65535 },
      length: 56,
    });
    const longest = `PROXY TCP6 ${'ffff:'.repeat(7)}ffff ${'ffff:'.repeat(7)}ffff 65535 65535\r\n`;
    assert.equal(longest.length, 104);
    const parsed = parseProxyHeader(text(longest));
    assert.equal(parsed.kind === 'proxied' && parsed.length, 104);
    assert.deepEqual(parseProxyHeader(text('PROXY TCP6 2001:db8::1 ::1 1 2\r\n')), {
      kind: 'proxied',
      version: 1,
      source: { address: '2001:db8::1', port: 1 },
      destination: { address: '::1', port: 2 },
      length: 'PROXY TCP6 2001:db8::1 ::1 1 2\r\n'.length,
    });
  });

  it('takes UNKNOWN as "use the socket\'s address", with or without addresses', () => {
    assert.deepEqual(parseProxyHeader(text('PROXY UNKNOWN\r\nxyz')), { kind: 'local', version: 1, length: 15 });
    // The longest version-1 header of all.
    const unknown = `PROXY UNKNOWN ${'ffff:'.repeat(7)}ffff ${'ffff:'.repeat(7)}ffff 65535 65535\r\n`;
    assert.equal(unknown.length, V1_MAX_LENGTH);
    assert.deepEqual(parseProxyHeader(text(unknown)), { kind: 'local', version: 1, length: unknown.length });
  });

  it('waits for the rest of a header that is still arriving', () => {
    const header = 'PROXY TCP4 127.0.10.1 127.0.10.11 56324 443\r\n';
    for (let end = 0; end < header.length; end++) {
      assert.deepEqual(parseProxyHeader(text(header.slice(0, end))), { kind: 'incomplete' }, `first ${end} bytes`);
    }
  });

  it('refuses what is not a header', () => {
    const invalid: Array<[string, RegExp]> = [
      ['GET / HTTP/1.1\r\n', /no PROXY header/],
      ['PROXI TCP4', /no PROXY header/],
      ['\x16\x03\x01', /no PROXY header/],
      ['PROXY TCP4 1.2.3 1.2.3.4 1 2\r\n', /not IPv4/],
      ['PROXY TCP4 ::1 ::1 1 2\r\n', /not IPv4/],
      ['PROXY TCP6 1.2.3.4 ::1 1 2\r\n', /not IPv6/],
      ['PROXY TCP4 1.2.3.4 1.2.3.4 65536 2\r\n', /port out of range/],
      ['PROXY TCP4 1.2.3.4 1.2.3.4 080 2\r\n', /port out of range/],
      ['PROXY TCP4 1.2.3.4 1.2.3.4 1\r\n', /6 fields/],
      ['PROXY TCP4  1.2.3.4 1.2.3.4 1 2\r\n', /6 fields/],
      ['PROXY UDP4 1.2.3.4 1.2.3.4 1 2\r\n', /unknown protocol/],
      [`PROXY TCP4 ${'1'.repeat(200)}`, /longer than 107 bytes/],
    ];
    for (const [input, reason] of invalid) {
      const parsed = parseProxyHeader(text(input));
      assert.equal(parsed.kind, 'invalid', JSON.stringify(input));
      assert.match(parsed.kind === 'invalid' ? parsed.reason : '', reason, JSON.stringify(input));
    }
  });
});

describe('PROXY protocol version 2 (the binary header)', () => {
  it('reads TCP over IPv4 and IPv6, skipping TLVs after the addresses', () => {
    assert.deepEqual(parseProxyHeader(Buffer.concat([v2(1, 0x11, TCP4_ADDRESSES), text('hello')])), {
      kind: 'proxied',
      version: 2,
      source: { address: '127.0.10.1', port: 56324 },
      destination: { address: '127.0.10.11', port: 443 },
      length: 28,
    });
    // PP2_TYPE_ALPN "h2" and PP2_TYPE_NOOP, as HAProxy may add.
    const tlvs = [0x01, 0x00, 0x02, 0x68, 0x32, 0x04, 0x00, 0x00];
    assert.deepEqual(parseProxyHeader(v2(1, 0x21, TCP6_ADDRESSES, tlvs)), {
      kind: 'proxied',
      version: 2,
      source: { address: '2001:db8::1', port: 12345 },
      destination: { address: '::ffff:127.0.0.2', port: 80 },
      length: 16 + 36 + tlvs.length,
    });
  });

  it("LOCAL, UNSPEC, UDP and unix sockets keep the socket's address", () => {
    assert.deepEqual(parseProxyHeader(v2(0, 0x00, [])), { kind: 'local', version: 2, length: 16 });
    assert.deepEqual(parseProxyHeader(v2(0, 0x11, TCP4_ADDRESSES)), { kind: 'local', version: 2, length: 28 });
    assert.deepEqual(parseProxyHeader(v2(1, 0x00, [])), { kind: 'local', version: 2, length: 16 });
    assert.deepEqual(parseProxyHeader(v2(1, 0x12, TCP4_ADDRESSES)), { kind: 'local', version: 2, length: 28 });
    assert.deepEqual(parseProxyHeader(v2(1, 0x31, new Array(216).fill(0))), {
      kind: 'local',
      version: 2,
      length: 16 + 216,
    });
  });

  it('waits for the rest of a header that is still arriving', () => {
    const header = v2(1, 0x21, TCP6_ADDRESSES);
    for (let end = 0; end < header.length; end++) {
      assert.deepEqual(parseProxyHeader(header.subarray(0, end)), { kind: 'incomplete' }, `first ${end} bytes`);
    }
  });

  it('refuses a wrong version, an unknown command, short addresses and an oversized header', () => {
    const wrongVersion = v2(1, 0x11, TCP4_ADDRESSES);
    wrongVersion[12] = 0x11;
    const unknownCommand = v2(1, 0x11, TCP4_ADDRESSES);
    unknownCommand[12] = 0x22;
    const oversized = Buffer.from([...V2_SIGNATURE, 0x21, 0x11, 0xff, 0xff]);
    const cases: Array<[Buffer, RegExp]> = [
      [wrongVersion, /version 1, not 2/],
      [unknownCommand, /unknown command 2/],
      [v2(1, 0x11, TCP4_ADDRESSES.slice(0, 8)), /shorter than their family/],
      [v2(1, 0x21, TCP4_ADDRESSES), /shorter than their family/],
      [oversized, /65535-byte/],
      [Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0b]), /no PROXY header/],
    ];
    for (const [input, reason] of cases) {
      const parsed = parseProxyHeader(input);
      assert.equal(parsed.kind, 'invalid', input.toString('hex'));
      assert.match(parsed.kind === 'invalid' ? parsed.reason : '', reason);
    }
  });
});

describe('PROXY header parser properties', () => {
  const validHeader = fc.oneof(
    fc
      .tuple(fc.ipV4(), fc.ipV4(), fc.nat(65535), fc.nat(65535))
      .map(([a, b, p, q]) => text(`PROXY TCP4 ${a} ${b} ${p} ${q}\r\n`)),
    fc
      .tuple(fc.ipV6(), fc.ipV6(), fc.nat(65535), fc.nat(65535))
      .map(([a, b, p, q]) => text(`PROXY TCP6 ${a} ${b} ${p} ${q}\r\n`)),
    fc
      .tuple(fc.uint8Array({ minLength: 12, maxLength: 12 }), fc.uint8Array({ maxLength: 40 }))
      .map(([addresses, tlvs]) => v2(1, 0x11, [...addresses], [...tlvs])),
    fc
      .tuple(fc.uint8Array({ minLength: 36, maxLength: 36 }), fc.uint8Array({ maxLength: 40 }))
      .map(([addresses, tlvs]) => v2(1, 0x21, [...addresses], [...tlvs])),
  );

  it('never throws, whatever the bytes, and claims no more bytes than it was given', () => {
    const prefixed = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc.uint8Array({ maxLength: 300 }).map((tail) => Buffer.concat([text('PROXY '), tail])),
      fc.uint8Array({ maxLength: 300 }).map((tail) => Buffer.concat([V2_SIGNATURE, tail])),
    );
    fc.assert(
      fc.property(prefixed, (bytes) => {
        const parsed: ProxyHeader = parseProxyHeader(bytes);
        if (parsed.kind === 'proxied' || parsed.kind === 'local') assert.ok(parsed.length <= bytes.length);
      }),
      { numRuns: 5000 },
    );
  });

  it('reads a valid header the same whatever follows it, and waits on every strict prefix', () => {
    fc.assert(
      fc.property(validHeader, fc.uint8Array({ maxLength: 50 }), fc.nat(), (header, after, cut) => {
        const whole = parseProxyHeader(header);
        assert.equal(whole.kind, 'proxied');
        assert.equal(whole.kind === 'proxied' && whole.length, header.length);
        assert.deepEqual(parseProxyHeader(Buffer.concat([header, after])), whole);
        assert.deepEqual(parseProxyHeader(header.subarray(0, cut % header.length)), { kind: 'incomplete' });
      }),
      { numRuns: 2000 },
    );
  });
});

describe('--trust-proxy', () => {
  it('takes a comma-separated list of IP addresses, IPv4-mapped ones as IPv4', () => {
    assert.deepEqual(parseTrustedProxies('127.0.0.1, ::1,::FFFF:127.0.0.9'), ['127.0.0.1', '::1', '127.0.0.9']);
    assert.throws(() => parseTrustedProxies('lb.example.com'), /"lb.example.com" is not an IP address/);
    assert.throws(() => parseTrustedProxies(' , '), /at least one IP address/);
    assert.equal(plainAddress('::ffff:127.0.0.1'), '127.0.0.1');
  });
});
