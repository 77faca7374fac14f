import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mainParameters } from '@millrace/engine/code';

test('plain parameters', () => {
  assert.deepEqual(mainParameters('function main(a, b, c) { return a }'), ['a', 'b', 'c']);
  assert.deepEqual(mainParameters('async function main() {}'), []);
});

test('defaults holding commas, brackets, strings and comments', () => {
  assert.deepEqual(
    mainParameters(
      'function main(a = { x: 1, y: [2, 3] }, b = "a,b)", /* c, */ c = f(1, 2), d = `x,${1}`, // e,\n e) {}',
    ),
    ['a', 'b', 'c', 'd', 'e'],
  );
});

test('rest parameters keep their name; destructured ones have none', () => {
  assert.deepEqual(mainParameters('function main({ a, b }, [c], ...rest) {}'), ['', '', 'rest']);
});

test('a trailing comma and arrow functions', () => {
  assert.deepEqual(mainParameters('function main(a, b,) {}'), ['a', 'b']);
  assert.deepEqual(mainParameters('async (x, y) => x'), ['x', 'y']);
  assert.deepEqual(mainParameters('x => x'), ['x']);
});
