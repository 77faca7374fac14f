// @millrace/adapters/http/server: the HTTP API for Node (node:http request/response types).
export { createHttpHandler } from './create-http-handler.ts';
export type {
  HttpHandler,
  HttpHandlerLimits,
  HttpHandlerOptions,
  HttpPrincipal,
} from './create-http-handler.ts';
export { isStoreUnavailable, toHttpError } from './http-error.ts';
export type { HttpErrorAnswer } from './http-error.ts';
export { openApiDocument } from '../api/openapi.ts';
export { ROUTES } from '../api/route-table.ts';
export type { RouteSpec } from '../api/route-table.ts';
