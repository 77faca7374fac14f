import type { ActionDescriptor, Diagnostic, FlowDefinition, RunView } from '@millrace/engine';

/** The reference flows of the screenshot tests (flow-designer-screenshots.browser.test.ts). */

/** A webhook starts an expense check: small amounts pay out, large ones need an approval. */
export function expenseFlow(): FlowDefinition {
  return {
    format: 'millrace.flow/v1',
    id: 'expense-approval',
    name: 'Expense approval',
    triggers: [{ id: 'submitted', kind: 'webhook', path: 'expenses', method: 'POST' }],
    nodes: [
      {
        id: 'normalise',
        name: 'Normalise claim',
        type: 'transform',
        input: { amount: '$<flow.input.amount>', by: '$<flow.input.employee>' },
      },
      {
        id: 'large',
        name: 'Over 500?',
        type: 'if',
        input: { condition: '$<nodes.normalise.output.amount > 500>' },
      },
      {
        id: 'manager',
        name: 'Manager approval',
        type: 'approval',
        input: { approvers: ['managers'], message: 'Approve the expense?' },
      },
      {
        id: 'pay',
        name: 'Pay out',
        type: 'payroll.payout',
        input: { employee: '$<nodes.normalise.output.by>' },
        join: 'any',
      },
      {
        id: 'decline',
        name: 'Tell employee',
        type: 'slack.post',
        input: { text: 'Your expense was declined' },
      },
      { id: 'expire', name: 'Escalate', type: 'fail', input: { message: 'No decision' } },
      { id: 'done', name: 'Done', type: 'return', input: { value: '$<nodes.pay.output>' } },
    ],
    edges: [
      { from: 'normalise', to: 'large' },
      { from: 'large', port: 'true', to: 'manager' },
      { from: 'large', port: 'false', to: 'pay', label: 'auto' },
      { from: 'manager', port: 'approved', to: 'pay' },
      { from: 'manager', port: 'rejected', to: 'decline' },
      { from: 'manager', port: 'timeout', to: 'expire' },
      { from: 'pay', to: 'done' },
    ],
  };
}

const coin = encodeURIComponent(
  "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'><circle cx='8' cy='8' r='7' fill='#2e7d32'/><path d='M5 8.5l2 2 4-5' stroke='#fff' stroke-width='1.8' fill='none' stroke-linecap='round'/></svg>",
);

/** The catalog of `expenseFlow()`: an icon as a data: URL, and an icon name without a glyph. */
export function expenseCatalog(): ActionDescriptor[] {
  return [
    { type: 'payroll.payout', title: 'Payroll payout', icon: `data:image/svg+xml,${coin}` },
    { type: 'slack.post', title: 'Slack message', icon: 'slack' },
  ];
}

/** Every container kind: switch, forEach (with a group inside), try/catch/finally, while. */
export function containersFlow(): FlowDefinition {
  return {
    format: 'millrace.flow/v1',
    id: 'containers',
    name: 'Containers',
    triggers: [{ id: 'nightly', kind: 'schedule', cron: '0 2 * * *' }],
    nodes: [
      {
        id: 'route',
        name: 'Route by size',
        type: 'switch',
        cases: [
          { port: 'batch', when: '$<flow.input.count > 10>' },
          { port: 'single', when: '$<flow.input.count == 1>' },
        ],
      },
      {
        id: 'each',
        name: 'Each order',
        type: 'forEach',
        input: { items: '$<flow.input.orders>' },
        nodes: [
          {
            id: 'stage',
            name: 'Enrich',
            type: 'group',
            nodes: [
              { id: 'score', name: 'Score', type: 'code', code: 'export default (o) => o' },
              { id: 'tag', name: 'Tag order', type: 'setVars', input: { tagged: true } },
            ],
            edges: [{ from: 'score', to: 'tag' }],
          },
        ],
      },
      {
        id: 'guard',
        name: 'Safe sync',
        type: 'try',
        nodes: [{ id: 'sync', name: 'Sync', type: 'http', input: { url: 'https://erp.example' } }],
        catch: {
          nodes: [{ id: 'report', name: 'Report', type: 'log', input: { message: 'failed' } }],
        },
        finally: {
          nodes: [{ id: 'unlock', name: 'Unlock', type: 'wait', input: { durationMs: 100 } }],
        },
      },
      {
        id: 'poll',
        name: 'Poll status',
        type: 'while',
        input: { condition: '$<vars.pending>' },
        nodes: [
          { id: 'ask', name: 'Ask status', type: 'waitForEvent', input: { event: 'status' } },
        ],
      },
      { id: 'end', name: 'Finish', type: 'subflow', input: { flowId: 'archive' } },
    ],
    edges: [
      { from: 'route', port: 'batch', to: 'each' },
      { from: 'route', port: 'single', to: 'guard' },
      { from: 'route', port: 'default', to: 'poll' },
      { from: 'each', to: 'end' },
      { from: 'guard', to: 'end' },
      { from: 'poll', to: 'end' },
    ],
  };
}

/** A run caught mid-way: nodes in every status, plus validation markers of each severity. */
export function runFlow(): FlowDefinition {
  return {
    format: 'millrace.flow/v1',
    id: 'order-run',
    name: 'Order fulfilment',
    triggers: [{ id: 'order', kind: 'event', event: 'order.created' }],
    nodes: [
      { id: 'load', name: 'Load order', type: 'http', input: { url: 'https://shop.example' } },
      { id: 'stock', name: 'Check stock', type: 'if', input: { condition: '$<vars.inStock>' } },
      { id: 'reserve', name: 'Reserve items', type: 'http', input: { url: 'https://wms.example' } },
      { id: 'backorder', name: 'Backorder', type: 'log', input: { message: 'backorder' } },
      { id: 'charge', name: 'Charge card', type: 'code', code: 'export default () => 1' },
      {
        id: 'notify',
        name: 'Email customer',
        type: 'http',
        input: { url: 'https://mail.example' },
      },
      { id: 'confirm', name: 'Await pickup', type: 'waitForEvent', input: { event: 'picked' } },
      { id: 'ship', name: 'Ship', type: 'http', input: { url: 'https://ship.example' } },
    ],
    edges: [
      { from: 'load', to: 'stock' },
      { from: 'stock', port: 'true', to: 'reserve' },
      { from: 'stock', port: 'false', to: 'backorder' },
      { from: 'reserve', to: 'charge' },
      { from: 'reserve', to: 'notify' },
      { from: 'reserve', to: 'confirm' },
      // waitForEvent has the ports out and timeout: validateFlow reports this edge.
      { from: 'confirm', port: 'picked', to: 'ship' },
    ],
  };
}

/** The run shown over `runFlow()`. */
export function runView(): RunView {
  return {
    runId: 'run-1',
    flowId: 'order-run',
    flowVersion: 1,
    status: 'running',
    input: {},
    createdAt: 0,
    vars: {},
    waiting: [],
    lastSeq: 12,
    nodes: [
      {
        path: 'load',
        nodeId: 'load',
        status: 'succeeded',
        attempts: 1,
        durationMs: 240,
        logs: [],
      },
      { path: 'stock', nodeId: 'stock', status: 'succeeded', attempts: 1, durationMs: 3, logs: [] },
      {
        path: 'reserve',
        nodeId: 'reserve',
        status: 'succeeded',
        attempts: 2,
        durationMs: 1800,
        logs: [],
      },
      { path: 'backorder', nodeId: 'backorder', status: 'skipped', attempts: 0, logs: [] },
      { path: 'charge', nodeId: 'charge', status: 'failed', attempts: 3, durationMs: 95, logs: [] },
      { path: 'notify', nodeId: 'notify', status: 'running', attempts: 1, logs: [] },
      { path: 'confirm', nodeId: 'confirm', status: 'waiting', attempts: 1, logs: [] },
    ],
  } as unknown as RunView;
}

/** Diagnostics of every severity for `runFlow()` (one on an edge). */
export function runDiagnostics(): Diagnostic[] {
  return [
    {
      code: 'E_EXPR_SYNTAX',
      severity: 'error',
      path: '/nodes/4/code',
      message: 'The code does not export a function named main.',
      nodeId: 'charge',
    },
    {
      code: 'W_UNUSED_PORT',
      severity: 'warning',
      path: '/nodes/1',
      message: 'Port "false" of "stock" leads to a node that only logs.',
      nodeId: 'stock',
    },
    {
      code: 'I_IMPORT_PLACEHOLDER',
      severity: 'info',
      path: '/nodes/7',
      message: 'Imported from the old shop: check the carrier.',
      nodeId: 'ship',
    },
    {
      code: 'E_UNKNOWN_PORT',
      severity: 'error',
      path: '/edges/6/port',
      message: '"confirm" (waitForEvent) has no port "picked"; its ports are "out", "timeout".',
      nodeId: 'confirm',
    },
  ];
}
