import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateFlow, type Diagnostic, type FlowDefinition } from '@millrace/engine';
import { buildLayoutGraph } from '../../src/core/layout-graph.ts';
import { countsPhrase, diagnosticMarks, edgeLayoutId } from '../../src/core/diagnostic-marks.ts';

const d = (severity: Diagnostic['severity'], path: string, nodeId?: string): Diagnostic => ({
  code:
    severity === 'error'
      ? 'E_VALUE'
      : severity === 'warning'
        ? 'W_UNREACHABLE'
        : 'I_IMPORT_PLACEHOLDER',
  severity,
  path,
  message: `${severity} at ${path}`,
  ...(nodeId === undefined ? {} : { nodeId }),
});

function flow(): FlowDefinition {
  return {
    format: 'millrace.flow/v1',
    id: 'f',
    triggers: [
      { id: 'go', kind: 'manual' },
      { id: 'nightly', kind: 'schedule', cron: 'not a cron' },
    ],
    nodes: [
      { id: 'a', type: 'log', input: { message: 'a' } },
      { id: 'check', type: 'if', input: { condition: true } },
      {
        id: 'loop',
        type: 'forEach',
        input: { items: [] },
        nodes: [
          { id: 'x', type: 'log', input: { message: 'x' } },
          { id: 'y', type: 'log', input: { message: 'y' } },
        ],
        edges: [
          { from: 'x', to: 'y' },
          { from: 'x', to: 'y' },
        ],
      },
    ],
    edges: [
      { from: 'a', to: 'check' },
      { from: 'check', port: 'maybe', to: 'loop' },
    ],
  };
}

test('groups diagnostics by node, most severe first, with counts', () => {
  const marks = diagnosticMarks(flow(), [
    d('info', '/nodes/0', 'a'),
    d('warning', '/nodes/0/input', 'a'),
    d('error', '/nodes/0/input/message', 'a'),
    d('warning', '/nodes/0', 'a'),
  ]);
  const a = marks.nodes.get('a')!;
  assert.equal(a.severity, 'error');
  assert.deepEqual(
    a.diagnostics.map((x) => x.severity),
    ['error', 'warning', 'warning', 'info'],
  );
  assert.deepEqual(a.counts, { error: 1, warning: 2, info: 1 });
  assert.equal(marks.edges.size, 0);
});

test('the mark of a node with only warnings and infos is a warning', () => {
  const marks = diagnosticMarks(flow(), [
    d('info', '/nodes/1', 'check'),
    d('warning', '/nodes/1', 'check'),
  ]);
  assert.equal(marks.nodes.get('check')!.severity, 'warning');
});

test('a diagnostic without nodeId marks the innermost node its path points into', () => {
  const marks = diagnosticMarks(flow(), [d('error', '/nodes/2/nodes/1/input/message')]);
  assert.deepEqual([...marks.nodes.keys()], ['y']);
});

test('a diagnostic of a trigger marks its entry card', () => {
  const marks = diagnosticMarks(flow(), [d('error', '/triggers/1/cron')]);
  assert.deepEqual([...marks.nodes.keys()], ['trigger:nightly']);
});

test('a diagnostic pointing into an edge marks that edge and its source node', () => {
  const marks = diagnosticMarks(flow(), [d('error', '/edges/1/port', 'check')]);
  assert.deepEqual([...marks.edges.keys()], ['check:maybe->loop']);
  assert.equal(marks.edges.get('check:maybe->loop')!.diagnostics[0]!.path, '/edges/1/port');
  assert.deepEqual([...marks.nodes.keys()], ['check']);
});

test('an edge diagnostic without nodeId is counted on an end of the edge that exists', () => {
  const f = flow();
  const broken = { ...f, edges: [...(f.edges ?? []), { from: 'ghost', to: 'a' }] };
  const marks = diagnosticMarks(broken, [d('error', '/edges/2/from')]);
  assert.deepEqual([...marks.nodes.keys()], ['a']);
  assert.deepEqual([...marks.edges.keys()], ['ghost->a']);
});

test('repeated edges inside a container are told apart like the layout does (~2)', () => {
  const marks = diagnosticMarks(flow(), [d('error', '/nodes/2/edges/1', 'x')]);
  assert.deepEqual([...marks.edges.keys()], ['x->y~2']);
});

test("validateFlow's edge diagnostics mark edges the layout graph draws", () => {
  const f = flow();
  const diagnostics = validateFlow(f);
  const edgeDiagnostics = diagnostics.filter((x) => /\/edges\/\d+/.test(x.path));
  assert.ok(edgeDiagnostics.length >= 2, 'the unknown port and the duplicate edge');
  const marks = diagnosticMarks(f, diagnostics);
  const drawn = new Set(buildLayoutGraph(f).edges.map((e) => e.id));
  assert.ok(marks.edges.size >= 2);
  for (const id of marks.edges.keys()) assert.ok(drawn.has(id), `${id} is drawn`);
});

test('edge layout ids follow the layout graph', () => {
  assert.equal(edgeLayoutId('a', undefined, 'b'), 'a->b');
  assert.equal(edgeLayoutId('a', 'yes', 'b'), 'a:yes->b');
  assert.equal(edgeLayoutId('a', undefined, 'b', 2), 'a->b~3');
});

test('no diagnostics, no marks (and no indexing of the flow)', () => {
  const marks = diagnosticMarks(undefined, []);
  assert.equal(marks.nodes.size + marks.edges.size, 0);
});

test('counts read as a phrase through the strings table', () => {
  const strings = {
    errors: (n: number) => `${n} E`,
    warnings: (n: number) => `${n} W`,
    infos: (n: number) => `${n} I`,
  };
  assert.equal(countsPhrase({ error: 2, warning: 1, info: 0 }, strings), '2 E, 1 W');
  assert.equal(countsPhrase({ error: 0, warning: 0, info: 3 }, strings), '3 I');
  assert.equal(countsPhrase({ error: 0, warning: 0, info: 0 }, strings), '');
});
