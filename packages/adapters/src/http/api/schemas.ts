// JSON Schemas (2020-12, as OpenAPI 3.1 uses) of the HTTP API's bodies. One place: the route
// table points at them, the server validates requests with them, the OpenAPI document and its
// test read them. Plain data, browser-safe.

/** A JSON Schema as plain data. */
export type JsonSchema = Readonly<Record<string, unknown>>;

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

const RUN_STATUS = ['queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled'];

/** Every named schema of the API (`#/components/schemas/<name>`). */
export const SCHEMAS = {
  Error: {
    type: 'object',
    description:
      'Every error answer. `path` is a JSON pointer into the request (`/body/...`, `/query/...`) when one part of it is wrong, else the request path.',
    required: ['code', 'message', 'path'],
    properties: {
      code: { type: 'string', pattern: '^E_[A-Z_]+$' },
      message: { type: 'string' },
      path: { type: 'string' },
      details: { type: 'object' },
    },
  },
  FlowDefinition: {
    type: 'object',
    description:
      'A millrace.flow/v1 definition. Checked here only for an id; deploy validates it fully (E_FLOW_INVALID with details.diagnostics), drafts may be invalid.',
    required: ['id'],
    properties: { id: { type: 'string', minLength: 1 }, format: { type: 'string' } },
  },
  DeployRequest: {
    type: 'object',
    additionalProperties: false,
    required: ['definition'],
    properties: {
      definition: ref('FlowDefinition'),
      activate: { type: 'boolean', description: 'False: deploy without arming triggers.' },
    },
  },
  StoredFlow: {
    type: 'object',
    required: ['id', 'version', 'definition', 'deployedAt'],
    properties: {
      id: { type: 'string' },
      version: { type: 'integer', minimum: 1 },
      definition: ref('FlowDefinition'),
      deployedAt: { type: 'number' },
    },
  },
  StoredDraft: {
    type: 'object',
    required: ['id', 'definition', 'savedAt'],
    properties: {
      id: { type: 'string' },
      definition: ref('FlowDefinition'),
      savedAt: { type: 'number' },
    },
  },
  FlowListing: {
    type: 'object',
    required: ['id', 'status', 'latestVersion', 'draftPending', 'aliases'],
    properties: {
      id: { type: 'string' },
      name: { type: 'string' },
      status: { enum: ['draft', 'active', 'inactive'] },
      latestVersion: { type: 'integer', minimum: 0 },
      deployedAt: { type: 'number' },
      draftSavedAt: { type: 'number' },
      draftPending: { type: 'boolean' },
      aliases: { type: 'object' },
    },
  },
  FlowList: {
    type: 'object',
    required: ['flows'],
    properties: { flows: { type: 'array', items: ref('FlowListing') } },
  },
  FlowVersions: {
    type: 'object',
    required: ['id', 'versions'],
    properties: {
      id: { type: 'string' },
      versions: {
        type: 'array',
        items: {
          type: 'object',
          required: ['version', 'deployedAt'],
          properties: { version: { type: 'integer' }, deployedAt: { type: 'number' } },
        },
      },
    },
  },
  Validation: {
    type: 'object',
    required: ['valid', 'diagnostics'],
    properties: {
      valid: { type: 'boolean', description: 'True when no diagnostic is an error.' },
      diagnostics: {
        type: 'array',
        items: {
          type: 'object',
          required: ['code', 'severity', 'path', 'message'],
          properties: {
            code: { type: 'string' },
            severity: { type: 'string' },
            path: { type: 'string' },
            message: { type: 'string' },
            nodeId: { type: 'string' },
          },
        },
      },
    },
  },
  StartRunRequest: {
    type: 'object',
    additionalProperties: false,
    properties: {
      input: { description: "The flow input (checked against the flow's input schema)." },
      version: { type: 'integer', minimum: 1 },
      alias: { type: 'string', minLength: 1 },
      runId: { type: 'string', minLength: 1, description: 'Idempotent start with this id.' },
      mocks: { type: 'object', description: 'A test run: node id to the output used instead.' },
      pinned: { type: 'object', description: 'Pinned outputs: node id to output.' },
    },
  },
  StartedRun: {
    type: 'object',
    required: ['runId', 'flowId', 'version'],
    properties: {
      runId: { type: 'string' },
      flowId: { type: 'string' },
      version: { type: 'integer' },
    },
  },
  CancelRequest: {
    type: 'object',
    additionalProperties: false,
    properties: { reason: { type: 'string' } },
  },
  RerunRequest: {
    type: 'object',
    additionalProperties: false,
    required: ['fromNode'],
    properties: { fromNode: { type: 'string', minLength: 1 } },
  },
  RunView: {
    type: 'object',
    required: ['runId', 'flowId', 'flowVersion', 'status', 'createdAt', 'nodes', 'lastSeq'],
    properties: {
      runId: { type: 'string' },
      flowId: { type: 'string' },
      flowVersion: { type: 'integer' },
      alias: { type: 'string' },
      status: { enum: RUN_STATUS },
      input: {},
      output: {},
      error: { type: 'object' },
      createdAt: { type: 'number' },
      nodes: { type: 'array', items: { type: 'object' } },
      waiting: { type: 'array' },
      lastSeq: { type: 'integer' },
    },
  },
  RunSummary: {
    type: 'object',
    required: ['runId', 'flowId', 'flowVersion', 'status', 'createdAt', 'updatedAt', 'lastSeq'],
    properties: {
      runId: { type: 'string' },
      flowId: { type: 'string' },
      flowVersion: { type: 'integer' },
      status: { enum: RUN_STATUS },
      createdAt: { type: 'number' },
      updatedAt: { type: 'number' },
      waiting: { type: 'array' },
      lastSeq: { type: 'integer' },
    },
  },
  RunPage: {
    type: 'object',
    required: ['runs'],
    properties: {
      runs: { type: 'array', items: ref('RunSummary') },
      next: {
        type: 'string',
        description: 'Pass as `before` for the next (older) page; absent on the last page.',
      },
    },
  },
  WaitingList: {
    type: 'object',
    required: ['waiting'],
    properties: {
      waiting: {
        type: 'array',
        items: {
          type: 'object',
          required: ['runId', 'flowId', 'token'],
          properties: { runId: { type: 'string' }, flowId: { type: 'string' } },
        },
      },
    },
  },
  FlowMetrics: {
    type: 'object',
    required: ['flowId', 'runs', 'byStatus', 'successRate', 'durationMs'],
    properties: {
      flowId: { type: 'string' },
      runs: { type: 'integer' },
      byStatus: { type: 'object' },
      successRate: { type: ['number', 'null'] },
      durationMs: { type: 'object' },
    },
  },
  WebhookAccepted: {
    type: 'object',
    required: ['runId'],
    properties: { runId: { type: 'string' } },
  },
  AnyJson: { description: 'Any JSON value.' },
} as const satisfies Record<string, JsonSchema>;

export type SchemaName = keyof typeof SCHEMAS;

/** A `$ref` to a named schema. */
export function schemaRef(name: SchemaName): JsonSchema {
  return ref(name);
}
