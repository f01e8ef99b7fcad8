import { toWireBoard } from '../src/common/wire.js';
import { INITIAL_POSITION } from '../src/game/position.js';
import {
  decodeMessageAt,
  encodeMessage,
  encodeMessageInto,
  type Message,
  type MessageV2,
  StreamDecoder,
} from '../src/protocol/index.js';
import { formatRate, measure } from './measure.js';

const board = toWireBoard(INITIAL_POSITION, 0);

/** A mix weighted like a game in progress: mostly boards and moves. */
const MIX: readonly Message[] = [
  { type: 'YourTurn', lastMove: 0x36, board },
  { type: 'MakeMove', move: 0x56 },
  { type: 'CompulsoryMove', move: 0x36, board },
  { type: 'QueuePosition', queueSize: 40, position: 3, rating: 1200 },
  { type: 'GameStart', opponent: 'jen', opponentRating: 1210 },
  { type: 'GameOver', won: true, newRating: 1210, oldRating: 1200, lastMove: 0x36, board },
  { type: 'Connect', version: 1, username: 'cam', password: 'mac' },
  { type: 'ReQueue' },
];

/** The version-2 mix: turns with clocks and paths (validated on decoding), moves, notices. */
const MIX_V2: readonly MessageV2[] = [
  { type: 'YourMove', lastPath: [22, 18], board, yourClockMs: 170_000, opponentClockMs: 165_000, flags: 0 },
  { type: 'MovePath', path: [11, 15] },
  { type: 'TheirMove', lastPath: [11, 15], board, yourClockMs: 172_000, opponentClockMs: 165_000, flags: 0 },
  { type: 'MovePath', path: [13, 22, 31] },
  { type: 'QueuePosition', queueSize: 40, position: 3, rating: 1200 },
  {
    type: 'GameStart2',
    opponent: 'jen',
    opponentRating: 1210,
    colour: 0,
    initialSeconds: 180,
    incrementSeconds: 2,
    rated: true,
    gameId: 7,
  },
  { type: 'GameOver2', result: 1, reason: 1, newRating: 1216, oldRating: 1200, rated: true, lastPath: null, board },
  { type: 'OfferDraw' },
];

/** A 4 MiB stream of `mix`, fed in 64 KiB chunks as a socket would deliver it, through `decoder()`. */
function streamThroughput(
  mix: readonly (Message | MessageV2)[],
  decoder: () => Pick<StreamDecoder<Message | MessageV2>, 'push' | 'next'>,
): string {
  const streamBytes = 4 * 1024 * 1024;
  const stream = new Uint8Array(streamBytes + 64);
  let length = 0;
  let messages = 0;
  while (length < streamBytes) {
    length += encodeMessageInto(mix[messages % mix.length] as Message, stream, length);
    messages++;
  }
  const chunkSize = 64 * 1024;
  const throughput = measure(
    () => {
      const reader = decoder();
      for (let at = 0; at < length; at += chunkSize) {
        reader.push(stream.subarray(at, Math.min(length, at + chunkSize)));
        while (reader.next().kind === 'message') {}
      }
    },
    2,
    50,
  );
  return `${((throughput.perSecond * length) / 1e6).toFixed(1)} MB/s (${formatRate(throughput.perSecond * messages)} messages/s, mixed stream, 64 KiB chunks)`;
}

export function benchProtocol(): Array<[string, string]> {
  const batch = 1000;
  const encoded = MIX.map(encodeMessage);
  const encode = measure(() => {
    for (let i = 0; i < batch; i++) encodeMessage(MIX[i % MIX.length] as Message);
  });
  const decode = measure(() => {
    for (let i = 0; i < batch; i++) decodeMessageAt(encoded[i % encoded.length] as Uint8Array, 0);
  });

  return [
    ['codec encode', `${formatRate(encode.perSecond * batch)} messages/s`],
    ['codec decode', `${formatRate(decode.perSecond * batch)} messages/s`],
    ['stream decoder', streamThroughput(MIX, () => new StreamDecoder())],
    ['stream decoder, version 2', streamThroughput(MIX_V2, () => StreamDecoder.forVersion(2))],
  ];
}
