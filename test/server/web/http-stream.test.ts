import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { HttpStream, PIECE_BYTES } from '../../../src/server/web/http-stream.js';

/** A stand-in connection: what is written into it is what the network delivered. */
function network(): PassThrough {
  const connection = new PassThrough();
  connection.pause();
  return connection;
}

describe('the HTTP side of a connection', () => {
  it('hands the bytes on in small pieces, and none while paused', async () => {
    const connection = network();
    const stream = new HttpStream(connection);
    const pieces: number[] = [];
    stream.on('data', (piece: Buffer) => {
      pieces.push(piece.length);
      if (pieces.length === 3) stream.pause();
    });
    connection.write(Buffer.alloc(10 * PIECE_BYTES + 10, 0x41));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(pieces, [PIECE_BYTES, PIECE_BYTES, PIECE_BYTES]);
    stream.resume();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(
      pieces.reduce((sum, length) => sum + length, 0),
      10 * PIECE_BYTES + 10,
    );
    assert.ok(pieces.every((length) => length <= PIECE_BYTES));
  });

  it('gives the connection back with the bytes not yet handed on, and lets go of it', async () => {
    const connection = network();
    const stream = new HttpStream(connection);
    stream.on('data', () => stream.pause());
    connection.write(Buffer.from('GET /play HTTP/1.1\r\n\r\n'.padEnd(3000, 'x')));
    await new Promise((resolve) => setImmediate(resolve));
    const { connection: given, unparsed } = stream.detach();
    assert.equal(given, connection);
    assert.equal(unparsed.length, 3000 - PIECE_BYTES);
    stream.destroy();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(connection.destroyed, false);
  });
});
