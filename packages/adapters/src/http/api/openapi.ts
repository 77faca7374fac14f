import { ROUTES, type QueryParam, type RouteSpec } from './route-table.ts';
import { SCHEMAS, schemaRef, type JsonSchema } from './schemas.ts';

/** What each error status means, for the document. */
const ERROR_STATUS: Readonly<Record<number, string>> = {
  400: 'Malformed JSON, or a body or parameter that does not match its schema (E_HTTP_MALFORMED_JSON, E_INVALID_ARGUMENT, E_FLOW_INVALID, E_INPUT_INVALID...).',
  401: 'No valid credentials (E_HTTP_UNAUTHORIZED), or a bad webhook signature (E_WEBHOOK_SIGNATURE, E_WEBHOOK_STALE).',
  403: 'The credentials do not allow this tenant (E_HTTP_FORBIDDEN).',
  404: 'No such route, flow, version, run or token in this tenant.',
  405: 'The path exists with other methods (see Allow).',
  409: 'A conflict: a deleted flow, a concurrent write, a duplicate webhook delivery.',
  413: 'The body is larger than limits.bodyBytes (E_HTTP_BODY_TOO_LARGE).',
  415: 'The body is not application/json (E_HTTP_CONTENT_TYPE).',
  500: 'A bug (E_INTERNAL) or a host misconfiguration.',
  503: 'The database cannot be reached (E_STORE_UNAVAILABLE); retry.',
};

/** Statuses any secured route may answer. */
const COMMON_ERRORS = [401, 403, 500, 503];

/** The query parameter's JSON Schema. */
export function querySchema(param: QueryParam): JsonSchema {
  const bounds = {
    ...(param.minimum === undefined ? {} : { minimum: param.minimum }),
    ...(param.maximum === undefined ? {} : { maximum: param.maximum }),
  };
  switch (param.kind) {
    case 'integer':
      return { type: 'integer', ...bounds };
    case 'number':
      return { type: 'number', ...bounds };
    case 'string-list':
      return {
        type: 'array',
        items: param.enum ? { enum: [...param.enum] } : { type: 'string' },
      };
    case 'string':
      return param.enum ? { enum: [...param.enum] } : { type: 'string' };
  }
}

function operation(route: RouteSpec): Record<string, unknown> {
  const pathParams = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  const queryParams = Object.entries(route.query ?? {}).map(([name, param]) => ({
    name,
    in: 'query',
    required: false,
    description: param.description,
    schema: querySchema(param),
    ...(param.kind === 'string-list' ? { style: 'form', explode: false } : {}),
  }));
  const headerParams =
    route.operationId === 'runEvents'
      ? [
          {
            name: 'Last-Event-ID',
            in: 'header',
            required: false,
            description: 'Resume after this event seq.',
            schema: { type: 'string' },
          },
        ]
      : [];
  const responses: Record<string, unknown> = {};
  for (const [status, spec] of Object.entries(route.responses)) {
    const type = spec.contentType ?? 'application/json';
    responses[status] = {
      description: spec.description,
      ...(spec.schema !== undefined
        ? { content: { [type]: { schema: schemaRef(spec.schema) } } }
        : type === 'text/event-stream'
          ? { content: { [type]: { schema: { type: 'string' } } } }
          : {}),
    };
  }
  const errors = new Set([...route.errors, ...(route.security === 'none' ? [500] : COMMON_ERRORS)]);
  if (route.security === 'signature') errors.delete(403);
  for (const status of [...errors].sort()) {
    responses[String(status)] = {
      description: ERROR_STATUS[status] ?? 'An error.',
      content: { 'application/json': { schema: schemaRef('Error') } },
    };
  }
  return {
    operationId: route.operationId,
    summary: route.summary,
    tags: [route.tag],
    ...(route.security === 'bearer' ? {} : { security: [] }),
    parameters: [...pathParams, ...queryParams, ...headerParams],
    ...(route.body === undefined
      ? {}
      : {
          requestBody: {
            required: route.body.required,
            content: { 'application/json': { schema: schemaRef(route.body.schema) } },
          },
        }),
    responses,
  };
}

/**
 * The OpenAPI 3.1 document of the HTTP API, generated from the route table (`GET /openapi.json`
 * serves it; packages/adapters/openapi.json is the checked-in copy).
 */
export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES as readonly RouteSpec[]) {
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Millrace HTTP API',
      version: '0.1.0',
      description:
        "Flows, drafts, runs, signals, webhooks and live run events of a Millrace host (createHttpHandler in @millrace/adapters/http/server). Every secured route is scoped to the caller's tenant: another tenant's ids answer 404. Errors are JSON { code, message, path }.",
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    security: [{ bearer: [] }],
    paths,
    components: {
      schemas: SCHEMAS,
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    },
  };
}
