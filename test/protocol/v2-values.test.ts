import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  GameOverReason,
  gameOverReasonText,
  InvalidLoginReason,
  illegalMoveText,
  isOfferedTimeControl,
  loginRefusalText,
  parseTimeControl,
  TIME_CONTROLS,
  timeControlText,
} from '../../src/protocol/index.js';
import { protocolDocument } from '../support/protocol-doc.js';

describe('version-2 values', () => {
  it('offers exactly the time controls of docs/PROTOCOL.md 12.7', () => {
    assert.deepEqual(TIME_CONTROLS.map(timeControlText), ['no clock', '3+2', '5+3', '10+5', '15+10']);
    const games = protocolDocument().slice(protocolDocument().indexOf('### 12.7'));
    assert.match(games, /\*\*Time controls\*\*: 3\+2, 5\+3, 10\+5 and 15\+10/);
    assert.equal(isOfferedTimeControl(300, 3), true);
    assert.equal(isOfferedTimeControl(0, 0), true);
    assert.equal(isOfferedTimeControl(300, 2), false);
    assert.equal(isOfferedTimeControl(120, 0), false);
  });

  it('reads a time control as a player types it', () => {
    assert.deepEqual(parseTimeControl('5+3'), { initialSeconds: 300, incrementSeconds: 3 });
    assert.deepEqual(parseTimeControl(' 15+10 '), { initialSeconds: 900, incrementSeconds: 10 });
    assert.deepEqual(parseTimeControl('none'), { initialSeconds: 0, incrementSeconds: 0 });
    assert.deepEqual(parseTimeControl('0+0'), { initialSeconds: 0, incrementSeconds: 0 });
    assert.equal(parseTimeControl('5+2'), undefined);
    assert.equal(parseTimeControl('5'), undefined);
    assert.equal(parseTimeControl('blitz'), undefined);
  });

  it('says what a refused resume token and an illegal move mean', () => {
    assert.equal(
      loginRefusalText(InvalidLoginReason.ResumeRefused),
      'the saved login has expired or was revoked; log in with your password',
    );
    assert.equal(loginRefusalText(InvalidLoginReason.WrongPassword), 'wrong password');
    assert.equal(illegalMoveText(0), 'that is not a legal move here');
    assert.equal(illegalMoveText(1), 'a capture is compulsory');
    assert.equal(illegalMoveText(2), 'the capture can go on: give the whole path');
    assert.equal(illegalMoveText(9), 'reason 9');
  });

  it('names every GameOver2 reason of docs/PROTOCOL.md 12.2', () => {
    assert.equal(gameOverReasonText(GameOverReason.ThreefoldRepetition), 'threefold repetition');
    assert.equal(gameOverReasonText(GameOverReason.OutOfTime), 'out of time');
    assert.equal(gameOverReasonText(GameOverReason.MoveClock), 'the move clock ran out');
    for (let reason = 0; reason <= 9; reason++) assert.doesNotMatch(gameOverReasonText(reason), /^reason/);
    assert.equal(gameOverReasonText(10), 'reason 10');
  });
});
