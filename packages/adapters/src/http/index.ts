// @millrace/adapters/http: the browser-safe client of a Millrace HTTP host (fetch only, no Node
// built-ins). The server is @millrace/adapters/http/server.
export { createHttpClient } from './client/create-http-client.ts';
export type { HttpClient, HttpClientOptions } from './client/create-http-client.ts';
export { API_META_NAME } from './client/api-meta.ts';
export { readEventStream } from './client/read-event-stream.ts';
export type { SseMessage } from './client/read-event-stream.ts';
export { ROUTES } from './api/route-table.ts';
export type { RouteSpec, OperationId } from './api/route-table.ts';
export { openApiDocument } from './api/openapi.ts';
