import { asNumber, asString, field, type JsonObject } from './json.ts';
import { at, type Reporter } from './reporter.ts';

/**
 * Flow-level OpenFlow settings without a node: the ones Millrace has (`concurrent_limit` ->
 * `maxConcurrentRuns`) are returned, the others reported as dropped.
 */
export function flowSettings(
  value: JsonObject,
  pointer: string,
  reporter: Reporter,
): { maxConcurrentRuns?: number } {
  const out: { maxConcurrentRuns?: number } = {};
  const limit = asNumber(field(value, 'concurrent_limit'));
  if (limit !== undefined && limit >= 1) {
    out.maxConcurrentRuns = Math.floor(limit);
    const windowS = field(value, 'concurrency_time_window_s');
    const key = field(value, 'concurrency_key');
    if (windowS !== undefined || key !== undefined) {
      reporter.lossy(
        at(pointer, 'concurrent_limit'),
        `Windmill limits runs per ${asString(key) === undefined ? '' : 'concurrency key and '}time window; Millrace limits runs in flight (maxConcurrentRuns = ${out.maxConcurrentRuns}).`,
      );
    }
  } else if (
    field(value, 'concurrent_limit') !== undefined &&
    field(value, 'concurrent_limit') !== null
  ) {
    reporter.lossy(
      at(pointer, 'concurrent_limit'),
      `concurrent_limit must be a positive number; it was dropped.`,
    );
  }
  const dropped: readonly [string, string][] = [
    [
      'same_worker',
      'Millrace runs steps where its scheduler puts them; "same_worker" (a shared folder) was dropped.',
    ],
    ['debounce_delay_s', 'Run debouncing has no Millrace equivalent; it was dropped.'],
    ['debounce_key', 'Run debouncing has no Millrace equivalent; it was dropped.'],
    ['priority', 'Run priorities have no Millrace equivalent; it was dropped.'],
    [
      'cache_ttl',
      'Caching a whole flow run has no Millrace equivalent; it was dropped (steps can cache).',
    ],
    [
      'flow_env',
      'Flow environment variables have no Millrace equivalent; use flow variables or secrets.',
    ],
    ['chat_input_enabled', 'Chat input has no Millrace equivalent; it was dropped.'],
  ];
  for (const [key, message] of dropped) {
    const v = field(value, key);
    if (v !== undefined && v !== null && v !== false) reporter.lossy(at(pointer, key), message);
  }
  if (
    field(value, 'preprocessor_module') !== undefined &&
    field(value, 'preprocessor_module') !== null
  ) {
    reporter.lossy(
      at(pointer, 'preprocessor_module'),
      `The preprocessor (which turns trigger payloads into the flow input) was not imported: map the payload in the trigger or in the first step.`,
    );
  }
  return out;
}
