/**
 * JavaScript evaluated inside each fresh QuickJS context before the user's module: it builds
 * `ctx` and `console`, picks the entry convention and turns the result into JSON text. It runs
 * in the guest, so nothing it does (or user code does to it) reaches the host; the host only
 * sees the bridge functions it passes in and the string that comes back.
 *
 * The script's value is a function `(hostLog, hostParams, hostFetch?, hostCall?) => run`, where
 * `run(namespace, inputJson)` returns a promise of the output's JSON text (or `undefined`).
 * It is kept short: QuickJS parses it on every call (~14 MB/s, so every KB is ~0.07 ms).
 */
const HEAD = String.raw`(function (hostLog, hostParams, hostFetch, hostCall) {
'use strict';
const stringify = JSON.stringify, parse = JSON.parse, own = Object.prototype.hasOwnProperty;
const sourceOf = Function.prototype.call.bind(Function.prototype.toString);
const show = (v) => {
  if (typeof v === 'string') return v;
  if (v instanceof Error) return v.name + ': ' + v.message;
  try { const t = stringify(v); return t === undefined ? String(v) : t; } catch (e) { return String(v); }
};
const logger = (level) => (...args) => hostLog(level, args.map(show).join(' '));
const console = globalThis.console = {
  log: logger('info'), info: logger('info'), debug: logger('debug'), warn: logger('warn'), error: logger('error'),
};
const ctx = { log: console.log };
`;

/** `ctx.fetch`, present only when the runner has a fetch allow-list. */
const FETCH = String.raw`ctx.fetch = async (url, init) => {
  init = init || {};
  const headers = {};
  if (init.headers && typeof init.headers === 'object') {
    for (const [k, v] of Array.isArray(init.headers) ? init.headers : Object.entries(init.headers)) headers[String(k).toLowerCase()] = String(v);
  }
  const body = init.body == null ? undefined : typeof init.body === 'string' ? init.body : stringify(init.body);
  const r = parse(await hostFetch(stringify({ url: String(url), method: String(init.method || 'GET').toUpperCase(), headers, body })));
  if (r.error) {
    const err = new Error(r.error.message);
    err.name = 'FetchError';
    err.code = r.error.code;
    throw err;
  }
  return {
    status: r.status, statusText: r.statusText, ok: r.status >= 200 && r.status < 300, url: r.url,
    headers: { get: (n) => own.call(r.headers, String(n).toLowerCase()) ? r.headers[String(n).toLowerCase()] : null, entries: () => Object.entries(r.headers) },
    text: async () => r.body,
    json: async () => parse(r.body),
  };
};
`;

const TAIL = String.raw`Object.freeze(ctx);
return async function run(ns, inputJson) {
  const input = parse(inputJson);
  let result;
  if (typeof ns.default === 'function') {
    result = await ns.default(input, ctx);
  } else if (typeof ns.main === 'function') {
    // Windmill's convention: main(a, b) receives input.a and input.b.
    const args = input !== null && typeof input === 'object' ? input : {};
    const names = parse(hostParams(sourceOf(ns.main)));
    result = await ns.main(...names.map((n) => (n !== '' && own.call(args, n) ? args[n] : undefined)));
  } else {
    const err = new Error('The code exports neither a default function nor main; write "export default async function (input, ctx) { ... }" or "export function main(a, b) { ... }".');
    err.name = 'EntryMissing';
    throw err;
  }
  return stringify(result);
};
})`;

/**
 * `ctx.action(type, input)` and `ctx.subflow(flowId, input)` (flow scripts), present when the
 * engine passes a call hook: the engine runs the action or the child run, records it as an
 * event of the node and answers with its result (replayed from the log after a crash).
 */
const CALLS = String.raw`const call = async (kind, name, input) => {
  const r = parse(await hostCall(stringify({ kind, name: String(name), input: input === undefined ? null : input })));
  if (r.error) {
    const err = new Error(r.error.message);
    err.name = 'FlowScriptError';
    err.code = r.error.code;
    if (r.error.details !== undefined) err.details = r.error.details;
    throw err;
  }
  return r.value;
};
ctx.action = (type, input) => call('action', type, input);
ctx.subflow = (flowId, input) => call('subflow', flowId, input);
`;

/** The prelude without `ctx.fetch`. */
export const GUEST_PRELUDE = HEAD + TAIL;
/** The prelude with `ctx.fetch` (its calls go to the host, which checks the allow-list). */
export const GUEST_PRELUDE_WITH_FETCH = HEAD + FETCH + TAIL;

/** The prelude for a job: with `ctx.fetch` and/or the flow-script calls. */
export function guestPrelude(fetch: boolean, calls: boolean): string {
  if (!calls) return fetch ? GUEST_PRELUDE_WITH_FETCH : GUEST_PRELUDE;
  return fetch ? WITH_FETCH_AND_CALLS : WITH_CALLS;
}
const WITH_CALLS = HEAD + CALLS + TAIL;
const WITH_FETCH_AND_CALLS = HEAD + FETCH + CALLS + TAIL;
