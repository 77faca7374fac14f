import { BUILTIN_NODE_TYPES, FLOW_FORMAT } from '../flow.ts';
import { ID_PATTERN, isObject, quote, describeType, type ValidationContext } from './context.ts';
import { checkFields, type FieldSpecs } from './fields.ts';

const FLOW_FIELDS: FieldSpecs = {
  format: { kind: 'string', required: true },
  id: { kind: 'string', required: true },
  name: { kind: 'string' },
  description: { kind: 'string' },
  version: { kind: 'integer', min: 1 },
  input: { kind: 'json' },
  triggers: { kind: 'array' },
  nodes: { kind: 'array', required: true },
  edges: { kind: 'array' },
  output: { kind: 'json' },
  onFailure: { kind: 'object' },
  vars: { kind: 'object' },
  timeoutMs: { kind: 'number', above: 0 },
  maxConcurrentRuns: { kind: 'integer', min: 1 },
  tags: { kind: 'array' },
  ui: { kind: 'object' },
};

const SUBGRAPH_FIELDS: FieldSpecs = {
  nodes: { kind: 'array', required: true },
  edges: { kind: 'array' },
  output: { kind: 'json' },
};

const EDGE_FIELDS: FieldSpecs = {
  from: { kind: 'string', required: true },
  to: { kind: 'string', required: true },
  port: { kind: 'string' },
  label: { kind: 'string' },
};

const NODE_BASE: FieldSpecs = {
  id: { kind: 'string', required: true },
  type: { kind: 'string', required: true },
  name: { kind: 'string' },
  description: { kind: 'string' },
  input: { kind: 'object' },
  retry: { kind: 'object' },
  timeoutMs: { kind: 'number', above: 0 },
  continueOnError: { kind: 'boolean' },
  skipIf: { kind: 'string' },
  cache: { kind: 'object' },
  compensate: { kind: 'object' },
  join: { kind: 'string', oneOf: ['any', 'all'] },
  ui: { kind: 'object' },
};

/** Fields each node kind adds to the base, and the inputs it requires. */
const NODE_KINDS: { readonly [type: string]: { fields?: FieldSpecs; inputs?: readonly string[] } } =
  {
    if: { inputs: ['condition'] },
    switch: { fields: { cases: { kind: 'array', required: true } } },
    forEach: {
      fields: { ...SUBGRAPH_FIELDS, parallelism: { kind: 'integer', min: 1 } },
      inputs: ['items'],
    },
    while: {
      fields: { ...SUBGRAPH_FIELDS, maxIterations: { kind: 'integer', min: 1 } },
      inputs: ['condition'],
    },
    try: { fields: { ...SUBGRAPH_FIELDS, catch: { kind: 'object' }, finally: { kind: 'object' } } },
    group: { fields: SUBGRAPH_FIELDS },
    code: {
      fields: {
        code: { kind: 'string', required: true },
        language: { kind: 'string', oneOf: ['javascript', 'typescript'] },
      },
    },
  };

const RETRY_FIELDS: FieldSpecs = {
  maxAttempts: { kind: 'integer', required: true, min: 1 },
  backoff: { kind: 'string', oneOf: ['fixed', 'exponential'] },
  delayMs: { kind: 'number', min: 0 },
  maxDelayMs: { kind: 'number', min: 0 },
  multiplier: { kind: 'number', min: 1 },
  jitter: { kind: 'boolean' },
  retryOn: { kind: 'json' },
};

const CACHE_FIELDS: FieldSpecs = {
  key: { kind: 'string', required: true, nonEmpty: true },
  ttlMs: { kind: 'number', required: true, above: 0 },
};

const COMPENSATE_FIELDS: FieldSpecs = {
  type: { kind: 'string', required: true },
  input: { kind: 'object' },
  timeoutMs: { kind: 'number', above: 0 },
};

const SWITCH_CASE_FIELDS: FieldSpecs = {
  port: { kind: 'string', required: true, nonEmpty: true },
  when: { kind: 'string', required: true },
  label: { kind: 'string' },
};

const TRIGGER_FIELDS: { readonly [kind: string]: FieldSpecs } = {
  manual: {},
  schedule: {
    cron: { kind: 'string', required: true },
    timezone: { kind: 'string' },
    input: { kind: 'json' },
    catchUp: { kind: 'string', oneOf: ['skip', 'runOnce'] },
  },
  webhook: {
    path: { kind: 'string', required: true, nonEmpty: true },
    method: { kind: 'string', oneOf: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] },
    secret: { kind: 'string' },
  },
  event: { event: { kind: 'string', required: true, nonEmpty: true }, filter: { kind: 'string' } },
};
const TRIGGER_BASE: FieldSpecs = {
  id: { kind: 'string', required: true },
  kind: { kind: 'string', required: true },
  name: { kind: 'string' },
  enabled: { kind: 'boolean' },
};

/**
 * Checks the shape of the whole document: fields, JSON types, ranges, ids, node types, and
 * the retry/cache/compensate options. Returns false when the document is not even an object
 * with a `nodes` array (then no graph check can run).
 */
export function checkStructure(ctx: ValidationContext, flow: unknown): boolean {
  if (!isObject(flow)) {
    ctx.report('E_NOT_OBJECT', '', `A flow must be a JSON object, not ${describeType(flow)}.`);
    return false;
  }
  if (flow['format'] !== undefined && flow['format'] !== FLOW_FORMAT) {
    ctx.report(
      'E_FORMAT',
      '/format',
      `The format is ${quote(flow['format'])}; this engine reads "${FLOW_FORMAT}". Run migrateFlow() on older documents.`,
    );
  } else if (flow['format'] === undefined) {
    ctx.report('E_FORMAT', '/format', `A flow needs "format": "${FLOW_FORMAT}".`);
  }
  // `format` was checked above with a better message than a type error.
  const ok = checkFields(ctx, flow, { ...FLOW_FIELDS, format: { kind: 'json' } }, '', 'The flow');
  checkId(ctx, flow['id'], '/id', 'The flow id');
  if (Array.isArray(flow['triggers'])) checkTriggers(ctx, flow['triggers']);
  if (Array.isArray(flow['nodes'])) checkGraphShape(ctx, flow, '');
  if (isObject(flow['onFailure'])) checkSubGraph(ctx, flow['onFailure'], '/onFailure', 'onFailure');
  if (Array.isArray(flow['tags']) && !flow['tags'].every((t) => typeof t === 'string')) {
    ctx.report('E_TYPE', '/tags', 'The flow: "tags" must be an array of strings.');
  }
  return ok && Array.isArray(flow['nodes']);
}

function checkId(ctx: ValidationContext, id: unknown, path: string, what: string): void {
  if (typeof id === 'string' && !ID_PATTERN.test(id)) {
    ctx.report(
      'E_ID_INVALID',
      path,
      `${what} ${quote(id)} may only use letters, digits, "-", "_" and "."; for example ${quote(id.replace(/[^A-Za-z0-9_.-]+/g, '_') || 'node_1')}.`,
    );
  }
}

function checkSubGraph(
  ctx: ValidationContext,
  graph: Record<string, unknown>,
  path: string,
  what: string,
): void {
  checkFields(ctx, graph, SUBGRAPH_FIELDS, path, what);
  if (Array.isArray(graph['nodes'])) checkGraphShape(ctx, graph, path);
}

/** Nodes and edges of one graph; recurses into containers. */
function checkGraphShape(
  ctx: ValidationContext,
  graph: Record<string, unknown>,
  path: string,
): void {
  const nodes = graph['nodes'] as unknown[];
  nodes.forEach((node, i) => checkNode(ctx, node, `${path}/nodes/${i}`));
  const edges = graph['edges'];
  if (Array.isArray(edges)) {
    edges.forEach((edge, i) => {
      const at = `${path}/edges/${i}`;
      if (!isObject(edge)) {
        ctx.report(
          'E_NOT_OBJECT',
          at,
          `An edge must be an object like {"from": "a", "to": "b"}, not ${describeType(edge)}.`,
        );
        return;
      }
      checkFields(ctx, edge, EDGE_FIELDS, at, `Edge ${i}`);
    });
  }
}

const BUILTIN = new Set<string>(BUILTIN_NODE_TYPES);

function checkNode(ctx: ValidationContext, node: unknown, path: string): void {
  if (!isObject(node)) {
    ctx.report(
      'E_NOT_OBJECT',
      path,
      `A node must be an object with an "id" and a "type", not ${describeType(node)}.`,
    );
    return;
  }
  const id = typeof node['id'] === 'string' ? node['id'] : undefined;
  const what = id === undefined ? 'A node' : `Node "${id}"`;
  const type = node['type'];
  const kind = typeof type === 'string' ? NODE_KINDS[type] : undefined;
  checkFields(ctx, node, { ...NODE_BASE, ...(kind?.fields ?? {}) }, path, what, id);
  checkId(ctx, id, `${path}/id`, 'The node id');
  const extra = id === undefined ? {} : { nodeId: id };

  if (typeof type === 'string' && !BUILTIN.has(type) && !ctx.catalog.has(type)) {
    const known = [...BUILTIN, ...ctx.catalog.keys()];
    const near = known.find((k) => k.toLowerCase() === type.toLowerCase());
    ctx.report(
      'E_UNKNOWN_NODE_TYPE',
      `${path}/type`,
      `${what} has type ${quote(type)}, which is neither built in nor in the action catalog${near ? `; did you mean "${near}"?` : '; register the action with the engine or fix the type.'}`,
      extra,
    );
  }
  for (const name of kind?.inputs ?? []) {
    const input = node['input'];
    if (!isObject(input) || input[name] === undefined) {
      ctx.report(
        'E_REQUIRED',
        `${path}/input`,
        `${what} (${String(type)}) needs "input.${name}".`,
        extra,
      );
    }
  }
  if (isObject(node['retry'])) {
    checkFields(ctx, node['retry'], RETRY_FIELDS, `${path}/retry`, `${what}'s retry`, id);
    checkRetry(ctx, node['retry'], `${path}/retry`, what, extra);
  }
  if (isObject(node['cache']))
    checkFields(ctx, node['cache'], CACHE_FIELDS, `${path}/cache`, `${what}'s cache`, id);
  if (isObject(node['compensate'])) {
    const comp = node['compensate'];
    checkFields(
      ctx,
      comp,
      COMPENSATE_FIELDS,
      `${path}/compensate`,
      `${what}'s compensate action`,
      id,
    );
    if (
      typeof comp['type'] === 'string' &&
      !BUILTIN.has(comp['type']) &&
      !ctx.catalog.has(comp['type'])
    ) {
      ctx.report(
        'E_UNKNOWN_NODE_TYPE',
        `${path}/compensate/type`,
        `${what}'s compensate action has type ${quote(comp['type'])}, which is not in the action catalog.`,
        extra,
      );
    }
  }
  if (type === 'switch' && Array.isArray(node['cases']))
    checkSwitchCases(ctx, node['cases'], path, what, extra);
  if (type === 'forEach' || type === 'while' || type === 'try' || type === 'group') {
    if (Array.isArray(node['nodes'])) checkGraphShape(ctx, node, path);
    for (const region of ['catch', 'finally'] as const) {
      if (type === 'try' && isObject(node[region])) {
        checkSubGraph(ctx, node[region], `${path}/${region}`, `${what}'s ${region} region`);
      }
    }
  }
}

function checkRetry(
  ctx: ValidationContext,
  retry: Record<string, unknown>,
  path: string,
  what: string,
  extra: { nodeId?: string },
): void {
  const { delayMs, maxDelayMs, retryOn, maxAttempts, backoff, multiplier } = retry;
  if (typeof delayMs === 'number' && typeof maxDelayMs === 'number' && maxDelayMs < delayMs) {
    ctx.report(
      'E_RETRY_INVALID',
      `${path}/maxDelayMs`,
      `${what}'s retry: maxDelayMs (${maxDelayMs}) is smaller than delayMs (${delayMs}); raise maxDelayMs or lower delayMs.`,
      extra,
    );
  }
  if (typeof maxAttempts === 'number' && maxAttempts > 1000) {
    ctx.report(
      'E_RETRY_INVALID',
      `${path}/maxAttempts`,
      `${what}'s retry: ${maxAttempts} attempts is more than the limit of 1000.`,
      extra,
    );
  }
  if (
    backoff !== 'exponential' &&
    (multiplier !== undefined || maxDelayMs !== undefined) &&
    backoff !== undefined
  ) {
    ctx.report(
      'E_RETRY_INVALID',
      path,
      `${what}'s retry: "multiplier" and "maxDelayMs" only apply to backoff "exponential".`,
      extra,
    );
  }
  if (
    retryOn !== undefined &&
    typeof retryOn !== 'string' &&
    !(Array.isArray(retryOn) && retryOn.every((c) => typeof c === 'string'))
  ) {
    ctx.report(
      'E_RETRY_INVALID',
      `${path}/retryOn`,
      `${what}'s retry: "retryOn" must be a list of error codes or an expression over $<error>.`,
      extra,
    );
  }
}

function checkSwitchCases(
  ctx: ValidationContext,
  cases: unknown[],
  path: string,
  what: string,
  extra: { nodeId?: string },
): void {
  const seen = new Set<string>();
  cases.forEach((c, i) => {
    const at = `${path}/cases/${i}`;
    if (!isObject(c)) {
      ctx.report(
        'E_NOT_OBJECT',
        at,
        `${what}: a switch case must be {"port": ..., "when": ...}.`,
        extra,
      );
      return;
    }
    checkFields(ctx, c, SWITCH_CASE_FIELDS, at, `${what}'s case ${i}`, extra.nodeId);
    const port = c['port'];
    if (typeof port !== 'string') return;
    if (port === 'default' || seen.has(port)) {
      ctx.report(
        'E_DUPLICATE_PORT',
        `${at}/port`,
        port === 'default'
          ? `${what}: "default" is the port taken when no case matches; name this case's port differently.`
          : `${what}: two cases use the port "${port}"; each case needs its own port.`,
        extra,
      );
    }
    seen.add(port);
  });
}

function checkTriggers(ctx: ValidationContext, triggers: unknown[]): void {
  const ids = new Map<string, number>();
  const paths = new Map<string, number>();
  triggers.forEach((t, i) => {
    const at = `/triggers/${i}`;
    if (!isObject(t)) {
      ctx.report(
        'E_NOT_OBJECT',
        at,
        `A trigger must be an object with "id" and "kind", not ${describeType(t)}.`,
      );
      return;
    }
    const kind = t['kind'];
    const specific = typeof kind === 'string' ? TRIGGER_FIELDS[kind] : undefined;
    const what = typeof t['id'] === 'string' ? `Trigger "${t['id']}"` : `Trigger ${i}`;
    checkFields(ctx, t, { ...TRIGGER_BASE, ...(specific ?? {}) }, at, what);
    if (typeof kind === 'string' && !specific) {
      ctx.report(
        'E_VALUE',
        `${at}/kind`,
        `${what} has kind ${quote(kind)}; expected "manual", "schedule", "webhook" or "event".`,
      );
    }
    const id = t['id'];
    if (typeof id === 'string') {
      checkId(ctx, id, `${at}/id`, 'The trigger id');
      const first = ids.get(id);
      if (first !== undefined) {
        ctx.report(
          'E_DUPLICATE_ID',
          `${at}/id`,
          `Triggers ${first} and ${i} share the id "${id}"; trigger ids must be unique.`,
          {
            related: [`/triggers/${first}`],
          },
        );
      } else ids.set(id, i);
    }
    if (kind === 'webhook' && typeof t['path'] === 'string') {
      const path = t['path'].replace(/^\/+|\/+$/g, '');
      if (!/^[A-Za-z0-9_.\-/]+$/.test(path)) {
        ctx.report(
          'E_VALUE',
          `${at}/path`,
          `${what}: webhook path ${quote(t['path'])} may only use letters, digits and - _ . /.`,
        );
      }
      const first = paths.get(path);
      if (first !== undefined) {
        ctx.report(
          'E_DUPLICATE_WEBHOOK',
          `${at}/path`,
          `${what} uses the webhook path "${path}" that trigger ${first} already uses.`,
          {
            related: [`/triggers/${first}`],
          },
        );
      } else paths.set(path, i);
    }
  });
}
