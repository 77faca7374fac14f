import { MillraceError } from '../errors/millrace-error.ts';
import { FLOW_FORMAT, type FlowDefinition } from './flow.ts';

/**
 * One upgrade step: reads a document of format `from` and returns it in format `to`. Steps are
 * pure; `migrateFlow` chains them until the document is in the current format.
 */
export interface FlowMigration {
  readonly from: string;
  readonly to: string;
  migrate(document: Record<string, unknown>): Record<string, unknown>;
}

/**
 * The registered upgrade steps. `millrace.flow/v1` is the first format, so there are none yet;
 * a v2 adds `{ from: 'millrace.flow/v1', to: 'millrace.flow/v2', migrate }` here.
 */
export const FLOW_MIGRATIONS: readonly FlowMigration[] = [];

export interface MigrateResult {
  readonly flow: FlowDefinition;
  /** The formats the document passed through, oldest first; `[current]` when nothing changed. */
  readonly steps: readonly string[];
}

/**
 * Upgrades a flow document of any known format to the current one (`millrace.flow/v1`).
 * A document without `format` is taken as the current format. Throws `E_FLOW_FORMAT` for a
 * format no migration path leads from. The input is never mutated.
 */
export function migrateFlow(
  document: unknown,
  migrations: readonly FlowMigration[] = FLOW_MIGRATIONS,
): MigrateResult {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new MillraceError('E_FLOW_FORMAT', 'A flow document must be a JSON object.', {
      path: '',
    });
  }
  let current = document as Record<string, unknown>;
  let format = current['format'] === undefined ? FLOW_FORMAT : current['format'];
  const steps: string[] = [String(format)];
  const seen = new Set<unknown>([format]);
  while (format !== FLOW_FORMAT) {
    const step = migrations.find((m) => m.from === format);
    if (!step) {
      throw new MillraceError(
        'E_FLOW_FORMAT',
        `Cannot read flow format ${JSON.stringify(format)}: this engine reads "${FLOW_FORMAT}" and knows no upgrade from it.`,
        { path: '/format' },
      );
    }
    current = { ...step.migrate(structuredCloneJson(current)), format: step.to };
    format = step.to;
    if (seen.has(format)) {
      throw new MillraceError('E_INTERNAL', `Flow migrations loop at format "${String(format)}".`);
    }
    seen.add(format);
    steps.push(step.to);
  }
  const flow = current === document ? { ...current } : current;
  if (flow['format'] === undefined) flow['format'] = FLOW_FORMAT;
  return { flow: flow as unknown as FlowDefinition, steps };
}

/** A deep copy through JSON: flow documents are JSON by definition. */
function structuredCloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
