import { readFile } from 'node:fs/promises';
import {
  MillraceError,
  importOpenFlow,
  type Diagnostic,
  type FlowDefinition,
} from '@millrace/engine';

/** A flow file read for the CLI: Millrace JSON as it is, Windmill OpenFlow JSON imported. */
export interface ReadFlow {
  readonly flow: FlowDefinition;
  /** `millrace` or `openflow`. */
  readonly format: 'millrace' | 'openflow';
  /** The importer's diagnostics (pointers into the OpenFlow document). */
  readonly imported: readonly Diagnostic[];
}

/** Reads `file`: E_CLI_FILE when it cannot be read, E_CLI_JSON (with the position) when it is not JSON. */
export async function readFlowFile(file: string): Promise<ReadFlow> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new MillraceError('E_CLI_FILE', `Cannot read ${file}: ${(error as Error).message}`, {
      details: { file },
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new MillraceError('E_CLI_JSON', `${file} is not JSON: ${(error as Error).message}`, {
      details: { file },
    });
  }
  if (
    typeof json === 'object' &&
    json !== null &&
    (json as { format?: unknown }).format === 'millrace.flow/v1'
  ) {
    return { flow: json as FlowDefinition, format: 'millrace', imported: [] };
  }
  if (typeof json === 'object' && json !== null && 'value' in json) {
    const { flow, diagnostics } = importOpenFlow(json);
    return { flow, format: 'openflow', imported: diagnostics };
  }
  // Neither: validation says what is missing (format, nodes...).
  return { flow: json as FlowDefinition, format: 'millrace', imported: [] };
}

/** One line per diagnostic: severity, pointer, code, message. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.severity.padEnd(7)} ${d.path || '/'}  ${d.code}  ${d.message}`;
}
