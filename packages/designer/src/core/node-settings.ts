import {
  BUILTIN_ACTIONS,
  FLOW_FORMAT,
  catalogMap,
  validateFlow,
  type ActionCatalog,
  type ActionDescriptor,
  type Diagnostic,
  type JsonSchema,
  type Trigger,
  type TriggerKind,
} from '@millrace/engine/model';

/**
 * The per-node settings (the options every node may carry, `NodeBase` in the engine's
 * flow.ts) and the trigger fields, described as JSON Schemas so the property panel draws them
 * with the same form renderer as an action's input (`formFieldsOf`). Paths are relative to
 * the node or trigger: the settings schema describes the node object itself.
 */

/** Titles and help texts of the settings and trigger fields (replaceable, for i18n). */
export interface NodeSettingsText {
  readonly retry: string;
  readonly retryHelp: string;
  readonly retryMaxAttempts: string;
  readonly retryMaxAttemptsHelp: string;
  readonly retryBackoff: string;
  readonly backoffFixed: string;
  readonly backoffExponential: string;
  readonly retryDelayMs: string;
  readonly retryMaxDelayMs: string;
  readonly retryMultiplier: string;
  readonly retryJitter: string;
  readonly retryJitterHelp: string;
  readonly retryOn: string;
  readonly retryOnHelp: string;
  readonly retryOnCodes: string;
  readonly retryOnCondition: string;
  readonly timeoutMs: string;
  readonly timeoutMsHelp: string;
  readonly continueOnError: string;
  readonly continueOnErrorHelp: string;
  readonly skipIf: string;
  readonly skipIfHelp: string;
  readonly cache: string;
  readonly cacheHelp: string;
  readonly cacheKey: string;
  readonly cacheTtlMs: string;
  readonly compensate: string;
  readonly compensateHelp: string;
  readonly compensateType: string;
  readonly compensateInput: string;
  readonly compensateTimeoutMs: string;
  readonly join: string;
  readonly joinHelp: string;
  readonly joinAny: string;
  readonly joinAll: string;
  // Triggers
  readonly triggerEnabled: string;
  readonly triggerEnabledHelp: string;
  readonly cron: string;
  readonly cronHelp: string;
  readonly timezone: string;
  readonly timezoneHelp: string;
  readonly scheduleInput: string;
  readonly scheduleInputHelp: string;
  readonly webhookPath: string;
  readonly webhookPathHelp: string;
  readonly webhookMethod: string;
  readonly webhookSecret: string;
  readonly webhookSecretHelp: string;
  readonly eventName: string;
  readonly eventNameHelp: string;
  readonly eventFilter: string;
  readonly eventFilterHelp: string;
}

export const DEFAULT_NODE_SETTINGS_TEXT: NodeSettingsText = {
  retry: 'Retry',
  retryHelp: 'Runs the node again when it fails.',
  retryMaxAttempts: 'Max attempts',
  retryMaxAttemptsHelp: 'Attempts in all, including the first.',
  retryBackoff: 'Backoff',
  backoffFixed: 'Fixed',
  backoffExponential: 'Exponential',
  retryDelayMs: 'Delay (ms)',
  retryMaxDelayMs: 'Max delay (ms)',
  retryMultiplier: 'Multiplier',
  retryJitter: 'Jitter',
  retryJitterHelp: 'Randomise each delay between half and all of it.',
  retryOn: 'Retry on',
  retryOnHelp: 'Only these error codes, or only when the condition over $<error> is true.',
  retryOnCodes: 'Error codes',
  retryOnCondition: 'Condition',
  timeoutMs: 'Timeout (ms)',
  timeoutMsHelp: 'Fails the attempt when it takes longer.',
  continueOnError: 'Continue on error',
  continueOnErrorHelp: 'A failure becomes the node’s output instead of failing the run.',
  skipIf: 'Skip if',
  skipIfHelp: 'When true the node is skipped; the nodes after it still run.',
  cache: 'Cache',
  cacheHelp: 'Nodes with the same key within the time to live reuse the output.',
  cacheKey: 'Key',
  cacheTtlMs: 'Time to live (ms)',
  compensate: 'Compensate',
  compensateHelp: 'An action run, in reverse order, when the run fails (saga).',
  compensateType: 'Action',
  compensateInput: 'Input',
  compensateTimeoutMs: 'Timeout (ms)',
  join: 'Join',
  joinHelp: 'When a node with several incoming edges runs.',
  joinAny: 'When any incoming edge is active',
  joinAll: 'When all incoming edges are active',
  triggerEnabled: 'Enabled',
  triggerEnabledHelp: 'Off pauses the trigger without removing it.',
  cron: 'Schedule (cron)',
  cronHelp: 'Five fields "minute hour day month weekday" (or six, seconds first), or @daily.',
  timezone: 'Time zone',
  timezoneHelp: 'An IANA name such as Europe/Berlin; UTC when empty.',
  scheduleInput: 'Input',
  scheduleInputHelp: 'Flow input of the scheduled runs (JSON).',
  webhookPath: 'Path',
  webhookPathHelp: 'Path under the host’s webhook prefix: letters, digits and - _ . /',
  webhookMethod: 'Method',
  webhookSecret: 'Secret',
  webhookSecretHelp: 'Shared secret the host checks; usually $<secrets.NAME>.',
  eventName: 'Event',
  eventNameHelp: 'The name passed to engine.emit(name, payload).',
  eventFilter: 'Filter',
  eventFilterHelp: 'An expression over $<event>; the run starts only when it is true.',
};

/** The node fields the settings section edits, in the order it shows them. */
export const NODE_SETTING_KEYS = [
  'retry',
  'timeoutMs',
  'continueOnError',
  'skipIf',
  'cache',
  'compensate',
  'join',
] as const;
export type NodeSettingKey = (typeof NODE_SETTING_KEYS)[number];

export interface NodeSettingsOptions {
  /** Actions a compensation may run (the built-ins are always offered; `code` is not). */
  readonly catalog?: ActionCatalog;
  readonly text?: Partial<NodeSettingsText>;
}

/**
 * The settings section's schema over the node object. `compensate` is a oneOf with one
 * variant per action (discriminated by its `type` const), so picking an action resets the
 * compensation to that action's default input and the input form follows the action.
 */
export function nodeSettingsSchema(options: NodeSettingsOptions = {}): JsonSchema {
  const t = { ...DEFAULT_NODE_SETTINGS_TEXT, ...options.text };
  const ms = (title: string, extra: Record<string, unknown> = {}): JsonSchema => ({
    type: 'integer',
    minimum: 0,
    title,
    ...extra,
  });
  return {
    type: 'object',
    properties: {
      retry: {
        type: 'object',
        title: t.retry,
        description: t.retryHelp,
        required: ['maxAttempts'],
        properties: {
          maxAttempts: {
            type: 'integer',
            minimum: 1,
            default: 3,
            title: t.retryMaxAttempts,
            description: t.retryMaxAttemptsHelp,
          },
          backoff: {
            title: t.retryBackoff,
            default: 'fixed',
            oneOf: [
              { const: 'fixed', title: t.backoffFixed },
              { const: 'exponential', title: t.backoffExponential },
            ],
          },
          delayMs: ms(t.retryDelayMs, { default: 1000 }),
          maxDelayMs: ms(t.retryMaxDelayMs),
          multiplier: { type: 'number', exclusiveMinimum: 0, default: 2, title: t.retryMultiplier },
          jitter: {
            type: 'boolean',
            default: false,
            title: t.retryJitter,
            description: t.retryJitterHelp,
          },
          retryOn: {
            title: t.retryOn,
            description: t.retryOnHelp,
            oneOf: [
              { title: t.retryOnCodes, type: 'array', items: { type: 'string' } },
              { title: t.retryOnCondition, type: 'string', format: 'expression' },
            ],
          },
        },
      },
      timeoutMs: { ...(ms(t.timeoutMs) as object), minimum: 1, description: t.timeoutMsHelp },
      continueOnError: {
        type: 'boolean',
        default: false,
        title: t.continueOnError,
        description: t.continueOnErrorHelp,
      },
      skipIf: { type: 'string', format: 'expression', title: t.skipIf, description: t.skipIfHelp },
      cache: {
        type: 'object',
        title: t.cache,
        description: t.cacheHelp,
        required: ['key', 'ttlMs'],
        properties: {
          key: { type: 'string', format: 'expression', title: t.cacheKey },
          ttlMs: ms(t.cacheTtlMs, { default: 60000 }),
        },
      },
      compensate: compensateSchema(t, options.catalog),
      join: {
        title: t.join,
        description: t.joinHelp,
        default: 'any',
        oneOf: [
          { const: 'any', title: t.joinAny },
          { const: 'all', title: t.joinAll },
        ],
      },
    },
  };
}

function compensateSchema(t: NodeSettingsText, catalog: ActionCatalog | undefined): JsonSchema {
  const actions = compensationActions(catalog);
  const timeoutMs = { type: 'integer', minimum: 1, title: t.compensateTimeoutMs };
  return {
    title: t.compensate,
    description: t.compensateHelp,
    oneOf: actions.map((a, i) => ({
      title: a.title,
      type: 'object',
      required: ['type'],
      properties: {
        type: { const: a.type, title: t.compensateType },
        // Local refs of the action's schema point into that schema, now nested in this one.
        input: rebaseRefs(
          inputSchemaOf(a, t.compensateInput),
          `#/properties/compensate/oneOf/${i}/properties/input`,
        ),
        timeoutMs,
      },
    })),
  };
}

/** The built-in actions, then the catalog's (later entries win), without `code`. */
export function compensationActions(catalog: ActionCatalog | undefined): ActionDescriptor[] {
  const map = catalogMap([...BUILTIN_ACTIONS, ...catalogMap(catalog).values()]);
  map.delete('code'); // a compensation names an action and its input; code has no `code` here
  return [...map.values()];
}

function inputSchemaOf(action: ActionDescriptor, title: string): JsonSchema {
  const schema = action.inputSchema;
  if (
    schema === undefined ||
    schema === true ||
    (typeof schema === 'object' && Object.keys(schema).length === 0)
  ) {
    return { type: 'object', title };
  }
  if (schema === false) return { type: 'object', title, additionalProperties: false };
  return { ...schema, title };
}

/** A copy of `schema` whose local `$ref`s (`#/...`) are prefixed with `base`. */
function rebaseRefs(schema: JsonSchema, base: string): JsonSchema {
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        k === '$ref' && typeof v === 'string' && v.startsWith('#') ? base + v.slice(1) : walk(v),
      ]),
    );
  };
  return walk(schema) as JsonSchema;
}

/** The settings schema without a catalog (the built-in actions only). */
export const NODE_SETTINGS_SCHEMA: JsonSchema = nodeSettingsSchema();

// ---------------------------------------------------------------------------------------------
// Triggers

/** Each trigger kind's fields (not `id`, `kind` or `name`, which the panel shows itself). */
export function triggerSchemas(
  text: Partial<NodeSettingsText> = {},
): Readonly<Record<TriggerKind, JsonSchema>> {
  const t = { ...DEFAULT_NODE_SETTINGS_TEXT, ...text };
  const enabled = {
    type: 'boolean',
    default: true,
    title: t.triggerEnabled,
    description: t.triggerEnabledHelp,
  };
  return {
    manual: { type: 'object', properties: { enabled } },
    schedule: {
      type: 'object',
      required: ['cron'],
      properties: {
        cron: { type: 'string', format: 'cron', title: t.cron, description: t.cronHelp },
        timezone: {
          type: 'string',
          title: t.timezone,
          description: t.timezoneHelp,
          default: 'UTC',
        },
        input: { title: t.scheduleInput, description: t.scheduleInputHelp },
        enabled,
      },
    },
    webhook: {
      type: 'object',
      required: ['path'],
      properties: {
        path: { type: 'string', title: t.webhookPath, description: t.webhookPathHelp },
        method: { title: t.webhookMethod, enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] },
        secret: { type: 'string', title: t.webhookSecret, description: t.webhookSecretHelp },
        enabled,
      },
    },
    event: {
      type: 'object',
      required: ['event'],
      properties: {
        event: { type: 'string', title: t.eventName, description: t.eventNameHelp },
        filter: {
          type: 'string',
          format: 'expression',
          title: t.eventFilter,
          description: t.eventFilterHelp,
        },
        enabled,
      },
    },
  };
}

export const TRIGGER_SCHEMAS: Readonly<Record<TriggerKind, JsonSchema>> = triggerSchemas();

/**
 * The engine's diagnostics of one schedule trigger's `cron` and `timezone` (`E_CRON_INVALID`,
 * from `validateFlow`), with their pointers under `pointer` (the trigger's place in the flow),
 * so the panel can mark a cron as the user types, before the flow is validated again.
 */
export function scheduleDiagnostics(trigger: Trigger, pointer = '/triggers/0'): Diagnostic[] {
  if (trigger.kind !== 'schedule') return [];
  const probe = {
    format: FLOW_FORMAT,
    id: 'schedule-check',
    nodes: [],
    triggers: [trigger],
  } as const;
  return validateFlow(probe)
    .filter((d) => d.code === 'E_CRON_INVALID' && d.path.startsWith('/triggers/0/'))
    .map((d) => ({ ...d, path: pointer + d.path.slice('/triggers/0'.length) }));
}
