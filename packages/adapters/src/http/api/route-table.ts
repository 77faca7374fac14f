import { schemaRef, type JsonSchema, type SchemaName } from './schemas.ts';

// The one table of the HTTP API's routes: the server dispatches by it (a handler per
// operationId, checked by the compiler), and the OpenAPI document is generated from it, so the
// two cannot drift. Plain data, browser-safe.

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** A query parameter: the string it arrives as is parsed to this kind. */
export interface QueryParam {
  readonly kind: 'string' | 'integer' | 'number' | 'string-list';
  readonly description: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly enum?: readonly string[];
}

export interface ResponseSpec {
  readonly description: string;
  /** A JSON body of this schema; absent for 204. */
  readonly schema?: SchemaName;
  /** `text/event-stream` for SSE; `application/json` otherwise. */
  readonly contentType?: 'application/json' | 'text/event-stream';
}

export interface RouteSpec {
  readonly operationId: string;
  readonly method: HttpMethod;
  /** An OpenAPI path template: `/flows/{id}`. */
  readonly path: string;
  readonly summary: string;
  readonly tag: 'flows' | 'drafts' | 'runs' | 'signals' | 'webhooks' | 'meta';
  /** `bearer`: the handler's auth hook; `signature`: verifyWebhook; `none`: public. */
  readonly security: 'bearer' | 'signature' | 'none';
  readonly query?: Readonly<Record<string, QueryParam>>;
  readonly body?: { readonly schema: SchemaName; readonly required: boolean };
  /** Success answers. */
  readonly responses: Readonly<Record<number, ResponseSpec>>;
  /** Error statuses this route answers (besides 401, 403, 500 and 503, which every secured route may). */
  readonly errors: readonly number[];
}

const RUN_STATUSES = ['queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled'];
const BODY_ERRORS = [400, 413, 415];

/** Every route of the API. Order matters only for readability: paths are matched exactly. */
export const ROUTES = [
  {
    operationId: 'getOpenApi',
    method: 'GET',
    path: '/openapi.json',
    summary: 'This document.',
    tag: 'meta',
    security: 'none',
    responses: { 200: { description: 'The OpenAPI 3.1 document.', schema: 'AnyJson' } },
    errors: [],
  },
  {
    operationId: 'listFlows',
    method: 'GET',
    path: '/flows',
    summary: 'Flows of the tenant with their status (deleted ones left out).',
    tag: 'flows',
    security: 'bearer',
    query: {
      status: {
        kind: 'string-list',
        enum: ['draft', 'active', 'inactive'],
        description: 'Comma-separated statuses: only flows in one of them.',
      },
    },
    responses: { 200: { description: 'The flows.', schema: 'FlowList' } },
    errors: [400],
  },
  {
    operationId: 'deployFlow',
    method: 'POST',
    path: '/flows',
    summary: 'Validates and deploys the next version of a flow.',
    tag: 'flows',
    security: 'bearer',
    body: { schema: 'DeployRequest', required: true },
    responses: { 201: { description: 'The stored version.', schema: 'StoredFlow' } },
    errors: [...BODY_ERRORS, 409],
  },
  {
    operationId: 'validateFlow',
    method: 'POST',
    path: '/validate',
    summary: "Every problem of a definition (against the host's action catalog); stores nothing.",
    tag: 'flows',
    security: 'bearer',
    body: { schema: 'AnyJson', required: true },
    responses: { 200: { description: 'The diagnostics.', schema: 'Validation' } },
    errors: BODY_ERRORS,
  },
  {
    operationId: 'getFlow',
    method: 'GET',
    path: '/flows/{id}',
    summary: 'A deployed version of a flow (the latest without `version`).',
    tag: 'flows',
    security: 'bearer',
    query: { version: { kind: 'integer', minimum: 1, description: 'This version.' } },
    responses: { 200: { description: 'The version.', schema: 'StoredFlow' } },
    errors: [400, 404],
  },
  {
    operationId: 'deleteFlow',
    method: 'DELETE',
    path: '/flows/{id}',
    summary: 'Deletes a flow (its runs and versions stay readable).',
    tag: 'flows',
    security: 'bearer',
    responses: { 204: { description: 'Deleted.' } },
    errors: [404],
  },
  {
    operationId: 'listVersions',
    method: 'GET',
    path: '/flows/{id}/versions',
    summary: 'The deployed versions of a flow.',
    tag: 'flows',
    security: 'bearer',
    responses: { 200: { description: 'The versions, oldest first.', schema: 'FlowVersions' } },
    errors: [404],
  },
  {
    operationId: 'activateFlow',
    method: 'POST',
    path: '/flows/{id}/activate',
    summary: "Arms the flow's triggers.",
    tag: 'flows',
    security: 'bearer',
    responses: { 204: { description: 'Active.' } },
    errors: [404, 409],
  },
  {
    operationId: 'deactivateFlow',
    method: 'POST',
    path: '/flows/{id}/deactivate',
    summary: "Disarms the flow's triggers (manual starts still work).",
    tag: 'flows',
    security: 'bearer',
    responses: { 204: { description: 'Inactive.' } },
    errors: [404, 409],
  },
  {
    operationId: 'getMetrics',
    method: 'GET',
    path: '/flows/{id}/metrics',
    summary: 'Runs of the flow by status, success rate, durations, errors by node.',
    tag: 'flows',
    security: 'bearer',
    query: {
      since: {
        kind: 'number',
        minimum: 0,
        description: 'Only runs created since (ms since the epoch).',
      },
    },
    responses: { 200: { description: 'The metrics.', schema: 'FlowMetrics' } },
    errors: [400],
  },
  {
    operationId: 'getDraft',
    method: 'GET',
    path: '/flows/{id}/draft',
    summary: "The flow's draft.",
    tag: 'drafts',
    security: 'bearer',
    responses: { 200: { description: 'The draft.', schema: 'StoredDraft' } },
    errors: [404],
  },
  {
    operationId: 'saveDraft',
    method: 'PUT',
    path: '/flows/{id}/draft',
    summary: 'Stores (replaces) the draft; it may be invalid. Its `id` must be the path id.',
    tag: 'drafts',
    security: 'bearer',
    body: { schema: 'FlowDefinition', required: true },
    responses: { 200: { description: 'The stored draft.', schema: 'StoredDraft' } },
    errors: BODY_ERRORS,
  },
  {
    operationId: 'discardDraft',
    method: 'DELETE',
    path: '/flows/{id}/draft',
    summary: 'Drops the draft (deployed versions stay).',
    tag: 'drafts',
    security: 'bearer',
    responses: { 204: { description: 'Dropped (also when there was none).' } },
    errors: [],
  },
  {
    operationId: 'startRun',
    method: 'POST',
    path: '/flows/{id}/runs',
    summary: 'Starts a run (a version, an alias, mocks for a test run).',
    tag: 'runs',
    security: 'bearer',
    body: { schema: 'StartRunRequest', required: false },
    responses: { 201: { description: 'The started run.', schema: 'StartedRun' } },
    errors: [...BODY_ERRORS, 404, 409],
  },
  {
    operationId: 'listRuns',
    method: 'GET',
    path: '/runs',
    summary: 'Runs, newest first, a page at a time.',
    tag: 'runs',
    security: 'bearer',
    query: {
      flow: { kind: 'string', description: 'Only runs of this flow.' },
      status: { kind: 'string-list', enum: RUN_STATUSES, description: 'Comma-separated statuses.' },
      limit: { kind: 'integer', minimum: 1, maximum: 500, description: 'Page size (default 50).' },
      before: { kind: 'string', description: 'The `next` of the previous page.' },
      since: { kind: 'number', minimum: 0, description: 'Only runs created since (ms).' },
    },
    responses: { 200: { description: 'A page of runs.', schema: 'RunPage' } },
    errors: [400],
  },
  {
    operationId: 'listWaiting',
    method: 'GET',
    path: '/waiting',
    summary: 'Parked nodes (approvals, waits) with their signal tokens.',
    tag: 'signals',
    security: 'bearer',
    query: { flow: { kind: 'string', description: 'Only of this flow.' } },
    responses: { 200: { description: 'The parked nodes.', schema: 'WaitingList' } },
    errors: [],
  },
  {
    operationId: 'getRun',
    method: 'GET',
    path: '/runs/{id}',
    summary: "A run's view: status, output or error, every node.",
    tag: 'runs',
    security: 'bearer',
    responses: { 200: { description: 'The run.', schema: 'RunView' } },
    errors: [404],
  },
  {
    operationId: 'replayRun',
    method: 'GET',
    path: '/runs/{id}/replay',
    summary: "A run's view after a prefix of its log (time travel).",
    tag: 'runs',
    security: 'bearer',
    query: { untilSeq: { kind: 'integer', minimum: 0, description: 'Up to this event.' } },
    responses: { 200: { description: 'The run then.', schema: 'RunView' } },
    errors: [400, 404],
  },
  {
    operationId: 'cancelRun',
    method: 'POST',
    path: '/runs/{id}/cancel',
    summary: 'Cancels a run.',
    tag: 'runs',
    security: 'bearer',
    body: { schema: 'CancelRequest', required: false },
    responses: { 202: { description: 'Cancelling (see its events).', schema: 'StartedRun' } },
    errors: [...BODY_ERRORS, 404],
  },
  {
    operationId: 'rerunRun',
    method: 'POST',
    path: '/runs/{id}/rerun',
    summary: 'A new run that reuses the outputs upstream of `fromNode`.',
    tag: 'runs',
    security: 'bearer',
    body: { schema: 'RerunRequest', required: true },
    responses: { 201: { description: 'The new run.', schema: 'StartedRun' } },
    errors: [...BODY_ERRORS, 404],
  },
  {
    operationId: 'runEvents',
    method: 'GET',
    path: '/runs/{id}/events',
    summary:
      "Server-sent events: the run's stored events, then live ones; `id:` is the event seq (resume with Last-Event-ID); `event: end` when the run finished.",
    tag: 'runs',
    security: 'bearer',
    responses: {
      200: { description: 'The event stream.', contentType: 'text/event-stream' },
    },
    errors: [400, 404],
  },
  {
    operationId: 'signal',
    method: 'POST',
    path: '/signals/{token}',
    summary: 'Wakes a parked node (an approval: `{ "approved": true, "by": "dana" }`).',
    tag: 'signals',
    security: 'bearer',
    body: { schema: 'AnyJson', required: false },
    responses: { 204: { description: 'Delivered.' } },
    errors: [...BODY_ERRORS, 404],
  },
  {
    operationId: 'receiveWebhook',
    method: 'POST',
    path: '/hooks/{tenant}/{path}',
    summary:
      'A webhook delivery for the tenant\'s active flow whose webhook trigger has this path, signed as README "Webhooks" says (x-millrace-signature, x-millrace-timestamp, x-millrace-idempotency-key).',
    tag: 'webhooks',
    security: 'signature',
    body: { schema: 'AnyJson', required: true },
    responses: { 202: { description: 'Accepted: the run started.', schema: 'WebhookAccepted' } },
    errors: [...BODY_ERRORS, 401, 404, 409],
  },
] as const satisfies readonly RouteSpec[];

export type OperationId = (typeof ROUTES)[number]['operationId'];

/** The schema of a route's request body, as a `$ref`. */
export function bodySchemaOf(route: RouteSpec): JsonSchema | undefined {
  return route.body === undefined ? undefined : schemaRef(route.body.schema);
}
