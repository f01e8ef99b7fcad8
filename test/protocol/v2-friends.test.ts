import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type AnyMessage,
  ChallengeDeclinedReason,
  challengeDeclinedText,
  decodeMessageAt,
  encodeMessage,
  InvalidLoginReason,
  InviteRefusedReason,
  inviteCodeHex,
  invitePath,
  inviteRefusedText,
  loginRefusalText,
  type MessageV2,
  offerProblem,
  parseInviteCode,
  StreamDecoder,
} from '../../src/protocol/index.js';
import { fromHex, toHex } from '../support/hex.js';

const CHALLENGE: MessageV2 = {
  type: 'Challenge',
  opponent: 'jen',
  initialSeconds: 300,
  incrementSeconds: 3,
  colour: 2,
  rated: false,
  opening: 0,
};

/** The bytes of `message` with the byte at `at` replaced. */
function withByte(message: MessageV2, at: number, value: number): Uint8Array {
  const bytes = encodeMessage(message);
  bytes[at] = value;
  return bytes;
}

/** What a server's version-2 decoder makes of `bytes`. */
function decodeV2(bytes: Uint8Array) {
  const decoder = StreamDecoder.forVersion(2);
  decoder.push(bytes);
  return decoder.next();
}

describe('version-2 value checks: colour 0-2, opening 0-1, accept 0-1', () => {
  // Byte offsets: Challenge colour 20, opening 22; CreateInvite colour 4, opening 6; PlayComputer colour 6, opening 7.
  const refusals: ReadonlyArray<readonly [string, Uint8Array, string]> = [
    ['Challenge colour 3', withByte(CHALLENGE, 20, 3), 'bad Challenge.colour: 3 is outside 0..2'],
    ['Challenge opening 2', withByte(CHALLENGE, 22, 2), 'bad Challenge.opening: 2 is outside 0..1'],
    ['CreateInvite colour 255', fromHex('1eb40002ff0000'), 'bad CreateInvite.colour: 255 is outside 0..2'],
    ['CreateInvite opening 7', fromHex('1eb40002020007'), 'bad CreateInvite.opening: 7 is outside 0..1'],
    ['PlayComputer colour 3', fromHex('19012c0103000300'), 'bad PlayComputer.colour: 3 is outside 0..2'],
    ['PlayComputer opening 2', fromHex('19012c0103000002'), 'bad PlayComputer.opening: 2 is outside 0..1'],
    ['AnswerChallenge accept 2', fromHex('1c0700000002'), 'bad AnswerChallenge.accept: 2 is outside 0..1'],
    [
      'ChallengeOffered colour 3 (a client refuses it too)',
      fromHex(`2e07000000${'63616d'.padEnd(32, '0')}b00400002c0103030101`),
      'bad ChallengeOffered.colour: 3 is outside 0..2',
    ],
  ];
  for (const [label, bytes, text] of refusals) {
    it(`a decoder reports ${label} as BAD_FIELD at the message's type byte`, () => {
      const result = decodeV2(bytes);
      assert.equal(result.kind, 'error');
      if (result.kind !== 'error') return;
      assert.deepEqual({ ...result.error }, { code: 'BAD_FIELD', byte: bytes[0], streamOffset: 0, text });
      assert.throws(() => decodeMessageAt(bytes, 0, 2), { name: 'RangeError', message: text });
    });
  }

  it('the largest values allowed decode, and encode back to the same bytes', () => {
    for (const hex of [`1b${'6a656e'.padEnd(32, '0')}2c0103020001`, '1c0700000000', '1c0700000001']) {
      const message = decodeMessageAt(fromHex(hex), 0, 2);
      assert.equal(toHex(encodeMessage(message)), hex);
    }
    const answer = decodeMessageAt(fromHex('1c0700000000'), 0, 2);
    assert.deepEqual(answer, { type: 'AnswerChallenge', challengeId: 7, accept: false });
  });

  it('an encoder refuses what a decoder would refuse', () => {
    assert.throws(
      () => encodeMessage({ ...CHALLENGE, colour: 3 } as AnyMessage),
      /Challenge\.colour must be .* 0\.\.2/,
    );
    assert.throws(
      () => encodeMessage({ ...CHALLENGE, opening: 2 } as AnyMessage),
      /Challenge\.opening must be .* 0\.\.1/,
    );
    assert.throws(
      () => encodeMessage({ type: 'AnswerChallenge', challengeId: 7, accept: 1 } as unknown as AnyMessage),
      /AnswerChallenge\.accept must be a boolean/,
    );
  });
});

describe('logging in as a guest', () => {
  it('a server decoder before login takes Guest (and still refuses the other version-2 types)', () => {
    const decoder = StreamDecoder.beforeLogin();
    decoder.push(fromHex('1a02'));
    assert.deepEqual(decoder.next(), { kind: 'message', message: { type: 'Guest', version: 2 } });
    const challenge = StreamDecoder.beforeLogin();
    challenge.push(encodeMessage(CHALLENGE));
    const refused = challenge.next();
    assert.equal(refused.kind === 'error' && refused.error.text, 'unknown message type 0x1b');
  });

  it('a version-1 decoder calls Guest an unknown type', () => {
    const decoder = new StreamDecoder();
    decoder.push(fromHex('1a02'));
    const result = decoder.next();
    assert.equal(result.kind === 'error' && result.error.code, 'UNKNOWN_TYPE');
  });

  it('InvalidLogin 4 says that the server takes no guests', () => {
    assert.equal(InvalidLoginReason.GuestsOff, 4);
    assert.match(loginRefusalText(4), /does not allow guests/);
  });
});

describe('offers', () => {
  it('a Challenge or CreateInvite must name an offered time control', () => {
    assert.equal(offerProblem({ initialSeconds: 300, incrementSeconds: 3 }), undefined);
    assert.equal(offerProblem({ initialSeconds: 0, incrementSeconds: 0 }), undefined);
    assert.equal(offerProblem({ initialSeconds: 600, incrementSeconds: 0 }), 'unsupported time control 600+0 s');
  });

  it('every ChallengeDeclined and InviteRefused reason has its own words', () => {
    const declined = Object.values(ChallengeDeclinedReason).map((reason) => challengeDeclinedText(reason, 'jen'));
    assert.equal(new Set(declined).size, 5);
    assert.equal(challengeDeclinedText(ChallengeDeclinedReason.Declined, 'jen'), 'jen declined your challenge.');
    assert.match(
      challengeDeclinedText(ChallengeDeclinedReason.NotAnswered, 'jen'),
      /within 60 s: the challenge expired/,
    );
    const refused = Object.values(InviteRefusedReason).map(inviteRefusedText);
    assert.equal(new Set(refused).size, 4);
    assert.match(inviteRefusedText(InviteRefusedReason.RatedNeedsAccount), /log in/);
    assert.match(inviteRefusedText(InviteRefusedReason.Unknown), /lasts 10 minutes/);
    assert.equal(challengeDeclinedText(9, 'jen'), "jen cannot take your challenge (the server's reason 9).");
    assert.equal(inviteRefusedText(9), 'The server refused the invite (reason 9).');
  });
});

describe('invite codes', () => {
  const code = Uint8Array.from({ length: 16 }, (_, i) => i * 17);
  const hex = '00112233445566778899aabbccddeeff';

  it('is 32 lowercase hex digits in the link /invite/<code>', () => {
    assert.equal(inviteCodeHex(code), hex);
    assert.equal(invitePath(code), `/invite/${hex}`);
    assert.throws(() => inviteCodeHex(new Uint8Array(15)), RangeError);
  });

  it('reads a whole link, its path, or the bare digits in any case', () => {
    for (const text of [
      hex,
      hex.toUpperCase(),
      ` /invite/${hex} `,
      `http://127.0.0.1:8864/invite/${hex}`,
      `https://checkers.example/invite/${hex}/`,
    ]) {
      assert.deepEqual(parseInviteCode(text), code, text);
    }
  });

  it('refuses anything else', () => {
    for (const text of ['', hex.slice(1), `${hex}0`, `/play/${hex}`, `http://host/invite/${hex}?x=1`, 'g'.repeat(32)]) {
      assert.equal(parseInviteCode(text), undefined, text);
    }
  });
});
