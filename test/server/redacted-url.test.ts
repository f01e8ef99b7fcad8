import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redactedUrl } from '../../src/server/redacted-url.js';

describe('redactedUrl', () => {
  it('hides the password and keeps the rest', () => {
    assert.equal(
      redactedUrl('postgres://checkers:s3cret@db.example:5432/checkers', 'the URL'),
      'postgres://checkers:***@db.example:5432/checkers',
    );
    assert.equal(redactedUrl('redis://:hunter2@127.0.0.1:6379/0', 'the URL'), 'redis://:***@127.0.0.1:6379/0');
  });

  it('leaves a URL without a password as it is', () => {
    assert.equal(redactedUrl('redis://127.0.0.1:6379', 'the URL'), 'redis://127.0.0.1:6379');
  });

  it('names a value that is no URL instead of echoing it', () => {
    assert.equal(redactedUrl('redis//:s3cret@127.0.0.1', 'the --cluster URL'), 'the --cluster URL');
  });
});
