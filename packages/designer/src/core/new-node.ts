import {
  BUILTIN_ACTIONS,
  catalogMap,
  type ActionCatalog,
  type FlowNode,
  type JsonValue,
  type Trigger,
  type TriggerKind,
} from '@millrace/engine/model';

/**
 * New nodes and triggers as the palette adds them: a fresh id derived from the type, the
 * required inputs present (their schema default, else empty) so the property panel shows them
 * and the validator points at what is still to fill in, and containers with empty bodies.
 */

const ID_CHARS = /[^A-Za-z0-9_.-]+/g;

/** A readable id from a type or a name: `slack.post` → `slack_post`, `Send mail` → `send_mail`. */
export function idBase(text: string): string {
  const base = text
    .trim()
    .replace(/\./g, '_')
    .replace(/\s+/g, '_')
    .replace(ID_CHARS, '')
    .replace(/^[-_.]+/, '')
    .slice(0, 40);
  return base.length > 0 ? base.charAt(0).toLowerCase() + base.slice(1) : 'step';
}

/** `base`, or `base_2`, `base_3`... the first one not in `taken`. */
export function freshId(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  const stem = base.replace(/_\d+$/, '');
  for (let i = 2; ; i++) {
    const id = `${stem}_${i}`;
    if (!taken.has(id)) return id;
  }
}

type Schema = { readonly [k: string]: unknown };

function isObject(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value a required parameter starts with: its default, else an empty value of its type. */
function startValue(schema: unknown): JsonValue {
  if (!isObject(schema)) return '';
  if ('default' in schema) return schema['default'] as JsonValue;
  if (Array.isArray(schema['enum']) && schema['enum'].length > 0)
    return schema['enum'][0] as JsonValue;
  switch (schema['type']) {
    case 'array':
      return [];
    case 'object':
      return {};
    case 'boolean':
      return false;
    default:
      // Numbers start empty too: '' is flagged by the validator, 0 would look chosen.
      return '';
  }
}

/** The input a new action node starts with, from its input schema's required properties. */
export function initialInput(inputSchema: unknown): Record<string, JsonValue> | undefined {
  if (!isObject(inputSchema)) return undefined;
  const required = Array.isArray(inputSchema['required'])
    ? (inputSchema['required'] as unknown[])
    : [];
  const props = isObject(inputSchema['properties']) ? inputSchema['properties'] : {};
  const input: Record<string, JsonValue> = {};
  for (const name of required) {
    if (typeof name === 'string') input[name] = startValue(props[name]);
  }
  return Object.keys(input).length > 0 ? input : undefined;
}

const CODE_TEMPLATE = 'export default async function (input, ctx) {\n  return input;\n}\n';

/** The skeleton of a node of a built-in control type, or undefined for actions. */
function controlSkeleton(type: string): Record<string, unknown> | undefined {
  switch (type) {
    case 'if':
      return { input: { condition: '' } };
    case 'switch':
      return { cases: [{ port: 'case_1', when: '' }] };
    case 'forEach':
      return { input: { items: '' }, nodes: [], edges: [] };
    case 'while':
      return { input: { condition: '' }, maxIterations: 100, nodes: [], edges: [] };
    case 'try':
      return { nodes: [], edges: [], catch: { nodes: [], edges: [] } };
    case 'group':
      return { nodes: [], edges: [] };
    case 'code':
      return { code: CODE_TEMPLATE, language: 'javascript' };
    default:
      return undefined;
  }
}

/** A new node of `type` with an id not in `taken`. */
export function createNode(
  type: string,
  taken: ReadonlySet<string>,
  catalog?: ActionCatalog,
): FlowNode {
  const id = freshId(idBase(type), taken);
  const skeleton = controlSkeleton(type);
  const descriptor = catalogMap(catalog).get(type) ?? catalogMap(BUILTIN_ACTIONS).get(type);
  const input = skeleton ? undefined : initialInput(descriptor?.inputSchema);
  return { id, type, ...(input ? { input } : {}), ...(skeleton ?? {}) } as FlowNode;
}

/** A new trigger of `kind` with an id not in `taken`. */
export function createTrigger(kind: TriggerKind, taken: ReadonlySet<string>): Trigger {
  const id = freshId(kind, taken);
  switch (kind) {
    case 'manual':
      return { id, kind };
    case 'schedule':
      return { id, kind, cron: '0 9 * * 1-5', timezone: 'UTC' };
    case 'webhook':
      return { id, kind, path: id, method: 'POST' };
    case 'event':
      return { id, kind, event: '' };
  }
}
