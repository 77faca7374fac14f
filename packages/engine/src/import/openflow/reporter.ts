import {
  diagnostic,
  pointerSegment,
  type Diagnostic,
  type DiagnosticCode,
} from '../../model/diagnostic.ts';

/** Appends one segment to a JSON pointer. */
export function at(base: string, ...segments: readonly (string | number)[]): string {
  return base + segments.map((s) => '/' + pointerSegment(s)).join('');
}

/**
 * Collects the importer's diagnostics. Paths are JSON pointers into the OpenFlow document
 * (`/value/modules/2/value/iterator`); `nodeId` names the Millrace node the finding belongs
 * to, so the designer can mark it.
 */
export class Reporter {
  readonly diagnostics: Diagnostic[] = [];

  report(code: DiagnosticCode, path: string, message: string, nodeId?: string): void {
    this.diagnostics.push(diagnostic(code, path, message, nodeId === undefined ? {} : { nodeId }));
  }

  /** A setting with no exact Millrace equivalent that was approximated or dropped. */
  lossy(path: string, message: string, nodeId?: string): void {
    this.report('W_IMPORT_LOSSY', path, message, nodeId);
  }

  /** A step that became a placeholder the host has to provide. */
  placeholder(path: string, message: string, nodeId?: string): void {
    this.report('I_IMPORT_PLACEHOLDER', path, message, nodeId);
  }
}
