import type { FlowDefinition } from '@millrace/engine';

/** Flows shared by the layout tests (Node and browser). */

/** Two triggers, an http node, an if with one node per arm, and a join. */
export function branchFlow(): FlowDefinition {
  return {
    format: 'millrace.flow/v1',
    id: 'branch',
    name: 'Branch',
    triggers: [
      { id: 'manual', kind: 'manual' },
      { id: 'nightly', kind: 'schedule', cron: '0 2 * * *' },
    ],
    nodes: [
      { id: 'fetch', type: 'http', name: 'Fetch', input: { url: 'https://example.com' } },
      { id: 'check', type: 'if', input: { condition: '$<nodes.fetch.output.status == 200>' } },
      { id: 'yes', type: 'log', input: { message: 'ok' } },
      { id: 'no', type: 'log', input: { message: 'not ok' } },
      { id: 'join', type: 'log', input: { message: 'done' } },
    ],
    edges: [
      { from: 'fetch', to: 'check' },
      { from: 'check', port: 'true', to: 'yes' },
      { from: 'check', port: 'false', to: 'no' },
      { from: 'yes', to: 'join' },
      { from: 'no', to: 'join' },
    ],
  };
}

/** Every node kind: branches, containers nested two deep, try regions, collapsed, onFailure. */
export function everyKindFlow(): FlowDefinition {
  return {
    format: 'millrace.flow/v1',
    id: 'every-kind',
    triggers: [{ id: 'hook', kind: 'webhook', path: 'in' }],
    nodes: [
      { id: 'start', type: 'transform', input: { a: 1 } },
      {
        id: 'route',
        type: 'switch',
        cases: [
          { port: 'small', when: '$<flow.input.amount < 100>' },
          { port: 'large', when: '$<flow.input.amount >= 100>' },
        ],
      },
      { id: 'ask', type: 'approval', input: { approvers: ['finance'] } },
      {
        id: 'each',
        type: 'forEach',
        input: { items: '$<flow.input.items>' },
        nodes: [
          { id: 'enrich', type: 'code', code: 'export default (x) => x' },
          {
            id: 'stage',
            type: 'group',
            nodes: [{ id: 'inner', type: 'log', input: { message: 'x' } }],
          },
        ],
        edges: [{ from: 'enrich', to: 'stage' }],
      },
      {
        id: 'guard',
        type: 'try',
        nodes: [
          { id: 'call', type: 'http', input: { url: 'https://example.com' } },
          { id: 'parse', type: 'transform', input: {} },
        ],
        edges: [{ from: 'call', to: 'parse' }],
        catch: { nodes: [{ id: 'recover', type: 'log', input: { message: 'failed' } }] },
        finally: { nodes: [{ id: 'cleanup', type: 'log', input: { message: 'bye' } }] },
      },
      {
        id: 'loop',
        type: 'while',
        input: { condition: '$<vars.more>' },
        ui: { collapsed: true },
        nodes: [{ id: 'page', type: 'http', input: { url: 'https://example.com' } }],
      },
      { id: 'end', type: 'log', input: { message: 'end' } },
    ],
    edges: [
      { from: 'start', to: 'route' },
      { from: 'route', port: 'small', to: 'each' },
      { from: 'route', port: 'large', to: 'ask' },
      { from: 'route', port: 'default', to: 'end', label: 'otherwise' },
      { from: 'ask', port: 'approved', to: 'guard' },
      { from: 'each', to: 'loop' },
      { from: 'guard', to: 'loop' },
      { from: 'loop', to: 'end' },
    ],
    onFailure: { nodes: [{ id: 'alert', type: 'log', input: { message: 'run failed' } }] },
  };
}
