import { printTemplate } from '../../expr/index.ts';
import type { RetryPolicy } from '../../model/flow.ts';
import { ident, object, property } from './ast-build.ts';
import type { ImportContext, Scope } from './context.ts';
import { rewriteJs, templateOf } from './expressions.ts';
import type { Draft } from './graph.ts';
import { staticNumber } from './inputs.ts';
import { asNumber, asObject, field, type JsonObject } from './json.ts';
import type { ValueResult } from './module-site.ts';
import { at } from './reporter.ts';

/** The validator's cap on attempts. */
const MAX_ATTEMPTS = 1000;

/**
 * Applies a module's execution options to the node doing the work: `retry`, `timeout`,
 * `cache_ttl`, `continue_on_error`, `summary`; reports the ones Millrace has no equivalent for.
 */
export function applyModuleOptions(
  ctx: ImportContext,
  scope: Scope,
  module: JsonObject,
  pointer: string,
  value: ValueResult,
  leaf: boolean,
): void {
  const node = value.node;
  const summary = field(module, 'summary');
  if (typeof summary === 'string' && summary.trim() !== '') node.name = summary.trim();

  const retry = retryPolicy(ctx, scope, module, pointer, node);
  if (retry) node.retry = retry;

  const timeout = field(module, 'timeout');
  if (timeout !== undefined && timeout !== null) {
    const seconds = staticNumber(timeout);
    if (seconds !== undefined && seconds > 0) node.timeoutMs = Math.round(seconds * 1000);
    else {
      ctx.reporter.lossy(
        at(pointer, 'timeout'),
        `Only a static timeout in seconds can be imported; this one was dropped.`,
        node.id,
      );
    }
  }

  if (field(module, 'continue_on_error') === true) node.continueOnError = true;

  const ttl = field(module, 'cache_ttl');
  if (ttl !== undefined && ttl !== null) {
    const seconds = asNumber(ttl);
    if (seconds === undefined || seconds <= 0) {
      ctx.reporter.lossy(
        at(pointer, 'cache_ttl'),
        `cache_ttl must be a positive number of seconds; it was dropped.`,
        node.id,
      );
    } else if (!leaf || value.inputs === undefined) {
      ctx.reporter.lossy(
        at(pointer, 'cache_ttl'),
        `Caching is imported for script steps only; this step's cache_ttl was dropped.`,
        node.id,
      );
    } else {
      // Windmill caches by script and arguments; the key is the node plus its evaluated inputs.
      const inputs = object(value.inputs.asts.map(([name, ast]) => property(name, ast)));
      node.cache = {
        key: printTemplate([
          { kind: 'text', value: `${ctx.flowId}/${node.id}:` },
          { kind: 'expression', ast: ctx.finalize(inputs) },
        ]),
        ttlMs: Math.round(seconds * 1000),
      };
    }
  }

  for (const key of ['delete_after_use', 'priority'] as const) {
    const v = field(module, key);
    if (v !== undefined && v !== null && v !== false) {
      ctx.reporter.lossy(
        at(pointer, key),
        `"${key}" has no Millrace equivalent; it was dropped.`,
        node.id,
      );
    }
  }
}

/**
 * Windmill retries `constant.attempts` times `seconds` apart, then `exponential.attempts`
 * times `multiplier * seconds^n` seconds apart (n = 1, 2...). Millrace counts attempts
 * including the first and grows delays as `delayMs * multiplier^(n-1)`, so exponential maps
 * to `delayMs = multiplier * seconds * 1000`, `multiplier = seconds`.
 */
function retryPolicy(
  ctx: ImportContext,
  scope: Scope,
  module: JsonObject,
  pointer: string,
  node: Draft,
): RetryPolicy | undefined {
  const retry = asObject(field(module, 'retry'));
  if (!retry) return undefined;
  const here = at(pointer, 'retry');
  const constant = asObject(field(retry, 'constant'));
  const exponential = asObject(field(retry, 'exponential'));
  const cAttempts = Math.max(0, Math.floor(asNumber(field(constant, 'attempts')) ?? 0));
  const eAttempts = Math.max(0, Math.floor(asNumber(field(exponential, 'attempts')) ?? 0));
  if (cAttempts === 0 && eAttempts === 0) return undefined;
  let policy: { -readonly [K in keyof RetryPolicy]: RetryPolicy[K] };
  if (cAttempts > 0) {
    policy = {
      maxAttempts: cAttempts + 1,
      backoff: 'fixed',
      delayMs: Math.max(0, (asNumber(field(constant, 'seconds')) ?? 0) * 1000),
    };
    if (eAttempts > 0) {
      policy.maxAttempts = cAttempts + eAttempts + 1;
      ctx.reporter.lossy(
        here,
        `Windmill retries ${cAttempts} times at a constant delay, then ${eAttempts} times with exponential delays; Millrace has one backoff per node, so all ${cAttempts + eAttempts} retries use the constant delay.`,
        node.id,
      );
    }
  } else {
    const seconds = asNumber(field(exponential, 'seconds')) ?? 0;
    const multiplier = asNumber(field(exponential, 'multiplier')) ?? 1;
    policy = {
      maxAttempts: eAttempts + 1,
      backoff: 'exponential',
      delayMs: Math.max(0, multiplier * seconds * 1000),
      multiplier: Math.max(1, seconds),
    };
    const random = asNumber(field(exponential, 'random_factor')) ?? 0;
    if (random > 0) {
      policy.jitter = true;
      ctx.reporter.lossy(
        at(here, 'exponential', 'random_factor'),
        `random_factor ${random}% became jitter: Millrace randomises each delay within [delay/2, delay] instead.`,
        node.id,
      );
    }
    if (seconds < 1) {
      ctx.reporter.lossy(
        at(here, 'exponential', 'seconds'),
        `An exponential base below 1 second cannot be imported; the delay does not grow.`,
        node.id,
      );
    }
  }
  if (policy.maxAttempts > MAX_ATTEMPTS) {
    ctx.reporter.lossy(
      here,
      `${policy.maxAttempts} attempts is more than Millrace's limit; capped at ${MAX_ATTEMPTS}.`,
      node.id,
    );
    policy.maxAttempts = MAX_ATTEMPTS;
  }
  const retryIf = field(asObject(field(retry, 'retry_if')), 'expr');
  if (retryIf !== undefined) {
    const where = at(here, 'retry_if', 'expr');
    // `result` in retry_if is the failed job's result, `{ error: {...} }`.
    const failed = object([property('error', ident('error'))]);
    const bindings = {
      ...ctx.bindings(scope, where, failed, { result: failed }),
      error: ident('error'),
    };
    const rewritten = typeof retryIf === 'string' ? rewriteJs(retryIf, bindings) : undefined;
    if (rewritten?.ok) {
      policy.retryOn = templateOf(rewritten.ast);
      for (const note of rewritten.notes) ctx.reporter.lossy(where, note, node.id);
    } else {
      // A code node cannot run between attempts, so there is no JavaScript fallback here.
      ctx.reporter.lossy(
        where,
        `retry_if is not a Millrace expression (${rewritten?.reason ?? 'not a string'}); the node retries on every error.`,
        node.id,
      );
    }
  }
  return policy;
}
