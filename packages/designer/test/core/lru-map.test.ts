import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLruMap } from '../../src/core/lru-map.ts';

test('an LRU map drops the least recently used entry, a get counting as a use', () => {
  const lru = createLruMap<number>(2);
  lru.set('a', 1);
  lru.set('b', 2);
  assert.equal(lru.get('a'), 1);
  lru.set('c', 3);
  assert.equal(lru.has('b'), false);
  assert.deepEqual(
    [...lru.entries()],
    [
      ['a', 1],
      ['c', 3],
    ],
  );
  lru.set('a', 4); // a set is a use too, and replaces the value
  lru.set('d', 5);
  assert.deepEqual(
    [...lru.entries()].map(([k]) => k),
    ['a', 'd'],
  );
  assert.equal(lru.get('a'), 4);
  lru.clear();
  assert.equal(lru.size, 0);
});
