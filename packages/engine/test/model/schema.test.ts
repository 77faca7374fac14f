// schema/flow.v1.json and the types of src/model/flow.ts must describe the same format. The
// corpus (test/model/corpus) is typechecked by `tsc` (valid flows `satisfies FlowDefinition`,
// each invalid one carries a `@ts-expect-error` that fails the build when unused); this file
// runs the same corpus through the schema.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Validator, type OutputUnit, type Schema } from '@cfworker/json-schema';
import {
  BUILTIN_NODE_TYPES,
  FLOW_FORMAT,
  type FlowDefinition,
  type TriggerKind,
} from '../../src/model/flow.ts';
import { validFlows } from './corpus/valid.ts';
import { invalidFlows, schemaOnlyInvalidFlows, type InvalidFlow } from './corpus/invalid.ts';
import type { Expect, KnownNodesMatch } from './corpus/known-nodes.ts';

const SCHEMA_URL = new URL('../../schema/flow.v1.json', import.meta.url);
const SCHEMA_ID = 'https://millrace.dev/schema/flow.v1.json';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function loadSchema(): JsonObject {
  return JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as JsonObject;
}

/** A fresh validator per use: cfworker annotates the schema objects it dereferences. */
function validate(instance: unknown): OutputUnit[] {
  const validator = new Validator(loadSchema() as unknown as Schema, '2020-12', false);
  return validator.validate(instance).errors;
}

function describeErrors(errors: readonly OutputUnit[]): string {
  return errors.map((e) => `  ${e.instanceLocation} ${e.keyword}: ${e.error}`).join('\n');
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every subschema position of draft 2020-12 (applicators and their containers). */
const SCHEMA_VALUED = new Set([
  'additionalProperties',
  'unevaluatedProperties',
  'items',
  'contains',
  'propertyNames',
  'not',
  'if',
  'then',
  'else',
  'unevaluatedItems',
]);
const SCHEMA_ARRAYS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
const SCHEMA_MAPS = new Set(['$defs', 'properties', 'patternProperties', 'dependentSchemas']);
/** The other keywords this schema may use; a typo (`minimun`) is not silently ignored. */
const PLAIN_KEYWORDS = new Set([
  '$schema',
  '$id',
  '$ref',
  '$comment',
  'title',
  'description',
  'examples',
  'default',
  'type',
  'const',
  'enum',
  'required',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'dependentRequired',
  'format',
]);

interface Subschema {
  readonly pointer: string;
  readonly schema: Json;
}

/** Walks every subschema, with its JSON pointer inside the document. */
function subschemas(schema: Json, pointer = ''): Subschema[] {
  const out: Subschema[] = [{ pointer, schema }];
  if (!isObject(schema)) return out;
  for (const [key, value] of Object.entries(schema)) {
    const at = `${pointer}/${key}`;
    if (SCHEMA_VALUED.has(key)) out.push(...subschemas(value, at));
    else if (SCHEMA_ARRAYS.has(key) && Array.isArray(value)) {
      value.forEach((item, i) => out.push(...subschemas(item, `${at}/${i}`)));
    } else if (SCHEMA_MAPS.has(key) && isObject(value)) {
      for (const [name, item] of Object.entries(value)) {
        out.push(...subschemas(item, `${at}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`));
      }
    }
  }
  return out;
}

/** Resolves a same-document `$ref` (`#/$defs/node`) to its target, or undefined. */
function resolveRef(root: Json, ref: string): Json | undefined {
  if (!ref.startsWith('#')) return undefined;
  let current: Json | undefined = root;
  for (const raw of ref.slice(1).split('/').slice(1)) {
    const segment = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    current = isObject(current) ? current[segment] : undefined;
  }
  return current;
}

// ---------------------------------------------------------------------------------------------
// The schema itself

test('schema: draft 2020-12 with the published $id', () => {
  const schema = loadSchema();
  assert.equal(schema['$schema'], 'https://json-schema.org/draft/2020-12/schema');
  assert.equal(schema['$id'], SCHEMA_ID);
  assert.equal(typeof schema['description'], 'string');
  const format = (schema['properties'] as JsonObject)['format'] as JsonObject;
  assert.equal(format['const'], FLOW_FORMAT);
});

test('schema: every keyword is known and every subschema is an object or a boolean', () => {
  const problems: string[] = [];
  for (const { pointer, schema } of subschemas(loadSchema())) {
    if (typeof schema === 'boolean') continue;
    if (!isObject(schema)) {
      problems.push(`${pointer || '/'}: not a schema`);
      continue;
    }
    for (const key of Object.keys(schema)) {
      const known =
        SCHEMA_VALUED.has(key) ||
        SCHEMA_ARRAYS.has(key) ||
        SCHEMA_MAPS.has(key) ||
        PLAIN_KEYWORDS.has(key);
      if (!known) problems.push(`${pointer || '/'}: unknown keyword "${key}"`);
    }
    const pattern = schema['pattern'];
    if (typeof pattern === 'string') {
      try {
        new RegExp(pattern, 'u');
      } catch (err) {
        problems.push(`${pointer}/pattern: ${String(err)}`);
      }
    }
  }
  assert.deepEqual(problems, []);
});

test('schema: every $ref resolves, and every $defs entry is used and described', () => {
  const schema = loadSchema();
  const defs = schema['$defs'] as JsonObject;
  const used = new Set<string>();
  const unresolved: string[] = [];
  for (const { pointer, schema: sub } of subschemas(schema)) {
    if (!isObject(sub) || typeof sub['$ref'] !== 'string') continue;
    const ref = sub['$ref'];
    const target = resolveRef(schema, ref);
    if (target === undefined || !(isObject(target) || typeof target === 'boolean')) {
      unresolved.push(`${pointer}: ${ref}`);
    }
    const def = /^#\/\$defs\/([^/]+)$/.exec(ref);
    if (def) used.add(def[1]!);
  }
  assert.deepEqual(unresolved, []);
  assert.deepEqual(
    Object.keys(defs).filter((name) => !used.has(name)),
    [],
    'unused $defs',
  );
  assert.deepEqual(
    Object.entries(defs)
      .filter(([, def]) => !isObject(def) || typeof def['description'] !== 'string')
      .map(([name]) => name),
    [],
    '$defs without a description',
  );
});

test('schema: compiles, and every $ref resolves for the validator', () => {
  // cfworker throws on an unresolved $ref when it meets it, so validate documents that reach
  // every definition: the whole valid corpus plus odd shapes that take the else branches.
  const validator = new Validator(loadSchema() as unknown as Schema, '2020-12', false);
  for (const doc of [
    {},
    [],
    null,
    { nodes: [{}, { type: 7 }, { id: 'x', type: 'if' }], triggers: [{}, { kind: 'x' }] },
    ...validFlows.map((v) => v.flow),
  ]) {
    assert.doesNotThrow(() => validator.validate(doc));
  }
});

// ---------------------------------------------------------------------------------------------
// The corpus

test('corpus: the valid flows use every node kind, every trigger kind and a host action', () => {
  const types = new Set<string>();
  const triggers = new Set<string>();
  const visit = (graph: unknown): void => {
    if (!graph || typeof graph !== 'object') return;
    const g = graph as Record<string, unknown>;
    for (const node of Array.isArray(g['nodes']) ? g['nodes'] : []) {
      const n = node as Record<string, unknown>;
      types.add(String(n['type']));
      visit(n);
      visit(n['catch']);
      visit(n['finally']);
    }
    visit(g['onFailure']);
  };
  for (const { flow } of validFlows) {
    visit(flow);
    for (const trigger of flow.triggers ?? []) triggers.add(trigger.kind);
  }
  assert.deepEqual(
    BUILTIN_NODE_TYPES.filter((t) => !types.has(t)),
    [],
    'node kinds missing from the valid corpus',
  );
  const kinds: readonly TriggerKind[] = ['manual', 'schedule', 'webhook', 'event'];
  assert.deepEqual(
    kinds.filter((k) => !triggers.has(k)),
    [],
    'trigger kinds missing',
  );
  assert.ok(
    [...types].some((t) => !(BUILTIN_NODE_TYPES as readonly string[]).includes(t)),
    'no host action in the valid corpus',
  );
  assert.ok(validFlows.length >= 15, `only ${validFlows.length} valid flows`);
  assert.ok(invalidFlows.length >= 15, `only ${invalidFlows.length} invalid flows`);
});

test('corpus: names and why labels are unique', () => {
  const names = validFlows.map((v) => v.name);
  assert.equal(new Set(names).size, names.length);
  const whys = [...invalidFlows, ...schemaOnlyInvalidFlows].map((i) => i.why);
  assert.equal(new Set(whys).size, whys.length);
});

for (const { name, flow } of validFlows) {
  test(`schema accepts valid flow: ${name}`, () => {
    const errors = validate(flow);
    assert.equal(errors.length, 0, `unexpected errors:\n${describeErrors(errors)}`);
  });
}

function rejects({ flow, at }: InvalidFlow): void {
  const errors = validate(flow);
  assert.notEqual(errors.length, 0, 'the schema accepted it');
  const location = `#${at}`;
  assert.ok(
    errors.some((e) => e.instanceLocation === location),
    `no error at ${location}:\n${describeErrors(errors)}`,
  );
}

for (const entry of invalidFlows) {
  test(`schema and types reject: ${entry.why}`, () => rejects(entry));
}

for (const entry of schemaOnlyInvalidFlows) {
  test(`schema rejects (types cannot express it): ${entry.why}`, () => rejects(entry));
}

// ---------------------------------------------------------------------------------------------
// Field by field: one change at a time to a flow that uses every field, each a mistake the
// types reject as well (a wrong JSON type, a missing required field, an unknown field) or a
// range or pattern they cannot express. The corpus shows that schema and types agree; this
// shows that no field of the schema is left unchecked.

const everyField = {
  format: 'millrace.flow/v1',
  id: 'every-field',
  name: 'Every field',
  description: 'Base of the field-by-field checks.',
  version: 1,
  input: { type: 'object' },
  triggers: [
    { id: 'manual', kind: 'manual', name: 'Run', enabled: true },
    { id: 'nightly', kind: 'schedule', cron: '0 2 * * *', timezone: 'UTC', input: {} },
    { id: 'hook', kind: 'webhook', path: 'hooks/a', method: 'PUT', secret: 's' },
    { id: 'evt', kind: 'event', event: 'thing.happened', filter: '$<true>' },
  ],
  nodes: [
    {
      id: 'fetch',
      type: 'http',
      name: 'Fetch',
      description: 'd',
      input: { url: 'https://example.com' },
      retry: { maxAttempts: 2, backoff: 'exponential', delayMs: 1, maxDelayMs: 2, multiplier: 2 },
      timeoutMs: 5,
      continueOnError: false,
      skipIf: '$<false>',
      cache: { key: 'k', ttlMs: 1 },
      compensate: { type: 'undo', input: {}, timeoutMs: 1 },
      join: 'all',
      ui: { position: { x: 0, y: 0 }, pinned: true, collapsed: false, color: 'red' },
    },
    { id: 'check', type: 'if', input: { condition: true } },
    { id: 'route', type: 'switch', cases: [{ port: 'a', when: '$<true>', label: 'A' }] },
    {
      id: 'each',
      type: 'forEach',
      input: { items: [] },
      parallelism: 2,
      nodes: [{ id: 'x', type: 'log' }],
    },
    { id: 'loop', type: 'while', input: { condition: false }, maxIterations: 3, nodes: [] },
    {
      id: 'guard',
      type: 'try',
      nodes: [],
      catch: { nodes: [{ id: 'c', type: 'log' }] },
      finally: { nodes: [] },
    },
    { id: 'stage', type: 'group', nodes: [], edges: [], output: null },
    { id: 'script', type: 'code', code: 'export default () => 1', language: 'typescript' },
    { id: 'post', type: 'slack.post', input: { text: 'hi' } },
  ],
  edges: [{ from: 'fetch', to: 'check', port: 'out', label: 'l' }],
  output: null,
  onFailure: { nodes: [] },
  vars: { a: 1 },
  timeoutMs: 1000,
  maxConcurrentRuns: 2,
  tags: ['t'],
  ui: {
    layout: { key: 'v2:abc', x: 0, y: 0, width: 10, height: 10, nodes: [], edges: [], ports: [] },
  },
} satisfies FlowDefinition;

export type EveryFieldKnownNodes = Expect<KnownNodesMatch<typeof everyField>>;

const REMOVE = Symbol('remove');

/** [JSON pointer, new value or REMOVE]; the schema must report the pointer (or its parent). */
const fieldChanges: readonly (readonly [string, unknown])[] = [
  ['/name', 1],
  ['/description', false],
  ['/version', 'three'],
  ['/input', 'a schema'],
  ['/triggers', {}],
  ['/vars', []],
  ['/tags', 't'],
  ['/ui', 'wide'],
  ['/ui/layout', 'cached'],
  ['/ui/layout/key', REMOVE],
  ['/ui/layout/key', 1],
  ['/maxConcurrentRuns', 0],
  ['/triggers/0', 'manual'],
  ['/triggers/0/id', 7],
  ['/triggers/0/id', REMOVE],
  ['/triggers/0/name', 1],
  ['/triggers/0/enabled', 'yes'],
  ['/triggers/0/bogus', 1],
  ['/triggers/1/cron', 5],
  ['/triggers/1/timezone', ''],
  ['/triggers/1/timezone', 0],
  ['/triggers/1/bogus', 1],
  ['/triggers/2/path', ''],
  ['/triggers/2/path', 5],
  ['/triggers/2/path', 'a b'],
  ['/triggers/2/path', '///'],
  ['/triggers/2/secret', 1],
  ['/triggers/2/bogus', 1],
  ['/triggers/3/event', '  '],
  ['/triggers/3/event', 5],
  ['/triggers/3/filter', 1],
  ['/triggers/3/bogus', 1],
  ['/nodes/0/name', 1],
  ['/nodes/0/description', 1],
  ['/nodes/0/input', 'x'],
  ['/nodes/0/input', null],
  ['/nodes/0/continueOnError', 'no'],
  ['/nodes/0/skipIf', true],
  ['/nodes/0/retry', 3],
  ['/nodes/0/retry/multiplier', '2'],
  ['/nodes/0/retry/jitter', 1],
  ['/nodes/0/retry/retryOn', [1]],
  ['/nodes/0/retry/retryOn', 5],
  ['/nodes/0/retry/maxDelayMs', -1],
  ['/nodes/0/retry/delayMs', '1'],
  ['/nodes/0/cache', 'k'],
  ['/nodes/0/cache/key', ' '],
  ['/nodes/0/cache/bogus', 1],
  ['/nodes/0/compensate', 'undo'],
  ['/nodes/0/compensate/type', ''],
  ['/nodes/0/compensate/type', 1],
  ['/nodes/0/compensate/input', 'x'],
  ['/nodes/0/compensate/timeoutMs', 0],
  ['/nodes/0/compensate/bogus', 1],
  ['/nodes/0/ui', 'x'],
  ['/nodes/0/ui/position', 'top'],
  ['/nodes/0/ui/position', { x: 1 }],
  ['/nodes/0/ui/position/y', null],
  ['/nodes/0/ui/position/x', '1'],
  ['/nodes/0/ui/pinned', 'y'],
  ['/nodes/0/ui/collapsed', 1],
  ['/nodes/0/ui/color', 1],
  ['/nodes/1/input', REMOVE],
  ['/nodes/1/bogus', 1],
  ['/nodes/2/cases', 'a'],
  ['/nodes/2/cases/0', 'a'],
  ['/nodes/2/cases/0/port', ' '],
  ['/nodes/2/cases/0/port', 5],
  ['/nodes/2/cases/0/when', 1],
  ['/nodes/2/cases/0/label', 1],
  ['/nodes/2/cases/0/bogus', 1],
  ['/nodes/2/bogus', 1],
  ['/nodes/3/input', REMOVE],
  ['/nodes/3/parallelism', '2'],
  ['/nodes/3/edges', 'none'],
  ['/nodes/3/nodes/0/type', 7],
  ['/nodes/3/nodes/0/bogus', 1],
  ['/nodes/3/bogus', 1],
  ['/nodes/4/input', REMOVE],
  ['/nodes/4/nodes', REMOVE],
  ['/nodes/4/maxIterations', '3'],
  ['/nodes/4/bogus', 1],
  ['/nodes/5/nodes', REMOVE],
  ['/nodes/5/catch/nodes/0/id', 'bad id'],
  ['/nodes/5/finally', 'x'],
  ['/nodes/5/finally/bogus', 1],
  ['/nodes/5/bogus', 1],
  ['/nodes/6/nodes', REMOVE],
  ['/nodes/6/bogus', 1],
  ['/nodes/7/code', 1],
  ['/nodes/7/bogus', 1],
  ['/nodes/8/type', 7],
  ['/nodes/8/join', 'both'],
  ['/nodes/8/bogus', 1],
  ['/nodes/8', 'slack.post'],
  ['/edges/0', 'fetch->check'],
  ['/edges/0/to', REMOVE],
  ['/edges/0/label', 1],
  ['/edges/0/from', 'a b'],
  ['/onFailure/nodes', 'none'],
];

function changed(pointer: string, value: unknown): unknown {
  const doc = JSON.parse(JSON.stringify(everyField)) as Record<string, unknown>;
  const path = pointer.split('/').slice(1);
  let parent = doc as Record<string, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string, unknown>;
  const last = path[path.length - 1]!;
  if (value === REMOVE) delete parent[last];
  else parent[last] = value;
  return doc;
}

test('schema accepts the every-field base flow', () => {
  const errors = validate(everyField);
  assert.equal(errors.length, 0, describeErrors(errors));
});

for (const [pointer, value] of fieldChanges) {
  const removal = value === REMOVE;
  const what = removal ? 'removed' : `= ${JSON.stringify(value)}`;
  test(`schema rejects the every-field flow with ${pointer} ${what}`, () => {
    const at = removal ? pointer.slice(0, pointer.lastIndexOf('/')) : pointer;
    rejects({ why: pointer, at, flow: changed(pointer, value) });
  });
}

test('schema: the valid flows stay valid after a JSON round trip', () => {
  // The corpus is TypeScript; the schema reads JSON. Nothing in it may depend on undefined
  // values or other things JSON drops.
  for (const { name, flow } of validFlows) {
    assert.deepEqual(JSON.parse(JSON.stringify(flow)), flow, name);
  }
});
