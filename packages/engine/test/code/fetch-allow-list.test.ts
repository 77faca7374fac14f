import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isFetchAllowed } from '@millrace/engine/code';

test('an origin entry admits every path of exactly that origin', () => {
  const allow = ['https://api.example.com'];
  assert.ok(isFetchAllowed('https://api.example.com/', allow));
  assert.ok(isFetchAllowed('https://api.example.com/a/b?c=1', allow));
  assert.ok(!isFetchAllowed('http://api.example.com/', allow));
  assert.ok(!isFetchAllowed('https://api.example.com:8443/', allow));
  assert.ok(!isFetchAllowed('https://api.example.com.evil.net/', allow));
  assert.ok(!isFetchAllowed('https://evil.net/?https://api.example.com', allow));
});

test('a prefix entry admits URLs under it at a path boundary', () => {
  const allow = ['https://x.test/v1'];
  assert.ok(isFetchAllowed('https://x.test/v1', allow));
  assert.ok(isFetchAllowed('https://x.test/v1/items', allow));
  assert.ok(isFetchAllowed('https://x.test/v1?q=1', allow));
  assert.ok(!isFetchAllowed('https://x.test/v1evil', allow));
  assert.ok(!isFetchAllowed('https://x.test/v2', allow));
  // Dot segments are resolved before matching.
  assert.ok(!isFetchAllowed('https://x.test/v1/../admin', allow));
});

test('never other schemes, credentials or unparsable URLs', () => {
  const allow = ['https://x.test'];
  assert.ok(!isFetchAllowed('https://user:pw@x.test/', allow));
  assert.ok(!isFetchAllowed('file:///etc/passwd', ['file:///']));
  assert.ok(!isFetchAllowed('data:text/plain,hi', allow));
  assert.ok(!isFetchAllowed('not a url', allow));
  assert.ok(!isFetchAllowed('https://x.test/', []));
});
