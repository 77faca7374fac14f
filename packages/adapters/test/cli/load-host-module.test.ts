import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MillraceError } from '@millrace/engine';
import { loadHostModule } from '../../src/cli/load-host-module.ts';
import { main } from '../../src/cli/main.ts';

// `millrace serve --actions MODULE`: the host actions (and secrets) its engines get.

const dir = mkdtempSync(join(tmpdir(), 'millrace-host-module-'));
const moduleWith = (name: string, source: string): string => {
  const file = join(dir, name);
  writeFileSync(file, source);
  return file;
};
const ECHO = `{ type: 'acme.echo', title: 'Echo', run: (input) => input }`;

const rejectsWith = (promise: Promise<unknown>, code: string, message: RegExp) =>
  assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof MillraceError, String(error));
    assert.equal(error.code, code);
    assert.match(error.message, message);
    return true;
  });

test('named exports: actions (an array) and secrets', async () => {
  const file = moduleWith(
    'named.mjs',
    `export const actions = [${ECHO}]; export const secrets = { ACME_TOKEN: 't' };`,
  );
  const loaded = await loadHostModule(file);
  assert.deepEqual(
    loaded.actions.map((a) => a.type),
    ['acme.echo'],
  );
  assert.deepEqual(loaded.secrets, { ACME_TOKEN: 't' });
});

test('a default export carrying actions as a record, without secrets', async () => {
  const file = moduleWith('default.mjs', `export default { actions: { echo: ${ECHO} } };`);
  const loaded = await loadHostModule(file);
  assert.equal(loaded.actions[0]?.type, 'acme.echo');
  assert.equal(loaded.secrets, undefined);
});

test('a missing module is E_CLI_FILE naming the path looked at', async () => {
  await rejectsWith(loadHostModule(join(dir, 'nope.ts')), 'E_CLI_FILE', /no such file.*nope\.ts/);
});

test('a module without actions is E_CLI_MODULE listing what it exports', async () => {
  const file = moduleWith('wrong.mjs', 'export const handlers = [];');
  await rejectsWith(loadHostModule(file), 'E_CLI_MODULE', /exports no `actions`.*handlers/);
});

test('an action without run is E_CLI_MODULE with its index', async () => {
  const file = moduleWith('no-run.mjs', `export const actions = [${ECHO}, { type: 'x' }];`);
  await rejectsWith(loadHostModule(file), 'E_CLI_MODULE', /actions\[1\].*`run` function/);
});

test('secrets that are not strings are E_CLI_MODULE', async () => {
  const file = moduleWith(
    'bad-secrets.mjs',
    `export const actions = []; export const secrets = { A: 1 };`,
  );
  await rejectsWith(loadHostModule(file), 'E_CLI_MODULE', /`secrets` must be an object/);
});

test('a module that throws while loading is E_CLI_MODULE with its message', async () => {
  const file = moduleWith('throws.mjs', `throw new Error('no config here');`);
  await rejectsWith(loadHostModule(file), 'E_CLI_MODULE', /could not be loaded: no config here/);
});

test('serve with a bad --actions exits 2 with the typed error, before opening any store', async () => {
  let err = '';
  const stderr = { write: (s: string) => ((err += s), true) } as unknown as NodeJS.WriteStream;
  const data = join(dir, 'never-created');
  const code = await main(['serve', '--actions', join(dir, 'nope.ts'), '--data', data], {
    stdout: stderr,
    stderr,
  });
  assert.equal(code, 2);
  assert.match(err, /^error E_CLI_FILE: --actions .*nope\.ts: no such file/);
  assert.equal(existsSync(data), false);
});
