import type { ActionDescriptor } from '../catalog.ts';
import { diagnostic, type Diagnostic, type DiagnosticCode } from '../diagnostic.ts';
import type { FlowIndex } from '../graph.ts';

/** Shared state of one validateFlow call. */
export interface ValidationContext {
  readonly catalog: ReadonlyMap<string, ActionDescriptor>;
  readonly diagnostics: Diagnostic[];
  report(
    code: DiagnosticCode,
    path: string,
    message: string,
    extra?: Partial<Pick<Diagnostic, 'nodeId' | 'position' | 'related'>>,
  ): void;
}

/** The context plus the index, for the checks that run after the structure is known. */
export interface IndexedContext extends ValidationContext {
  readonly index: FlowIndex;
}

export function createContext(catalog: ReadonlyMap<string, ActionDescriptor>): ValidationContext {
  const diagnostics: Diagnostic[] = [];
  return {
    catalog,
    diagnostics,
    report(code, path, message, extra) {
      diagnostics.push(diagnostic(code, path, message, extra));
    },
  };
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Names a JSON value's type the way messages say it: `an array`, `a string`, `null`. */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'object':
      return 'an object';
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    default:
      return typeof value;
  }
}

/** Ids: letters, digits, `-`, `_`, `.`; they appear in paths (`each[3]/enrich`) and URLs. */
export const ID_PATTERN = /^[A-Za-z0-9_.-]+$/;

/** Quotes a value for a message, short. */
export function quote(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const short = text === undefined ? String(value) : text;
  return `"${short.length > 60 ? short.slice(0, 57) + '...' : short}"`;
}
