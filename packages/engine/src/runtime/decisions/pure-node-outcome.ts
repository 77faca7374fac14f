import type { LogLevel, NodeError } from '../events.ts';
import { redact } from '../redact.ts';

/** What a node without side effects produces from its evaluated input. */
export type PureNodeOutcome =
  | {
      readonly kind: 'succeed';
      readonly output: unknown;
      /** The port it chose (`if`); the default port when absent. */
      readonly port?: string;
      /** `setVars`: merged into `$<vars>`. */
      readonly vars?: Record<string, unknown>;
      /** `return`: the run's output is set now. */
      readonly returned?: boolean;
      /** `log`: the line recorded (NodeLogged) before the node succeeds. */
      readonly log?: { readonly level: LogLevel; readonly message: string; readonly data: unknown };
    }
  | { readonly kind: 'fail'; readonly error: NodeError };

const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/**
 * The outcome of an `if`, `transform`, `log`, `setVars`, `return` or `fail` node, given its
 * evaluated input. Values of the secrets the input read are redacted from what is recorded.
 *
 * @example
 * pureNodeOutcome('if', 'check', { condition: 1 }, []);
 * // { kind: 'succeed', output: { condition: true }, port: 'true' }
 */
export function pureNodeOutcome(
  type: string,
  nodeId: string,
  input: Record<string, unknown>,
  secrets: readonly string[],
): PureNodeOutcome {
  switch (type) {
    case 'if': {
      const condition = Boolean(input['condition']);
      return { kind: 'succeed', output: { condition }, port: condition ? 'true' : 'false' };
    }
    case 'transform':
      return { kind: 'succeed', output: redact(input, secrets) };
    case 'log': {
      const level = LEVELS.find((l) => l === input['level']) ?? 'info';
      const message = redact(
        typeof input['message'] === 'string'
          ? input['message']
          : (JSON.stringify(input['message']) ?? ''),
        secrets,
      );
      const data = redact(input['data'], secrets);
      return { kind: 'succeed', output: { message, level }, log: { level, message, data } };
    }
    case 'setVars': {
      const vars = redact(input, secrets);
      return { kind: 'succeed', output: vars, vars };
    }
    case 'return': {
      const value = 'value' in input ? input['value'] : input;
      return { kind: 'succeed', output: redact(value, secrets), returned: true };
    }
    case 'fail':
      return { kind: 'fail', error: redact(flowFailure(nodeId, input), secrets) };
    default:
      throw new TypeError(`pureNodeOutcome: "${type}" is not a pure node type.`);
  }
}

/** The error a `fail` node records: its `code` (default E_FLOW_FAILED), `message` and `data`. */
function flowFailure(nodeId: string, input: Record<string, unknown>): NodeError {
  const code =
    typeof input['code'] === 'string' && input['code'] !== '' ? input['code'] : 'E_FLOW_FAILED';
  const message =
    typeof input['message'] === 'string' ? input['message'] : `The flow failed at "${nodeId}".`;
  const data = input['data'];
  return typeof data === 'object' && data !== null
    ? { code, message, details: { data } }
    : { code, message };
}
