import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isMillraceError } from '@millrace/engine';
import { createHttpHandler } from '@millrace/adapters/http/server';
import { checkBasePath, stripBasePath } from '../../src/http/server/match-route.ts';

test('basePath is normalised: none, "/" and "" are no prefix; a trailing slash is dropped', () => {
  assert.equal(checkBasePath(undefined), '');
  assert.equal(checkBasePath(''), '');
  assert.equal(checkBasePath('/'), '');
  assert.equal(checkBasePath('/api/'), '/api');
  assert.equal(checkBasePath('/v1/millrace'), '/v1/millrace');
});

test('a basePath without a leading slash, with "//" or a query is E_INVALID_ARGUMENT at /basePath', () => {
  for (const bad of ['api', '/api//x', '/api?x=1', '//']) {
    assert.throws(
      () => createHttpHandler({} as never, { auth: () => true, basePath: bad }),
      (error: unknown) =>
        isMillraceError(error) && error.code === 'E_INVALID_ARGUMENT' && error.path === '/basePath',
      bad,
    );
  }
});

test('paths under basePath lose it; the base itself is "/"; anything else is outside', () => {
  assert.equal(stripBasePath('/api/runs/r1', '/api'), '/runs/r1');
  assert.equal(stripBasePath('/api', '/api'), '/');
  assert.equal(stripBasePath('/api/', '/api'), '/');
  assert.equal(stripBasePath('/apix/runs', '/api'), undefined);
  assert.equal(stripBasePath('/runs', '/api'), undefined);
  assert.equal(stripBasePath('/runs', ''), '/runs');
});
