import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ActionDescriptor, JsonSchema, ScheduleTrigger } from '@millrace/engine';
import {
  NODE_SETTINGS_SCHEMA,
  NODE_SETTING_KEYS,
  TRIGGER_SCHEMAS,
  compensationActions,
  nodeSettingsSchema,
  scheduleDiagnostics,
  triggerSchemas,
} from '../../src/core/node-settings.ts';
import {
  defaultValueOf,
  formFieldsOf,
  planEdit,
  type FormField,
} from '../../src/core/schema-form.ts';

function fields(root: FormField): Record<string, FormField> {
  assert.equal(root.kind, 'object');
  return Object.fromEntries(
    (root.kind === 'object' ? root.fields : []).map((f) => [String(f.key), f]),
  );
}

const settingsOf = (node: Record<string, unknown>, schema: JsonSchema = NODE_SETTINGS_SCHEMA) =>
  fields(formFieldsOf(schema, node, { partial: true }));

test('the settings schema covers every node option, in order', () => {
  const f = settingsOf({ id: 'a', type: 'http' });
  assert.deepEqual(Object.keys(f), [...NODE_SETTING_KEYS]);
  assert.deepEqual(
    Object.values(f).map((x) => [x.pointer, x.kind]),
    [
      ['/retry', 'object'],
      ['/timeoutMs', 'integer'],
      ['/continueOnError', 'boolean'],
      ['/skipIf', 'string'],
      ['/cache', 'object'],
      ['/compensate', 'oneOf'],
      ['/join', 'enum'],
    ],
  );
});

test('the node’s own fields (id, type, input) are not settings', () => {
  const f = settingsOf({ id: 'a', type: 'http', input: { url: 'x' }, name: 'n' });
  assert.equal(f['id'], undefined);
  assert.equal(f['input'], undefined);
  assert.equal(f['name'], undefined);
  assert.equal(f['type'], undefined);
  const root = formFieldsOf(NODE_SETTINGS_SCHEMA, { id: 'a' }, { partial: true });
  assert.ok(root.kind === 'object' && root.additional === false, 'no adding node keys');
});

test('retry: max attempts (required), backoff fixed/exponential, delays, jitter, retryOn', () => {
  const retry = settingsOf({
    retry: {
      maxAttempts: 5,
      backoff: 'exponential',
      delayMs: 500,
      maxDelayMs: 30000,
      jitter: true,
    },
  })['retry']!;
  const r = fields(retry);
  assert.deepEqual(
    Object.values(r).map((x) => [x.key, x.kind, x.value]),
    [
      ['maxAttempts', 'integer', 5],
      ['backoff', 'enum', 'exponential'],
      ['delayMs', 'integer', 500],
      ['maxDelayMs', 'integer', 30000],
      ['multiplier', 'number', undefined],
      ['jitter', 'boolean', true],
      ['retryOn', 'oneOf', undefined],
    ],
  );
  assert.equal(r['maxAttempts']!.required, true);
  const backoff = r['backoff']!;
  assert.ok(backoff.kind === 'enum');
  assert.deepEqual(backoff.enumValues, ['fixed', 'exponential']);
  assert.deepEqual(backoff.enumLabels, ['Fixed', 'Exponential']);
  assert.equal(backoff.default, 'fixed');
});

test('retryOn is a list of error codes or a condition', () => {
  const codes = fields(settingsOf({ retry: { maxAttempts: 2, retryOn: ['E_HTTP'] } })['retry']!)[
    'retryOn'
  ]!;
  assert.ok(codes.kind === 'oneOf' && codes.selected === 0 && codes.field?.kind === 'array');
  const expr = fields(
    settingsOf({ retry: { maxAttempts: 2, retryOn: '$<error.status == 503>' } })['retry']!,
  )['retryOn']!;
  assert.ok(expr.kind === 'oneOf' && expr.expression);
});

test('a new retry policy starts from its required max attempts', () => {
  const schema = (NODE_SETTINGS_SCHEMA as { properties: Record<string, JsonSchema> }).properties[
    'retry'
  ];
  assert.deepEqual(defaultValueOf(schema), { maxAttempts: 3 });
});

test('timeout, continueOnError, skipIf (expression), join any/all', () => {
  const f = settingsOf({
    timeoutMs: 10000,
    continueOnError: true,
    skipIf: '$<vars.skip>',
    join: 'all',
  });
  assert.equal(f['timeoutMs']!.value, 10000);
  assert.equal(f['continueOnError']!.value, true);
  assert.equal(f['skipIf']!.expression, true);
  assert.equal(f['skipIf']!.format, 'expression');
  const join = f['join']!;
  assert.ok(join.kind === 'enum');
  assert.deepEqual(join.enumValues, ['any', 'all']);
  assert.equal(join.default, 'any');
});

test('cache: key expression and ttl, both required', () => {
  const cache = fields(settingsOf({ cache: { key: '$<flow.input.id>', ttlMs: 60000 } })['cache']!);
  assert.equal(cache['key']!.expression, true);
  assert.equal(cache['key']!.required, true);
  assert.equal(cache['ttlMs']!.value, 60000);
  assert.equal(cache['ttlMs']!.required, true);
});

const slack: ActionDescriptor = {
  type: 'slack.post',
  title: 'Slack message',
  inputSchema: {
    type: 'object',
    required: ['channel'],
    properties: { channel: { $ref: '#/$defs/channel' }, text: { type: 'string' } },
    $defs: { channel: { type: 'string', title: 'Channel' } },
  },
};

test('compensate picks an action of the catalog (built-ins too, not code)', () => {
  const types = compensationActions([slack]).map((a) => a.type);
  assert.ok(types.includes('http'));
  assert.ok(types.includes('slack.post'));
  assert.ok(!types.includes('code'));
  const schema = nodeSettingsSchema({ catalog: [slack] });
  const compensate = settingsOf(
    { compensate: { type: 'slack.post', input: { channel: '#ops' } } },
    schema,
  )['compensate']!;
  assert.ok(compensate.kind === 'oneOf');
  assert.equal(compensate.variants[compensate.selected]!.title, 'Slack message');
  const sub = fields(compensate.field!);
  assert.equal(sub['type']!.discriminator, true);
  const input = fields(sub['input']!);
  // The action schema's own $refs still resolve inside the settings schema.
  assert.equal(input['channel']!.kind, 'string');
  assert.equal(input['channel']!.label, 'Channel');
  assert.equal(input['channel']!.required, true);
  assert.equal(input['channel']!.value, '#ops');
});

test('switching the compensation action starts from that action’s default', () => {
  const schema = nodeSettingsSchema({ catalog: [slack] });
  const compensate = settingsOf({}, schema)['compensate']!;
  assert.ok(compensate.kind === 'oneOf' && compensate.selected === -1);
  const variant = compensate.variants.find((v) => v.title === 'Slack message')!;
  assert.deepEqual(defaultValueOf(variant.schema, schema), { type: 'slack.post' });
  // Its input appears, with the action's required fields, on the first edit inside it.
  const chosen = formFieldsOf(schema, { compensate: { type: 'slack.post' } }, { partial: true });
  assert.deepEqual(planEdit(chosen, ['compensate', 'input', 'text'], 'hi', schema), {
    path: ['compensate', 'input'],
    value: { channel: '', text: 'hi' },
  });
});

test('an action without an input schema compensates with a free input mapping', () => {
  const compensate = settingsOf({ compensate: { type: 'transform', input: { a: 1 } } })[
    'compensate'
  ]!;
  assert.ok(compensate.kind === 'oneOf');
  const input = fields(compensate.field!)['input']!;
  assert.ok(input.kind === 'object');
  assert.deepEqual(input.additional, {});
});

test('settings texts can be replaced', () => {
  const f = settingsOf({}, nodeSettingsSchema({ text: { retry: 'Wiederholen', joinAll: 'Alle' } }));
  assert.equal(f['retry']!.label, 'Wiederholen');
  const join = f['join']!;
  assert.ok(join.kind === 'enum');
  assert.deepEqual(join.enumLabels, ['When any incoming edge is active', 'Alle']);
});

// ---------------------------------------------------------------------------------------------
// Triggers

test('each trigger kind has a schema; every one can be disabled', () => {
  assert.deepEqual(Object.keys(TRIGGER_SCHEMAS).sort(), ['event', 'manual', 'schedule', 'webhook']);
  for (const schema of Object.values(TRIGGER_SCHEMAS)) {
    const f = fields(formFieldsOf(schema, {}));
    assert.equal(f['enabled']!.kind, 'boolean');
    assert.equal(f['enabled']!.default, true);
  }
});

test('schedule: cron (required), timezone (UTC by default), input', () => {
  const f = fields(
    formFieldsOf(TRIGGER_SCHEMAS.schedule, { id: 't', kind: 'schedule', cron: '0 2 * * *' }),
  );
  assert.equal(f['cron']!.kind, 'string');
  assert.equal(f['cron']!.format, 'cron');
  assert.equal(f['cron']!.required, true);
  assert.equal(f['cron']!.value, '0 2 * * *');
  assert.equal(f['timezone']!.default, 'UTC');
  assert.equal(f['input']!.kind, 'json');
});

test('webhook: path (required), method, secret', () => {
  const f = fields(formFieldsOf(TRIGGER_SCHEMAS.webhook, { path: 'x', secret: '$<secrets.S>' }));
  assert.equal(f['path']!.required, true);
  const method = f['method']!;
  assert.ok(method.kind === 'enum');
  assert.deepEqual(method.enumValues, ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
  assert.equal(f['secret']!.expression, true);
});

test('event: event name (required) and a filter expression', () => {
  const f = fields(formFieldsOf(TRIGGER_SCHEMAS.event, { event: 'jira.issue.updated' }));
  assert.equal(f['event']!.required, true);
  assert.equal(f['filter']!.format, 'expression');
});

test('trigger texts can be replaced', () => {
  const f = fields(formFieldsOf(triggerSchemas({ cron: 'Zeitplan' }).schedule, {}));
  assert.equal(f['cron']!.label, 'Zeitplan');
});

test('scheduleDiagnostics reports the engine’s E_CRON_INVALID at the trigger’s cron', () => {
  const bad: ScheduleTrigger = { id: 'nightly', kind: 'schedule', cron: 'not a cron' };
  const [d, ...rest] = scheduleDiagnostics(bad, '/triggers/2');
  assert.equal(rest.length, 0);
  assert.equal(d!.code, 'E_CRON_INVALID');
  assert.equal(d!.path, '/triggers/2/cron');
  assert.match(d!.message, /Trigger "nightly"/);
});

test('scheduleDiagnostics reports an unknown time zone at the timezone', () => {
  const [d] = scheduleDiagnostics({
    id: 't',
    kind: 'schedule',
    cron: '0 2 * * *',
    timezone: 'Mars/Base',
  });
  assert.equal(d!.path, '/triggers/0/timezone');
});

test('scheduleDiagnostics is empty for a valid schedule and for other kinds', () => {
  assert.deepEqual(
    scheduleDiagnostics({ id: 't', kind: 'schedule', cron: '0 2 * * *', timezone: 'UTC' }),
    [],
  );
  assert.deepEqual(scheduleDiagnostics({ id: 't', kind: 'manual' }), []);
});
