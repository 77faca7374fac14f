/**
 * Flows that schema/flow.v1.json rejects.
 *
 * `invalidFlows`: the TypeScript types reject each one too. Every entry is its own `const`
 * with one `@ts-expect-error` on the line of its problem; an unused `@ts-expect-error` fails
 * `tsc`, so the typecheck proves the types reject it, at that line. For the nodes with an
 * interface of their own (`if`, `switch`, `forEach`, `while`, `try`, `code`), `FlowDefinition`
 * alone would accept the mistake (`HostActionNode` has `type: string`, see known-nodes.ts), so
 * those nodes are checked against their interface with an inline `satisfies`.
 *
 * `schemaOnlyInvalidFlows`: what the types cannot express (numeric ranges, integers, the id
 * pattern): they satisfy the types and only the schema (and validateFlow) rejects them.
 *
 * `at` is the JSON pointer of the value the schema must report.
 */
// The cross-package pattern `../../*/src/*` also matches `../../../src/...` (`*` = `..`), this
// package's own sources.
import type {
  CodeNode,
  FlowDefinition,
  ForEachNode,
  IfNode,
  SwitchNode,
  WhileNode,
} from '../../../src/model/flow.ts';
import type { Expect, KnownNodesMatch } from './known-nodes.ts';

export interface InvalidFlow {
  readonly why: string;
  /** JSON pointer of the offending value ('' for the flow itself). */
  readonly at: string;
  readonly flow: unknown;
}

// The flow itself.

// @ts-expect-error -- flow not an object
const notAnObject = 'millrace.flow/v1' satisfies FlowDefinition;

// @ts-expect-error -- missing format
const missingFormat = { id: 'missing-format', nodes: [] } satisfies FlowDefinition;

const wrongFormat = {
  // @ts-expect-error -- wrong format string
  format: 'millrace.flow/v2',
  id: 'wrong-format',
  nodes: [],
} satisfies FlowDefinition;

// @ts-expect-error -- flow without id
const missingId = { format: 'millrace.flow/v1', nodes: [] } satisfies FlowDefinition;

// @ts-expect-error -- flow without nodes
const missingNodes = { format: 'millrace.flow/v1', id: 'no-nodes' } satisfies FlowDefinition;

const nodesNotArray = {
  format: 'millrace.flow/v1',
  id: 'nodes-not-array',
  // @ts-expect-error -- nodes not an array
  nodes: { first: { id: 'first', type: 'log' } },
} satisfies FlowDefinition;

const unknownFlowField = {
  format: 'millrace.flow/v1',
  id: 'unknown-flow-field',
  nodes: [],
  // @ts-expect-error -- unknown flow field
  author: 'someone',
} satisfies FlowDefinition;

const tagsNotStrings = {
  format: 'millrace.flow/v1',
  id: 'tags-not-strings',
  nodes: [],
  // @ts-expect-error -- tags not all strings
  tags: ['ok', 7],
} satisfies FlowDefinition;

const onFailureNotSubGraph = {
  format: 'millrace.flow/v1',
  id: 'on-failure-not-sub-graph',
  nodes: [],
  // @ts-expect-error -- onFailure not a sub-graph
  onFailure: [{ id: 'alert', type: 'log' }],
} satisfies FlowDefinition;

const onFailureUnknownField = {
  format: 'millrace.flow/v1',
  id: 'on-failure-unknown-field',
  nodes: [],
  onFailure: {
    nodes: [],
    // @ts-expect-error -- unknown field in a region
    retry: { maxAttempts: 2 },
  },
} satisfies FlowDefinition;

// Nodes and their options.

const nodeWithoutId = {
  format: 'millrace.flow/v1',
  id: 'node-without-id',
  nodes: [
    // @ts-expect-error -- node without id
    { type: 'log', input: { message: 'who am I' } },
  ],
} satisfies FlowDefinition;

const nodeWithoutType = {
  format: 'millrace.flow/v1',
  id: 'node-without-type',
  nodes: [
    // @ts-expect-error -- node without type
    { id: 'typeless', input: { message: 'what am I' } },
  ],
} satisfies FlowDefinition;

const unknownNodeField = {
  format: 'millrace.flow/v1',
  id: 'unknown-node-field',
  nodes: [
    {
      id: 'fetch',
      type: 'http',
      input: { url: 'https://example.com' },
      // @ts-expect-error -- unknown field on an action node
      nodes: [],
    },
  ],
} satisfies FlowDefinition;

const maxAttemptsString = {
  format: 'millrace.flow/v1',
  id: 'max-attempts-string',
  nodes: [
    {
      id: 'fetch',
      type: 'http',
      // @ts-expect-error -- retry maxAttempts as a string
      retry: { maxAttempts: '3' },
    },
  ],
} satisfies FlowDefinition;

const retryUnknownField = {
  format: 'millrace.flow/v1',
  id: 'retry-unknown-field',
  nodes: [
    {
      id: 'fetch',
      type: 'http',
      retry: {
        maxAttempts: 3,
        // @ts-expect-error -- unknown retry field
        retries: 2,
      },
    },
  ],
} satisfies FlowDefinition;

const retryWithoutMaxAttempts = {
  format: 'millrace.flow/v1',
  id: 'retry-without-max-attempts',
  nodes: [
    {
      id: 'fetch',
      type: 'http',
      // @ts-expect-error -- retry without maxAttempts
      retry: { delayMs: 100 },
    },
  ],
} satisfies FlowDefinition;

const backoffLinear = {
  format: 'millrace.flow/v1',
  id: 'backoff-linear',
  nodes: [
    {
      id: 'fetch',
      type: 'http',
      // @ts-expect-error -- retry backoff 'linear'
      retry: { maxAttempts: 3, backoff: 'linear' },
    },
  ],
} satisfies FlowDefinition;

const joinSome = {
  format: 'millrace.flow/v1',
  id: 'join-some',
  nodes: [
    {
      id: 'merge',
      type: 'transform',
      // @ts-expect-error -- join 'some'
      join: 'some',
    },
  ],
} satisfies FlowDefinition;

const timeoutString = {
  format: 'millrace.flow/v1',
  id: 'timeout-string',
  nodes: [
    {
      id: 'slow',
      type: 'slack.post',
      // @ts-expect-error -- timeoutMs as a string
      timeoutMs: '10s',
    },
  ],
} satisfies FlowDefinition;

const cacheWithoutTtl = {
  format: 'millrace.flow/v1',
  id: 'cache-without-ttl',
  nodes: [
    {
      id: 'rates',
      type: 'http',
      // @ts-expect-error -- cache without ttlMs
      cache: { key: '$<flow.input.currency>' },
    },
  ],
} satisfies FlowDefinition;

const compensateWithoutType = {
  format: 'millrace.flow/v1',
  id: 'compensate-without-type',
  nodes: [
    {
      id: 'charge',
      type: 'payments.charge',
      // @ts-expect-error -- compensate without type
      compensate: { input: { charge: '$<nodes.charge.output.id>' } },
    },
  ],
} satisfies FlowDefinition;

// Node kinds. A wrongly typed field of a kind fails `FlowNode` itself; a missing required one
// does not (HostActionNode takes the node), so those nodes are checked against their interface.

const forEachWithoutItems = {
  format: 'millrace.flow/v1',
  id: 'for-each-without-items',
  nodes: [
    // @ts-expect-error -- forEach without input.items
    { id: 'each', type: 'forEach', input: { list: [1, 2] }, nodes: [] } satisfies ForEachNode,
  ],
} satisfies FlowDefinition;

const forEachWithoutBody = {
  format: 'millrace.flow/v1',
  id: 'for-each-without-body',
  nodes: [
    // @ts-expect-error -- forEach without a body (nodes)
    { id: 'each', type: 'forEach', input: { items: [1, 2] } } satisfies ForEachNode,
  ],
} satisfies FlowDefinition;

const ifWithoutCondition = {
  format: 'millrace.flow/v1',
  id: 'if-without-condition',
  nodes: [
    // @ts-expect-error -- if without input.condition
    { id: 'check', type: 'if', input: { value: '$<flow.input.ok>' } } satisfies IfNode,
  ],
} satisfies FlowDefinition;

const whileWithoutCondition = {
  format: 'millrace.flow/v1',
  id: 'while-without-condition',
  nodes: [
    // @ts-expect-error -- while without input.condition
    { id: 'loop', type: 'while', input: {}, nodes: [] } satisfies WhileNode,
  ],
} satisfies FlowDefinition;

const switchWithoutCases = {
  format: 'millrace.flow/v1',
  id: 'switch-without-cases',
  nodes: [
    // @ts-expect-error -- switch without cases
    { id: 'route', type: 'switch' } satisfies SwitchNode,
  ],
} satisfies FlowDefinition;

const codeWithoutCode = {
  format: 'millrace.flow/v1',
  id: 'code-without-code',
  nodes: [
    // @ts-expect-error -- code node without code
    { id: 'script', type: 'code', language: 'javascript' } satisfies CodeNode,
  ],
} satisfies FlowDefinition;

const switchCaseWithoutWhen = {
  format: 'millrace.flow/v1',
  id: 'switch-case-without-when',
  nodes: [
    // @ts-expect-error -- switch case without when
    { id: 'route', type: 'switch', cases: [{ port: 'a', when: '$<true>' }, { port: 'b' }] },
  ],
} satisfies FlowDefinition;

const codeInPython = {
  format: 'millrace.flow/v1',
  id: 'code-in-python',
  nodes: [
    // @ts-expect-error -- code language 'python'
    { id: 'script', type: 'code', code: 'def main(input): pass', language: 'python' },
  ],
} satisfies FlowDefinition;

const catchWithoutNodes = {
  format: 'millrace.flow/v1',
  id: 'catch-without-nodes',
  nodes: [
    // @ts-expect-error -- try catch region without nodes
    { id: 'guarded', type: 'try', nodes: [], catch: { edges: [] } },
  ],
} satisfies FlowDefinition;

const containerUnknownField = {
  format: 'millrace.flow/v1',
  id: 'container-unknown-field',
  nodes: [
    {
      id: 'stage',
      type: 'group',
      nodes: [],
      // @ts-expect-error -- parallelism on a group (only forEach has it)
      parallelism: 2,
    },
  ],
} satisfies FlowDefinition;

const ifWithCases = {
  format: 'millrace.flow/v1',
  id: 'if-with-cases',
  nodes: [
    {
      id: 'check',
      type: 'if',
      input: { condition: true },
      // @ts-expect-error -- cases on an if (only switch has them)
      cases: [],
    },
  ],
} satisfies FlowDefinition;

// Edges.

const edgeWithoutTo = {
  format: 'millrace.flow/v1',
  id: 'edge-without-to',
  nodes: [
    { id: 'a', type: 'log' },
    { id: 'b', type: 'log' },
  ],
  edges: [
    // @ts-expect-error -- edge without to
    { from: 'a', port: 'out' },
  ],
} satisfies FlowDefinition;

const edgeUnknownField = {
  format: 'millrace.flow/v1',
  id: 'edge-unknown-field',
  nodes: [
    { id: 'a', type: 'log' },
    { id: 'b', type: 'log' },
  ],
  edges: [
    {
      from: 'a',
      to: 'b',
      // @ts-expect-error -- unknown edge field
      when: '$<true>',
    },
  ],
} satisfies FlowDefinition;

const edgePortNumber = {
  format: 'millrace.flow/v1',
  id: 'edge-port-number',
  nodes: [
    { id: 'a', type: 'log' },
    { id: 'b', type: 'log' },
  ],
  edges: [
    {
      from: 'a',
      to: 'b',
      // @ts-expect-error -- edge port as a number
      port: 1,
    },
  ],
} satisfies FlowDefinition;

// Triggers.

const triggerKindCron = {
  format: 'millrace.flow/v1',
  id: 'trigger-kind-cron',
  nodes: [],
  triggers: [
    {
      id: 'nightly',
      // @ts-expect-error -- trigger kind 'cron'
      kind: 'cron',
    },
  ],
} satisfies FlowDefinition;

const scheduleWithoutCron = {
  format: 'millrace.flow/v1',
  id: 'schedule-without-cron',
  nodes: [],
  triggers: [
    // @ts-expect-error -- schedule trigger without cron
    { id: 'nightly', kind: 'schedule', timezone: 'UTC' },
  ],
} satisfies FlowDefinition;

const webhookWithoutPath = {
  format: 'millrace.flow/v1',
  id: 'webhook-without-path',
  nodes: [],
  triggers: [
    // @ts-expect-error -- webhook trigger without path
    { id: 'hook', kind: 'webhook', method: 'POST' },
  ],
} satisfies FlowDefinition;

const webhookMethodOptions = {
  format: 'millrace.flow/v1',
  id: 'webhook-method-options',
  nodes: [],
  triggers: [
    {
      id: 'hook',
      kind: 'webhook',
      path: 'orders',
      // @ts-expect-error -- webhook method 'OPTIONS'
      method: 'OPTIONS',
    },
  ],
} satisfies FlowDefinition;

const eventWithoutName = {
  format: 'millrace.flow/v1',
  id: 'event-without-name',
  nodes: [],
  triggers: [
    // @ts-expect-error -- event trigger without event
    { id: 'on-signup', kind: 'event', filter: "$<event.plan == 'pro'>" },
  ],
} satisfies FlowDefinition;

const manualTriggerWithCron = {
  format: 'millrace.flow/v1',
  id: 'manual-trigger-with-cron',
  nodes: [],
  triggers: [
    {
      id: 'go',
      kind: 'manual',
      // @ts-expect-error -- manual trigger with a cron
      cron: '0 2 * * *',
    },
  ],
} satisfies FlowDefinition;

export const invalidFlows: readonly InvalidFlow[] = [
  { why: 'flow not an object', at: '', flow: notAnObject },
  { why: 'missing format', at: '', flow: missingFormat },
  { why: 'wrong format string', at: '/format', flow: wrongFormat },
  { why: 'flow without id', at: '', flow: missingId },
  { why: 'flow without nodes', at: '', flow: missingNodes },
  { why: 'nodes not an array', at: '/nodes', flow: nodesNotArray },
  { why: 'unknown flow field', at: '/author', flow: unknownFlowField },
  { why: 'tags not all strings', at: '/tags/1', flow: tagsNotStrings },
  { why: 'unknown field in a region', at: '/onFailure/retry', flow: onFailureUnknownField },
  { why: 'node without id', at: '/nodes/0', flow: nodeWithoutId },
  { why: 'node without type', at: '/nodes/0', flow: nodeWithoutType },
  { why: 'unknown field on an action node', at: '/nodes/0/nodes', flow: unknownNodeField },
  { why: 'forEach without input.items', at: '/nodes/0/input', flow: forEachWithoutItems },
  { why: 'forEach without a body', at: '/nodes/0', flow: forEachWithoutBody },
  { why: 'if without input.condition', at: '/nodes/0/input', flow: ifWithoutCondition },
  { why: 'while without input.condition', at: '/nodes/0/input', flow: whileWithoutCondition },
  { why: 'switch without cases', at: '/nodes/0', flow: switchWithoutCases },
  { why: 'switch case without when', at: '/nodes/0/cases/1', flow: switchCaseWithoutWhen },
  { why: 'code node without code', at: '/nodes/0', flow: codeWithoutCode },
  { why: "code language 'python'", at: '/nodes/0/language', flow: codeInPython },
  {
    why: 'parallelism on a group (only forEach has it)',
    at: '/nodes/0/parallelism',
    flow: containerUnknownField,
  },
  { why: 'cases on an if (only switch has them)', at: '/nodes/0/cases', flow: ifWithCases },
  { why: 'try catch region without nodes', at: '/nodes/0/catch', flow: catchWithoutNodes },
  {
    why: 'retry maxAttempts as a string',
    at: '/nodes/0/retry/maxAttempts',
    flow: maxAttemptsString,
  },
  { why: 'unknown retry field', at: '/nodes/0/retry/retries', flow: retryUnknownField },
  { why: 'retry without maxAttempts', at: '/nodes/0/retry', flow: retryWithoutMaxAttempts },
  { why: "retry backoff 'linear'", at: '/nodes/0/retry/backoff', flow: backoffLinear },
  { why: "join 'some'", at: '/nodes/0/join', flow: joinSome },
  { why: 'timeoutMs as a string', at: '/nodes/0/timeoutMs', flow: timeoutString },
  { why: 'cache without ttlMs', at: '/nodes/0/cache', flow: cacheWithoutTtl },
  { why: 'compensate without type', at: '/nodes/0/compensate', flow: compensateWithoutType },
  { why: 'edge without to', at: '/edges/0', flow: edgeWithoutTo },
  { why: 'unknown edge field', at: '/edges/0/when', flow: edgeUnknownField },
  { why: 'edge port as a number', at: '/edges/0/port', flow: edgePortNumber },
  { why: "trigger kind 'cron'", at: '/triggers/0/kind', flow: triggerKindCron },
  { why: 'schedule trigger without cron', at: '/triggers/0', flow: scheduleWithoutCron },
  { why: 'webhook trigger without path', at: '/triggers/0', flow: webhookWithoutPath },
  { why: "webhook method 'OPTIONS'", at: '/triggers/0/method', flow: webhookMethodOptions },
  { why: 'event trigger without event', at: '/triggers/0', flow: eventWithoutName },
  { why: 'manual trigger with a cron', at: '/triggers/0/cron', flow: manualTriggerWithCron },
  { why: 'onFailure not a sub-graph', at: '/onFailure', flow: onFailureNotSubGraph },
];

// ---------------------------------------------------------------------------------------------
// Accepted by the types, rejected by the schema: what TypeScript cannot express.

const maxAttemptsZero = {
  format: 'millrace.flow/v1',
  id: 'max-attempts-zero',
  nodes: [{ id: 'fetch', type: 'http', retry: { maxAttempts: 0 } }],
} satisfies FlowDefinition;

const maxAttemptsFraction = {
  format: 'millrace.flow/v1',
  id: 'max-attempts-fraction',
  nodes: [{ id: 'fetch', type: 'http', retry: { maxAttempts: 2.5 } }],
} satisfies FlowDefinition;

const negativeDelay = {
  format: 'millrace.flow/v1',
  id: 'negative-delay',
  nodes: [{ id: 'fetch', type: 'http', retry: { maxAttempts: 2, delayMs: -1 } }],
} satisfies FlowDefinition;

const multiplierBelowOne = {
  format: 'millrace.flow/v1',
  id: 'multiplier-below-one',
  nodes: [
    {
      id: 'fetch',
      type: 'http',
      retry: { maxAttempts: 2, backoff: 'exponential', multiplier: 0.5 },
    },
  ],
} satisfies FlowDefinition;

const parallelismZero = {
  format: 'millrace.flow/v1',
  id: 'parallelism-zero',
  nodes: [{ id: 'each', type: 'forEach', input: { items: [] }, parallelism: 0, nodes: [] }],
} satisfies FlowDefinition;

const maxIterationsZero = {
  format: 'millrace.flow/v1',
  id: 'max-iterations-zero',
  nodes: [{ id: 'loop', type: 'while', input: { condition: true }, maxIterations: 0, nodes: [] }],
} satisfies FlowDefinition;

const nodeTimeoutZero = {
  format: 'millrace.flow/v1',
  id: 'node-timeout-zero',
  nodes: [{ id: 'fetch', type: 'http', timeoutMs: 0 }],
} satisfies FlowDefinition;

const flowTimeoutNegative = {
  format: 'millrace.flow/v1',
  id: 'flow-timeout-negative',
  nodes: [],
  timeoutMs: -5,
} satisfies FlowDefinition;

const cacheTtlZero = {
  format: 'millrace.flow/v1',
  id: 'cache-ttl-zero',
  nodes: [{ id: 'rates', type: 'http', cache: { key: '$<flow.input.currency>', ttlMs: 0 } }],
} satisfies FlowDefinition;

const versionZero = {
  format: 'millrace.flow/v1',
  id: 'version-zero',
  version: 0,
  nodes: [],
} satisfies FlowDefinition;

const maxConcurrentRunsFraction = {
  format: 'millrace.flow/v1',
  id: 'max-concurrent-runs-fraction',
  maxConcurrentRuns: 1.5,
  nodes: [],
} satisfies FlowDefinition;

const flowIdWithSpace = {
  format: 'millrace.flow/v1',
  id: 'my flow',
  nodes: [],
} satisfies FlowDefinition;

const nodeIdWithSlash = {
  format: 'millrace.flow/v1',
  id: 'node-id-with-slash',
  nodes: [{ id: 'a/b', type: 'log' }],
} satisfies FlowDefinition;

const nestedNodeIdEmpty = {
  format: 'millrace.flow/v1',
  id: 'nested-node-id-empty',
  nodes: [{ id: 'box', type: 'group', nodes: [{ id: '', type: 'log' }] }],
} satisfies FlowDefinition;

const triggerIdWithColon = {
  format: 'millrace.flow/v1',
  id: 'trigger-id-with-colon',
  triggers: [{ id: 'cron:nightly', kind: 'schedule', cron: '0 2 * * *' }],
  nodes: [],
} satisfies FlowDefinition;

const cronFourFields = {
  format: 'millrace.flow/v1',
  id: 'cron-four-fields',
  triggers: [{ id: 'nightly', kind: 'schedule', cron: '0 2 * *' }],
  nodes: [],
} satisfies FlowDefinition;

const switchCaseDefaultPort = {
  format: 'millrace.flow/v1',
  id: 'switch-case-default-port',
  nodes: [{ id: 'route', type: 'switch', cases: [{ port: 'default', when: '$<true>' }] }],
} satisfies FlowDefinition;

const emptyHostType = {
  format: 'millrace.flow/v1',
  id: 'empty-host-type',
  nodes: [{ id: 'x', type: '' }],
} satisfies FlowDefinition;

const schemaOnlyCorpus = {
  maxAttemptsZero,
  maxAttemptsFraction,
  negativeDelay,
  multiplierBelowOne,
  parallelismZero,
  maxIterationsZero,
  nodeTimeoutZero,
  flowTimeoutNegative,
  cacheTtlZero,
  versionZero,
  maxConcurrentRunsFraction,
  flowIdWithSpace,
  nodeIdWithSlash,
  nestedNodeIdEmpty,
  triggerIdWithColon,
  cronFourFields,
  switchCaseDefaultPort,
  emptyHostType,
};

/** The schema-only entries satisfy the types of their node kinds too, not just `FlowNode`. */
export type SchemaOnlyKnownNodes = Expect<
  KnownNodesMatch<(typeof schemaOnlyCorpus)[keyof typeof schemaOnlyCorpus]>
>;

/** The label of each schema-only flow; the mapped type makes sure none is missing. */
const schemaOnlyLabels: {
  readonly [K in keyof typeof schemaOnlyCorpus]: Omit<InvalidFlow, 'flow'>;
} = {
  maxAttemptsZero: { why: 'retry maxAttempts 0', at: '/nodes/0/retry/maxAttempts' },
  maxAttemptsFraction: { why: 'retry maxAttempts 2.5', at: '/nodes/0/retry/maxAttempts' },
  negativeDelay: { why: 'retry delayMs -1', at: '/nodes/0/retry/delayMs' },
  multiplierBelowOne: { why: 'retry multiplier 0.5', at: '/nodes/0/retry/multiplier' },
  parallelismZero: { why: 'forEach parallelism 0', at: '/nodes/0/parallelism' },
  maxIterationsZero: { why: 'while maxIterations 0', at: '/nodes/0/maxIterations' },
  nodeTimeoutZero: { why: 'node timeoutMs 0', at: '/nodes/0/timeoutMs' },
  flowTimeoutNegative: { why: 'flow timeoutMs -5', at: '/timeoutMs' },
  cacheTtlZero: { why: 'cache ttlMs 0', at: '/nodes/0/cache/ttlMs' },
  versionZero: { why: 'version 0', at: '/version' },
  maxConcurrentRunsFraction: { why: 'maxConcurrentRuns 1.5', at: '/maxConcurrentRuns' },
  flowIdWithSpace: { why: 'flow id with a space', at: '/id' },
  nodeIdWithSlash: { why: 'node id with a slash', at: '/nodes/0/id' },
  nestedNodeIdEmpty: { why: 'empty node id inside a group', at: '/nodes/0/nodes/0/id' },
  triggerIdWithColon: { why: 'trigger id with a colon', at: '/triggers/0/id' },
  cronFourFields: { why: 'cron with four fields', at: '/triggers/0/cron' },
  switchCaseDefaultPort: { why: "switch case port 'default'", at: '/nodes/0/cases/0/port' },
  emptyHostType: { why: 'host action with an empty type', at: '/nodes/0/type' },
};

export const schemaOnlyInvalidFlows: readonly InvalidFlow[] = Object.entries(schemaOnlyLabels).map(
  ([name, label]) => ({ ...label, flow: schemaOnlyCorpus[name as keyof typeof schemaOnlyCorpus] }),
);
