/**
 * Flows that both the TypeScript types (`satisfies FlowDefinition`, plus `KnownNodesMatch` for
 * the control nodes, see known-nodes.ts) and schema/flow.v1.json accept. Together they use
 * every node kind, every trigger kind and every node option.
 */
// The cross-package pattern `../../*/src/*` also matches `../../../src/...` (`*` = `..`), this
// package's own sources.
import type { FlowDefinition } from '../../../src/model/flow.ts';
import type { Expect, KnownNodesMatch } from './known-nodes.ts';

/** The smallest flow: one action, no edges. */
const minimal = {
  format: 'millrace.flow/v1',
  id: 'minimal',
  nodes: [{ id: 'hello', type: 'log', input: { message: 'Hello' } }],
} satisfies FlowDefinition;

/** The example of DESIGN.md §2. */
const expenseApproval = {
  format: 'millrace.flow/v1',
  id: 'expense-approval',
  name: 'Expense approval',
  version: 3,
  input: {
    type: 'object',
    required: ['source'],
    properties: { source: { type: 'string', format: 'uri' } },
  },
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
  nodes: [
    {
      id: 'extract',
      type: 'http',
      name: 'Extract data',
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
          input: { record: '$<item>' },
          code: 'export default (input) => input.record',
        },
      ],
      edges: [],
    },
    {
      id: 'notify',
      type: 'log',
      input: { message: 'Loaded $<nodes.each.output.length> records' },
    },
  ],
  edges: [
    { from: 'extract', to: 'valid' },
    { from: 'valid', port: 'true', to: 'each' },
    { from: 'each', to: 'notify' },
  ],
  output: '$<nodes.each.output>',
  onFailure: {
    nodes: [{ id: 'alert', type: 'log', input: { message: '$<error.message>', level: 'error' } }],
    edges: [],
  },
} satisfies FlowDefinition;

/** A switch with labelled cases and an approval with its three ports. */
const switchRouting = {
  format: 'millrace.flow/v1',
  id: 'switch-routing',
  nodes: [
    {
      id: 'size',
      type: 'switch',
      cases: [
        { port: 'small', when: '$<flow.input.amount < 500>', label: 'Under 500' },
        { port: 'large', when: '$<flow.input.amount >= 5000>' },
      ],
    },
    { id: 'auto', type: 'transform', input: { approved: true } },
    {
      id: 'manager',
      type: 'approval',
      input: { approvers: ['manager@example.com'], timeoutMs: 86400000 },
    },
    { id: 'board', type: 'approval', input: { approvers: ['board@example.com'] } },
    { id: 'escalate', type: 'log', input: { message: 'No answer', level: 'warn' } },
    { id: 'rejected', type: 'fail', input: { message: 'Rejected', code: 'REJECTED' } },
    { id: 'done', type: 'log', input: { message: 'Approved' }, join: 'any' },
  ],
  edges: [
    { from: 'size', port: 'small', to: 'auto', label: 'small' },
    { from: 'size', port: 'default', to: 'manager' },
    { from: 'size', port: 'large', to: 'board' },
    { from: 'manager', port: 'approved', to: 'done' },
    { from: 'manager', port: 'rejected', to: 'rejected' },
    { from: 'manager', port: 'timeout', to: 'escalate' },
    { from: 'board', port: 'approved', to: 'done' },
    { from: 'board', port: 'rejected', to: 'rejected' },
    { from: 'auto', to: 'done' },
  ],
} satisfies FlowDefinition;

/** Containers inside containers: group > forEach > while > try, each with its own edges. */
const nestedContainers = {
  format: 'millrace.flow/v1',
  id: 'nested.containers',
  vars: { attempts: 0 },
  nodes: [
    {
      id: 'stage',
      type: 'group',
      name: 'Import stage',
      nodes: [
        { id: 'list', type: 'http', input: { url: 'https://example.com/batches' } },
        {
          id: 'batches',
          type: 'forEach',
          input: { items: '$<nodes.list.output.body>' },
          nodes: [
            {
              id: 'poll',
              type: 'while',
              input: { condition: "$<vars.status != 'ready'>" },
              maxIterations: 10,
              nodes: [
                {
                  id: 'attempt',
                  type: 'try',
                  nodes: [
                    { id: 'check', type: 'http', input: { url: '$<item.statusUrl>' } },
                    {
                      id: 'remember',
                      type: 'setVars',
                      input: { status: '$<nodes.check.output.body>' },
                    },
                  ],
                  edges: [{ from: 'check', to: 'remember' }],
                  catch: { nodes: [{ id: 'pause', type: 'wait', input: { durationMs: 1000 } }] },
                },
              ],
            },
          ],
          output: { batch: '$<item.id>', status: '$<vars.status>' },
        },
      ],
      edges: [{ from: 'list', to: 'batches' }],
      output: '$<nodes.batches.output>',
    },
  ],
} satisfies FlowDefinition;

/** try with catch and finally; the catch region has its own output. */
const tryCatchFinally = {
  format: 'millrace.flow/v1',
  id: 'try_catch_finally',
  nodes: [
    {
      id: 'guarded',
      type: 'try',
      nodes: [
        { id: 'lock', type: 'locks.acquire', input: { name: 'report' } },
        { id: 'build', type: 'code', code: 'export function main() { return 42; }' },
      ],
      edges: [{ from: 'lock', to: 'build' }],
      output: '$<nodes.build.output>',
      catch: {
        nodes: [
          { id: 'report', type: 'log', input: { message: '$<error.message>', level: 'error' } },
          { id: 'fallback', type: 'transform', input: { value: null } },
        ],
        edges: [{ from: 'report', to: 'fallback' }],
        output: '$<nodes.fallback.output.value>',
      },
      finally: {
        nodes: [{ id: 'unlock', type: 'locks.release', input: { name: 'report' } }],
      },
    },
    { id: 'publish', type: 'return', input: { value: '$<nodes.guarded.output>' } },
  ],
  edges: [{ from: 'guarded', to: 'publish' }],
} satisfies FlowDefinition;

/** A saga: host actions with compensations, an onFailure region and a run time limit. */
const sagaCompensate = {
  format: 'millrace.flow/v1',
  id: 'book-trip',
  timeoutMs: 600000,
  nodes: [
    {
      id: 'flight',
      type: 'travel.bookFlight',
      input: { from: '$<flow.input.from>', to: '$<flow.input.to>' },
      compensate: {
        type: 'travel.cancelFlight',
        input: { booking: '$<nodes.flight.output.id>' },
        timeoutMs: 30000,
      },
    },
    {
      id: 'hotel',
      type: 'travel.bookHotel',
      input: { city: '$<flow.input.to>' },
      compensate: { type: 'travel.cancelHotel' },
    },
    {
      id: 'charge',
      type: 'payments.charge',
      input: { amount: '$<flow.input.amount>' },
      compensate: { type: 'payments.refund', input: { charge: '$<nodes.charge.output.id>' } },
    },
  ],
  edges: [
    { from: 'flight', to: 'hotel' },
    { from: 'hotel', to: 'charge' },
  ],
  onFailure: {
    nodes: [
      { id: 'tell', type: 'slack.post', input: { channel: '#trips', text: '$<error.message>' } },
    ],
  },
} satisfies FlowDefinition;

/** Caching, skipIf, continueOnError and an `all` join. */
const cachedLookup = {
  format: 'millrace.flow/v1',
  id: 'cached-lookup',
  nodes: [
    {
      id: 'rates',
      type: 'http',
      input: { url: 'https://example.com/rates' },
      cache: { key: '$<flow.input.currency>', ttlMs: 3600000 },
    },
    {
      id: 'profile',
      type: 'crm.getCustomer',
      input: { id: '$<flow.input.customer>' },
      skipIf: '$<flow.input.customer == null>',
      continueOnError: true,
    },
    {
      id: 'quote',
      type: 'transform',
      join: 'all',
      input: { rate: '$<nodes.rates.output.body.rate>', customer: '$<nodes.profile.output>' },
    },
  ],
  edges: [
    { from: 'rates', to: 'quote' },
    { from: 'profile', to: 'quote' },
  ],
} satisfies FlowDefinition;

/** Every retry option: fixed and exponential backoff, retryOn as codes and as an expression. */
const retryPolicies = {
  format: 'millrace.flow/v1',
  id: 'retry-policies',
  nodes: [
    {
      id: 'fixed',
      type: 'http',
      input: { url: 'https://example.com/a' },
      retry: { maxAttempts: 3, backoff: 'fixed', delayMs: 0, retryOn: ['E_HTTP_503', 'E_TIMEOUT'] },
    },
    {
      id: 'exponential',
      type: 'http',
      input: { url: 'https://example.com/b' },
      retry: {
        maxAttempts: 8,
        backoff: 'exponential',
        delayMs: 250,
        maxDelayMs: 60000,
        multiplier: 1.5,
        jitter: false,
        retryOn: '$<error.status >= 500>',
      },
      timeoutMs: 2500.5,
    },
    {
      id: 'once',
      type: 'http',
      input: { url: 'https://example.com/c' },
      retry: { maxAttempts: 1 },
    },
  ],
} satisfies FlowDefinition;

/** A while loop over `vars`, updated by setVars. */
const whileLoop = {
  format: 'millrace.flow/v1',
  id: 'countdown',
  vars: { n: 3, seen: [] },
  nodes: [
    {
      id: 'loop',
      type: 'while',
      input: { condition: '$<vars.n > 0>' },
      nodes: [
        { id: 'tick', type: 'log', input: { message: 'n = $<vars.n>' } },
        { id: 'dec', type: 'setVars', input: { n: '$<vars.n - 1>' } },
      ],
      edges: [{ from: 'tick', to: 'dec' }],
    },
  ],
  output: { done: true, remaining: '$<vars.n>' },
} satisfies FlowDefinition;

/** code nodes in both languages, with inputs. */
const codeNodes = {
  format: 'millrace.flow/v1',
  id: 'code-nodes',
  nodes: [
    {
      id: 'js',
      type: 'code',
      language: 'javascript',
      input: { a: 1, b: 2 },
      code: 'export function main({ a, b }) { return a + b; }',
    },
    {
      id: 'ts',
      type: 'code',
      language: 'typescript',
      input: { sum: '$<nodes.js.output>' },
      code: 'export default (input: { sum: number }): number => input.sum * 2;',
      timeoutMs: 1000,
    },
  ],
  edges: [{ from: 'js', to: 'ts' }],
} satisfies FlowDefinition;

/** Schedules: a six-field cron, a time zone, scheduled input, a disabled trigger. */
const scheduled = {
  format: 'millrace.flow/v1',
  id: 'scheduled',
  triggers: [
    {
      id: 'every-30s',
      kind: 'schedule',
      name: 'Every 30 seconds',
      cron: '*/30 * * * * *',
      enabled: false,
    },
    {
      id: 'weekday.morning',
      kind: 'schedule',
      cron: '0 8 * * 1-5',
      timezone: 'Europe/Berlin',
      input: { report: 'daily', recipients: ['ops@example.com'] },
    },
  ],
  nodes: [{ id: 'report', type: 'reports.send', input: { kind: '$<flow.input.report>' } }],
} satisfies FlowDefinition;

/** A webhook with a method that answers early through `return`; the output is a mapping. */
const webhookReturn = {
  format: 'millrace.flow/v1',
  id: 'webhook-return',
  triggers: [
    {
      id: 'orders',
      kind: 'webhook',
      name: 'Order webhook',
      path: '/shop/orders/',
      method: 'POST',
      secret: '$<secrets.SHOP_SECRET>',
    },
  ],
  nodes: [
    { id: 'ack', type: 'return', input: { value: { received: true } } },
    { id: 'store', type: 'db.insert', input: { table: 'orders', row: '$<flow.input>' } },
  ],
  edges: [{ from: 'ack', to: 'store' }],
  output: { received: true, id: '$<nodes.store.output.id>' },
} satisfies FlowDefinition;

/** Event trigger, waitForEvent with its timeout port, and a wait until a time. */
const events = {
  format: 'millrace.flow/v1',
  id: 'events',
  triggers: [{ id: 'signup', kind: 'event', event: 'user.signed-up' }],
  nodes: [
    {
      id: 'confirmed',
      type: 'waitForEvent',
      input: {
        event: 'user.confirmed',
        filter: '$<event.userId == flow.input.userId>',
        timeoutMs: 172800000,
      },
    },
    { id: 'welcome', type: 'email.send', input: { to: '$<flow.input.email>' } },
    { id: 'later', type: 'wait', input: { until: '$<flow.input.remindAt>' } },
    { id: 'remind', type: 'email.send', input: { to: '$<flow.input.email>', template: 'remind' } },
  ],
  edges: [
    { from: 'confirmed', port: 'out', to: 'welcome' },
    { from: 'confirmed', port: 'timeout', to: 'later' },
    { from: 'later', to: 'remind' },
  ],
} satisfies FlowDefinition;

/** subflow, transform and log in a chain. */
const subflowChain = {
  format: 'millrace.flow/v1',
  id: 'subflow-chain',
  input: true,
  nodes: [
    {
      id: 'child',
      type: 'subflow',
      input: { flowId: 'expense-approval', version: 3, input: { source: '$<flow.input.url>' } },
    },
    { id: 'shape', type: 'transform', input: { result: '$<nodes.child.output>', at: null } },
    {
      id: 'print',
      type: 'log',
      input: { message: '$<nodes.shape.output>', data: [1, 'two', false] },
    },
  ],
  edges: [
    { from: 'child', to: 'shape' },
    { from: 'shape', to: 'print' },
  ],
  output: '$<nodes.shape.output.result>',
} satisfies FlowDefinition;

/** Every flow-level field, designer hints on the flow and on nodes (free-form `ui`). */
const allFlowFields = {
  format: 'millrace.flow/v1',
  id: 'all.flow-fields_1',
  name: 'Every field',
  description: 'Uses each optional flow field once.',
  version: 12,
  input: { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object' },
  triggers: [{ id: 'go', kind: 'manual', name: 'Run now', enabled: true }],
  nodes: [
    {
      id: 'first',
      type: 'transform',
      name: 'First',
      description: 'Shapes the input.',
      input: { value: '$<flow.input>' },
      ui: {
        position: { x: 120, y: -40.5 },
        pinned: true,
        collapsed: false,
        color: '#3b82f6',
        icon: 'star',
        note: { text: 'any designer data', tags: ['x'] },
      },
    },
    {
      id: 'box',
      type: 'group',
      ui: { collapsed: true },
      nodes: [{ id: 'inner', type: 'log', input: { message: 'inside' } }],
    },
  ],
  edges: [{ from: 'first', to: 'box', label: 'then' }],
  output: '$<nodes.box.output>',
  onFailure: { nodes: [], edges: [], output: null },
  vars: { counter: 0, names: ['a'], nested: { ok: true }, nothing: null },
  timeoutMs: 1,
  maxConcurrentRuns: 1,
  tags: ['demo', 'finance'],
  ui: {
    zoom: 1.25,
    viewport: { x: 0, y: 0 },
    theme: 'elk',
    layout: { key: 'v2:recorded', nodes: [], edges: [], ports: [] },
  },
} satisfies FlowDefinition;

/** A fan-out without edges between branches, forEach over a literal array, a fail node. */
const fanOut = {
  format: 'millrace.flow/v1',
  id: 'fan-out',
  nodes: [
    { id: 'start', type: 'transform', input: {} },
    {
      id: 'each',
      type: 'forEach',
      input: { items: [1, 2, 3] },
      parallelism: 1,
      nodes: [{ id: 'double', type: 'code', code: 'export default (x) => x * 2' }],
    },
    {
      id: 'guard',
      type: 'if',
      input: { condition: true },
      description: 'Always true',
    },
    { id: 'never', type: 'fail', input: {} },
    { id: 'side', type: 'analytics.track', input: { event: 'fan-out' } },
  ],
  edges: [
    { from: 'start', to: 'each' },
    { from: 'start', to: 'guard' },
    { from: 'start', to: 'side' },
    { from: 'guard', port: 'false', to: 'never' },
  ],
} satisfies FlowDefinition;

/** A flow with no nodes yet (a fresh draft): the types and the schema both allow it. */
const emptyDraft = {
  format: 'millrace.flow/v1',
  id: 'draft',
  nodes: [],
  edges: [],
  triggers: [],
  tags: [],
} satisfies FlowDefinition;

const corpus = {
  minimal,
  expenseApproval,
  switchRouting,
  nestedContainers,
  tryCatchFinally,
  sagaCompensate,
  cachedLookup,
  retryPolicies,
  whileLoop,
  codeNodes,
  scheduled,
  webhookReturn,
  events,
  subflowChain,
  allFlowFields,
  fanOut,
  emptyDraft,
};

/** Fails to compile when a control or code node anywhere in the corpus misses its interface. */
export type ValidCorpusKnownNodes = Expect<KnownNodesMatch<(typeof corpus)[keyof typeof corpus]>>;

export interface ValidFlow {
  readonly name: string;
  readonly flow: FlowDefinition;
}

export const validFlows: readonly ValidFlow[] = Object.entries(corpus).map(([name, flow]) => ({
  name,
  flow,
}));
