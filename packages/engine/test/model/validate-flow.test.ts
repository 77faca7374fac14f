import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { validateFlow, type ValidateOptions } from '../../src/model/validate-flow.ts';
import type { Diagnostic } from '../../src/model/diagnostic.ts';

type Json = Record<string, unknown>;

function flow(nodes: unknown[], edges: unknown[] = [], extra: Json = {}): Json {
  return { format: 'millrace.flow/v1', id: 'f', nodes, edges, ...extra };
}

function errors(doc: unknown, options?: ValidateOptions): Diagnostic[] {
  return validateFlow(doc, options).filter((d) => d.severity === 'error');
}

function find(doc: unknown, code: string, options?: ValidateOptions): Diagnostic[] {
  return validateFlow(doc, options).filter((d) => d.code === code);
}

const expense = flow(
  [
    {
      id: 'extract',
      type: 'http',
      input: { url: '$<flow.input.source>', method: 'GET' },
      retry: {
        maxAttempts: 5,
        backoff: 'exponential',
        delayMs: 500,
        maxDelayMs: 30000,
        jitter: true,
      },
      timeoutMs: 10000,
    },
    {
      id: 'valid',
      type: 'if',
      input: { condition: '$<nodes.extract.output.body.records.length > 0>' },
    },
    {
      id: 'each',
      type: 'forEach',
      input: { items: '$<nodes.extract.output.body.records>' },
      parallelism: 8,
      nodes: [
        {
          id: 'enrich',
          type: 'code',
          input: { record: '$<item>', at: '$<index>' },
          code: 'export default (i) => i',
        },
      ],
      edges: [],
    },
    { id: 'notify', type: 'log', input: { message: 'Loaded $<nodes.each.output.length> records' } },
  ],
  [
    { from: 'extract', to: 'valid' },
    { from: 'valid', port: 'true', to: 'each' },
    { from: 'each', to: 'notify' },
  ],
  {
    name: 'Expense approval',
    triggers: [
      { id: 'manual', kind: 'manual' },
      { id: 'nightly', kind: 'schedule', cron: '0 2 * * *', timezone: 'UTC' },
      { id: 'hook', kind: 'webhook', path: 'expense', secret: '$<secrets.HOOK_SECRET>' },
      {
        id: 'jira',
        kind: 'event',
        event: 'jira.issue.updated',
        filter: "$<event.status == 'Done'>",
      },
    ],
    output: '$<nodes.each.output>',
    onFailure: {
      nodes: [
        {
          id: 'alert',
          type: 'log',
          input: { message: 'Failed: $<error.message> after $<nodes.extract.status>' },
        },
      ],
    },
  },
);

test('the design example is valid', () => {
  assert.deepEqual(validateFlow(expense), []);
});

test('never throws and always returns diagnostics for non-flows', () => {
  for (const doc of [null, undefined, 42, 'flow', [], true, {}]) {
    const result = validateFlow(doc);
    assert.ok(result.length > 0, JSON.stringify(doc));
  }
  assert.deepEqual(
    find(null, 'E_NOT_OBJECT').map((d) => d.path),
    [''],
  );
});

test('never throws on arbitrary JSON (property)', () => {
  fc.assert(
    fc.property(fc.jsonValue(), (doc) => {
      assert.ok(Array.isArray(validateFlow(doc)));
    }),
    { numRuns: 300 },
  );
});

test('never throws on flows with random nodes, edges and expressions (property)', () => {
  const id = fc.constantFrom('a', 'b', 'c', 'd', 'each', 'x y', '');
  const type = fc.constantFrom(
    'if',
    'switch',
    'forEach',
    'while',
    'try',
    'group',
    'log',
    'transform',
    'nope',
    'approval',
  );
  const expr = fc.oneof(
    fc.string(),
    fc.constantFrom(
      '$<nodes.a.output>',
      '$<item>',
      '$<error>',
      '$<(',
      '$<nodes.>',
      'x $<1+>',
      '$<a ? b : >',
    ),
  );
  const node: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
    node: fc.record(
      {
        id,
        type,
        input: fc.dictionary(fc.constantFrom('condition', 'items', 'url', 'message'), expr),
        nodes: fc.array(tie('node'), { maxLength: 2 }),
        cases: fc.array(fc.record({ port: fc.string(), when: expr })),
        retry: fc.record({
          maxAttempts: fc.integer(),
          delayMs: fc.integer(),
          maxDelayMs: fc.integer(),
        }),
      },
      { requiredKeys: ['id', 'type'] },
    ),
  })).node;
  const edge = fc.record({
    from: id,
    to: id,
    port: fc.option(fc.constantFrom('true', 'false', 'out', 'zzz'), { nil: undefined }),
  });
  fc.assert(
    fc.property(
      fc.array(node, { maxLength: 6 }),
      fc.array(edge, { maxLength: 8 }),
      (nodes, edges) => {
        const result = validateFlow(
          flow(
            nodes,
            edges.map((e) => JSON.parse(JSON.stringify(e))),
          ),
        );
        for (const d of result) {
          assert.equal(typeof d.code, 'string');
          assert.equal(typeof d.message, 'string');
          assert.ok(d.path === '' || d.path.startsWith('/'), d.path);
        }
      },
    ),
    { numRuns: 300 },
  );
});

test('reports the format and required top-level fields', () => {
  const result = validateFlow({ format: 'other/v9', nodes: 'x' });
  assert.deepEqual(
    result.map((d) => [d.code, d.path]),
    [
      ['E_FORMAT', '/format'],
      ['E_REQUIRED', '/id'],
      ['E_TYPE', '/nodes'],
    ],
  );
  assert.match(result[0]!.message, /migrateFlow/);
});

test('reports unknown fields, wrong types and out-of-range numbers with pointers', () => {
  const result = validateFlow(
    flow(
      [
        {
          id: 'a',
          type: 'log',
          input: { message: 'x' },
          timeoutMs: 0,
          continueOnError: 'yes',
          colour: 'red',
        },
      ],
      [],
      { maxConcurrentRuns: 0 },
    ),
  );
  assert.deepEqual(result.map((d) => [d.code, d.path]).sort(), [
    ['E_TYPE', '/nodes/0/continueOnError'],
    ['E_UNKNOWN_FIELD', '/nodes/0/colour'],
    ['E_VALUE', '/maxConcurrentRuns'],
    ['E_VALUE', '/nodes/0/timeoutMs'],
  ]);
});

test('reports unknown node types, suggesting a near match from the catalog', () => {
  const catalog = [{ type: 'slack.post', title: 'Post to Slack' }];
  const [d] = find(flow([{ id: 'a', type: 'Slack.Post' }]), 'E_UNKNOWN_NODE_TYPE', { catalog });
  assert.equal(d?.path, '/nodes/0/type');
  assert.match(d!.message, /did you mean "slack.post"/);
  assert.deepEqual(errors(flow([{ id: 'a', type: 'slack.post' }]), { catalog }), []);
});

test('reports duplicate ids, also across containers', () => {
  const result = find(
    flow([
      { id: 'a', type: 'log', input: { message: 'x' } },
      { id: 'g', type: 'group', nodes: [{ id: 'a', type: 'log', input: { message: 'y' } }] },
    ]),
    'E_DUPLICATE_ID',
  );
  assert.equal(result.length, 1);
  assert.equal(result[0]!.path, '/nodes/1/nodes/0/id');
  assert.deepEqual(result[0]!.related, ['/nodes/0']);
});

test('reports invalid ids', () => {
  const [d] = find(
    flow([{ id: 'send mail', type: 'log', input: { message: 'x' } }]),
    'E_ID_INVALID',
  );
  assert.equal(d?.path, '/nodes/0/id');
  assert.match(d!.message, /send_mail/);
});

test('reports edges to unknown nodes and across graph boundaries', () => {
  const doc = flow(
    [
      { id: 'a', type: 'log', input: { message: 'x' } },
      { id: 'g', type: 'group', nodes: [{ id: 'in', type: 'log', input: { message: 'y' } }] },
    ],
    [
      { from: 'a', to: 'ghost' },
      { from: 'a', to: 'in' },
    ],
  );
  assert.deepEqual(
    find(doc, 'E_UNKNOWN_NODE').map((d) => d.path),
    ['/edges/0/to'],
  );
  assert.deepEqual(
    find(doc, 'E_EDGE_SCOPE').map((d) => d.path),
    ['/edges/1/to'],
  );
});

test('reports unknown and missing ports', () => {
  const doc = flow(
    [
      { id: 'i', type: 'if', input: { condition: '$<flow.input.x>' } },
      { id: 'a', type: 'log', input: { message: 'x' } },
      { id: 'b', type: 'log', input: { message: 'x' } },
      { id: 'c', type: 'log', input: { message: 'x' } },
    ],
    [
      { from: 'i', port: 'yes', to: 'a' },
      { from: 'i', to: 'b' },
      { from: 'a', port: 'true', to: 'c' },
    ],
  );
  assert.deepEqual(
    find(doc, 'E_UNKNOWN_PORT').map((d) => d.path),
    ['/edges/0/port', '/edges/2/port'],
  );
  assert.deepEqual(
    find(doc, 'E_PORT_REQUIRED').map((d) => d.path),
    ['/edges/1'],
  );
  assert.match(find(doc, 'E_UNKNOWN_PORT')[0]!.message, /"true", "false"/);
});

test('switch ports come from its cases; duplicates and unused ports are reported', () => {
  const doc = flow(
    [
      {
        id: 's',
        type: 'switch',
        cases: [
          { port: 'small', when: '$<flow.input.amount < 500>' },
          { port: 'small', when: '$<true>' },
          { port: 'big', when: '$<flow.input.amount >= 500>' },
        ],
      },
      { id: 'a', type: 'log', input: { message: 'x' } },
      { id: 'b', type: 'log', input: { message: 'x' } },
    ],
    [
      { from: 's', port: 'small', to: 'a' },
      { from: 's', port: 'default', to: 'b' },
    ],
  );
  assert.deepEqual(
    find(doc, 'E_DUPLICATE_PORT').map((d) => d.path),
    ['/nodes/0/cases/1/port'],
  );
  assert.deepEqual(
    find(doc, 'W_UNUSED_PORT').map((d) => d.message),
    ['The switch "s" has a case "big" but no edge leaves that port.'],
  );
  assert.deepEqual(find(doc, 'E_UNKNOWN_PORT'), []);
});

test('reports cycles naming the nodes on them', () => {
  const doc = flow(
    [
      { id: 'a', type: 'log', input: { message: 'x' } },
      { id: 'b', type: 'log', input: { message: 'x' } },
      { id: 'c', type: 'log', input: { message: 'x' } },
    ],
    [
      { from: 'a', to: 'b' },
      { from: 'b', to: 'c' },
      { from: 'c', to: 'b' },
    ],
  );
  const [d] = find(doc, 'E_CYCLE');
  assert.deepEqual([...(d?.related ?? [])].sort(), ['b', 'c']);
  assert.match(d!.message, /"b" → "c" → "b"|"c" → "b" → "c"/);
  assert.match(d!.message, /while/);
});

test('reports cycles inside container bodies', () => {
  const doc = flow([
    {
      id: 'g',
      type: 'group',
      nodes: [
        { id: 'x', type: 'log', input: { message: 'x' } },
        { id: 'y', type: 'log', input: { message: 'x' } },
      ],
      edges: [
        { from: 'x', to: 'y' },
        { from: 'y', to: 'x' },
      ],
    },
  ]);
  assert.equal(find(doc, 'E_CYCLE').length, 1);
  assert.match(find(doc, 'E_CYCLE')[0]!.path, /^\/nodes\/0\/edges\//);
});

test('reports nodes after a fail as unreachable, and constant conditions', () => {
  const doc = flow(
    [
      { id: 'stop', type: 'fail', input: { message: 'no' } },
      { id: 'after', type: 'log', input: { message: 'x' } },
      { id: 'later', type: 'log', input: { message: 'x' } },
      { id: 'i', type: 'if', input: { condition: '$<false>' } },
      { id: 'yes', type: 'log', input: { message: 'x' } },
    ],
    [
      { from: 'stop', to: 'after' },
      { from: 'after', to: 'later' },
      { from: 'i', port: 'true', to: 'yes' },
    ],
  );
  assert.deepEqual(
    find(doc, 'W_UNREACHABLE').map((d) => d.nodeId),
    ['after', 'yes'],
  );
  assert.deepEqual(
    find(doc, 'W_CONSTANT_CONDITION').map((d) => d.path),
    ['/nodes/3/input/condition'],
  );
});

test('join "all" is unreachable when one feeder is dead', () => {
  const doc = flow(
    [
      { id: 'a', type: 'log', input: { message: 'x' } },
      { id: 'f', type: 'fail' },
      { id: 'j', type: 'log', input: { message: 'x' }, join: 'all' },
      { id: 'k', type: 'log', input: { message: 'x' } },
    ],
    [
      { from: 'a', to: 'j' },
      { from: 'f', to: 'j' },
      { from: 'a', to: 'k' },
      { from: 'f', to: 'k' },
    ],
  );
  assert.deepEqual(
    find(doc, 'W_UNREACHABLE').map((d) => d.nodeId),
    ['j'],
  );
});

test('warns about a node left without edges in a connected graph', () => {
  const doc = flow(
    [
      { id: 'a', type: 'log', input: { message: 'x' } },
      { id: 'b', type: 'log', input: { message: 'x' } },
      { id: 'stray', type: 'log', input: { message: 'x' } },
    ],
    [{ from: 'a', to: 'b' }],
  );
  assert.deepEqual(
    find(doc, 'W_DISCONNECTED').map((d) => d.nodeId),
    ['stray'],
  );
  assert.deepEqual(errors(doc), []);
});

test('checks required inputs and literal input values against the action schema', () => {
  const catalog = [
    {
      type: 'slack.post',
      title: 'Post to Slack',
      inputSchema: {
        type: 'object',
        required: ['channel', 'text'],
        properties: {
          channel: { type: 'string', description: 'channel name' },
          text: { type: 'string' },
          retries: { type: 'integer', minimum: 0 },
        },
      },
    },
  ];
  const doc = flow([
    { id: 'a', type: 'slack.post', input: { text: 'hi', retries: -1 } },
    {
      id: 'b',
      type: 'slack.post',
      input: {
        channel: '$<flow.input.channel>',
        text: '$<flow.input.n>',
        retries: '$<flow.input.r>',
      },
    },
    { id: 'c', type: 'http', input: { method: 'FETCH' } },
  ]);
  const missing = find(doc, 'E_MISSING_INPUT', { catalog });
  assert.deepEqual(
    missing.map((d) => [d.nodeId, d.path]),
    [
      ['a', '/nodes/0/input'],
      ['c', '/nodes/2/input'],
    ],
  );
  assert.match(missing[0]!.message, /"channel" \(channel name\)/);
  assert.deepEqual(
    find(doc, 'E_INPUT_INVALID', { catalog }).map((d) => d.path),
    ['/nodes/0/input/retries', '/nodes/2/input/method'],
  );
});

test('reports expression syntax errors with the position inside the string', () => {
  const doc = flow([
    { id: 'a', type: 'log', input: { message: 'Total: $<flow.input.amount * > done' } },
  ]);
  const [d] = find(doc, 'E_EXPR_SYNTAX');
  assert.equal(d?.path, '/nodes/0/input/message');
  assert.ok(d!.position);
  assert.ok(d!.position.start >= 'Total: $<'.length, JSON.stringify(d!.position));
});

test('reports unknown roots, with a hint for input', () => {
  const [d] = find(
    flow([{ id: 'a', type: 'log', input: { message: '$<input.name>' } }]),
    'E_EXPR_UNKNOWN_ROOT',
  );
  assert.match(d!.message, /did you mean flow.input/);
  assert.deepEqual(d!.position, { start: 2, end: 12 });
});

test('references must point to existing, upstream nodes', () => {
  const doc = flow(
    [
      { id: 'a', type: 'transform', input: { v: '$<nodes.b.output>' } },
      { id: 'b', type: 'transform', input: { v: '$<nodes.a.output>', w: '$<nodes.b.output>' } },
      { id: 'c', type: 'transform', input: { v: '$<nodes.ghost.output>', x: '$<nodes.A.output>' } },
    ],
    [{ from: 'a', to: 'b' }],
  );
  assert.deepEqual(
    find(doc, 'E_REF_NOT_UPSTREAM').map((d) => [d.nodeId, d.path]),
    [
      ['a', '/nodes/0/input/v'],
      ['b', '/nodes/1/input/w'],
    ],
  );
  assert.match(find(doc, 'E_REF_NOT_UPSTREAM')[1]!.message, /its own output/);
  const unknown = find(doc, 'E_REF_UNKNOWN_NODE');
  assert.equal(unknown.length, 2);
  assert.match(unknown[1]!.message, /did you mean "a"/);
});

test('a loop body is out of scope from outside the loop; enclosing scopes are visible inside', () => {
  const doc = flow(
    [
      { id: 'start', type: 'transform', input: { list: [1, 2] } },
      {
        id: 'each',
        type: 'forEach',
        input: { items: '$<nodes.start.output.list>' },
        nodes: [
          {
            id: 'double',
            type: 'transform',
            input: { v: '$<item * 2>', s: '$<nodes.start.output>' },
          },
          { id: 'inc', type: 'transform', input: { v: '$<nodes.double.output.v + 1>' } },
        ],
        edges: [{ from: 'double', to: 'inc' }],
        output: '$<nodes.inc.output.v>',
      },
      {
        id: 'after',
        type: 'log',
        input: { message: '$<nodes.double.output.v> $<nodes.each.output[0]>' },
      },
    ],
    [
      { from: 'start', to: 'each' },
      { from: 'each', to: 'after' },
    ],
  );
  const out = find(doc, 'E_REF_OUT_OF_SCOPE');
  assert.deepEqual(
    out.map((d) => [d.nodeId, d.position?.start]),
    [['after', 2]],
  );
  assert.match(out[0]!.message, /nodes\.each\.output/);
  assert.deepEqual(
    errors(doc).filter((d) => d.code !== 'E_REF_OUT_OF_SCOPE'),
    [],
  );
});

test('nodes inside groups and try bodies are visible downstream of the container', () => {
  const doc = flow(
    [
      { id: 'g', type: 'group', nodes: [{ id: 'inner', type: 'transform', input: { a: 1 } }] },
      { id: 'after', type: 'log', input: { message: '$<nodes.inner.output.a>' } },
    ],
    [{ from: 'g', to: 'after' }],
  );
  assert.deepEqual(errors(doc), []);
});

test('item and index only inside loop bodies; error only in catch, finally, onFailure and retryOn', () => {
  const doc = flow(
    [
      {
        id: 'a',
        type: 'log',
        input: { message: '$<item> $<error.message>' },
        retry: { maxAttempts: 3, retryOn: "$<error.code == 'E_HTTP_503'>" },
      },
      {
        id: 'w',
        type: 'while',
        input: { condition: '$<index < 3 && (nodes.step.output?.more ?? true)>' },
        maxIterations: 10,
        nodes: [{ id: 'step', type: 'transform', input: { i: '$<index>', bad: '$<item>' } }],
      },
      {
        id: 't',
        type: 'try',
        nodes: [{ id: 'risky', type: 'http', input: { url: 'https://x' } }],
        catch: {
          nodes: [
            { id: 'h', type: 'log', input: { message: '$<error.message> $<nodes.risky.status>' } },
          ],
        },
        finally: {
          nodes: [
            { id: 'fin', type: 'log', input: { message: '$<nodes.h.status> $<error?.code>' } },
          ],
        },
      },
    ],
    [
      { from: 'a', to: 'w' },
      { from: 'w', to: 't' },
    ],
  );
  assert.deepEqual(
    find(doc, 'E_REF_ITEM_OUTSIDE_LOOP').map((d) => [d.nodeId, d.path]),
    [
      ['a', '/nodes/0/input/message'],
      ['step', '/nodes/1/nodes/0/input/bad'],
    ],
  );
  assert.deepEqual(
    find(doc, 'E_REF_ERROR_OUTSIDE_CATCH').map((d) => d.path),
    ['/nodes/0/input/message'],
  );
  assert.equal(errors(doc).length, 3);
});

test('validates cron strings and time zones', () => {
  const doc = flow([{ id: 'a', type: 'log', input: { message: 'x' } }], [], {
    triggers: [
      { id: 't1', kind: 'schedule', cron: '61 * * * *' },
      { id: 't2', kind: 'schedule', cron: '0 2 * * *', timezone: 'Mars/Olympus' },
      { id: 't3', kind: 'schedule', cron: '0 0 31 2 *' },
      { id: 't4', kind: 'schedule', cron: '*/15 9-17 * * MON-FRI', timezone: 'Europe/Berlin' },
      { id: 't5', kind: 'schedule', cron: 'every day' },
    ],
  });
  assert.deepEqual(
    find(doc, 'E_CRON_INVALID').map((d) => d.path),
    ['/triggers/0/cron', '/triggers/1/timezone', '/triggers/2/cron', '/triggers/4/cron'],
  );
  assert.match(find(doc, 'E_CRON_INVALID')[2]!.message, /never fires/);
});

test('reports duplicate trigger ids, duplicate webhook paths and unknown kinds', () => {
  const doc = flow([{ id: 'a', type: 'log', input: { message: 'x' } }], [], {
    triggers: [
      { id: 'h', kind: 'webhook', path: 'orders' },
      { id: 'h', kind: 'webhook', path: '/orders/' },
      { id: 'c', kind: 'cron', cron: '* * * * *' },
    ],
  });
  assert.deepEqual(
    find(doc, 'E_DUPLICATE_ID').map((d) => d.path),
    ['/triggers/1/id'],
  );
  assert.deepEqual(
    find(doc, 'E_DUPLICATE_WEBHOOK').map((d) => d.path),
    ['/triggers/1/path'],
  );
  assert.deepEqual(
    find(doc, 'E_VALUE').map((d) => d.path),
    ['/triggers/2/kind'],
  );
});

test('reports bad retry settings', () => {
  const doc = flow([
    {
      id: 'a',
      type: 'log',
      input: { message: 'x' },
      retry: { maxAttempts: 0, backoff: 'linear', delayMs: -1 },
    },
    {
      id: 'b',
      type: 'log',
      input: { message: 'x' },
      retry: { maxAttempts: 3, backoff: 'exponential', delayMs: 1000, maxDelayMs: 10 },
    },
    { id: 'c', type: 'log', input: { message: 'x' }, retry: { maxAttempts: 3, retryOn: [1, 2] } },
    { id: 'd', type: 'log', input: { message: 'x' }, retry: {} },
  ]);
  assert.deepEqual(
    validateFlow(doc)
      .filter((d) => d.path.includes('/retry'))
      .map((d) => [d.code, d.path]),
    [
      ['E_VALUE', '/nodes/0/retry/maxAttempts'],
      ['E_VALUE', '/nodes/0/retry/backoff'],
      ['E_VALUE', '/nodes/0/retry/delayMs'],
      ['E_RETRY_INVALID', '/nodes/1/retry/maxDelayMs'],
      ['E_RETRY_INVALID', '/nodes/2/retry/retryOn'],
      ['E_REQUIRED', '/nodes/3/retry/maxAttempts'],
    ],
  );
});

test('container kinds need their inputs', () => {
  const doc = flow([
    { id: 'e', type: 'forEach', nodes: [] },
    { id: 'i', type: 'if' },
    { id: 's', type: 'switch' },
    { id: 'c', type: 'code' },
  ]);
  assert.deepEqual(
    find(doc, 'E_REQUIRED').map((d) => d.path),
    ['/nodes/0/input', '/nodes/1/input', '/nodes/2/cases', '/nodes/3/code'],
  );
});

test('every diagnostic carries a severity consistent with its code', () => {
  const doc = flow(
    [
      { id: 'a', type: 'fail' },
      { id: 'b', type: 'log', input: { message: '$<nodes.zz>' } },
    ],
    [{ from: 'a', to: 'b' }],
  );
  for (const d of validateFlow(doc)) {
    assert.equal(
      d.severity,
      d.code.startsWith('E_') ? 'error' : d.code.startsWith('W_') ? 'warning' : 'info',
    );
  }
});

test('a schedule trigger takes catchUp "skip" or "runOnce", nothing else', () => {
  const withCatchUp = (catchUp: unknown) =>
    validateFlow({
      format: 'millrace.flow/v1',
      id: 'f',
      triggers: [{ id: 't', kind: 'schedule', cron: '0 * * * *', catchUp }],
      nodes: [{ id: 'a', type: 'transform' }],
    } as never).filter((d) => d.severity === 'error');
  assert.deepEqual(withCatchUp('skip'), []);
  assert.deepEqual(withCatchUp('runOnce'), []);
  const [bad] = withCatchUp('always');
  assert.equal(bad?.path, '/triggers/0/catchUp');
});
