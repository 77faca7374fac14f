import type { Diagnostic, NodeView } from '@millrace/engine/model';
import type { FlowChangeDetail } from '../core/flow-editor.ts';
import type { EditError } from '../core/flow-edit.ts';
import type { FlowDesignerBase } from './flow-designer.ts';

/** `flow-validate`: the flow's problems after validation (empty when it is valid). */
export interface FlowValidateDetail {
  readonly diagnostics: readonly Diagnostic[];
}

/** `selection-change`: the ids of the selected steps. */
export interface SelectionChangeDetail {
  readonly selected: readonly string[];
}

/** `node-open`: the opened step, and what the shown run says of it. */
export interface NodeOpenDetail {
  readonly nodeId: string;
  /** The node's path in the run (`each[3]/enrich`) when opened from a timeline row. */
  readonly path?: string;
  readonly view: NodeView | undefined;
}

/** `iteration-change`: the iteration a loop's nodes now show. */
export interface IterationChangeDetail {
  readonly loopId: string;
  readonly iteration: number;
}

/** `edit-refused`: why an edit from the UI was refused. */
export interface EditRefusedDetail {
  readonly error: EditError;
}

/** `run-error` and `layout-error`: the typed error (a `MillraceError` with a `code`). */
export interface ErrorDetail {
  readonly error: unknown;
}

/**
 * The events of `<flow-designer>` by name, as `HTMLElementEventMap` has the platform's: the
 * designer's `addEventListener` is typed by it, so `e.detail` is known in a listener.
 *
 * @example
 * designer.addEventListener('flow-change', (e) => save(e.detail.flow));
 */
export interface FlowDesignerEventMap {
  'flow-change': CustomEvent<FlowChangeDetail>;
  'flow-before-change': CustomEvent<FlowChangeDetail>;
  'flow-validate': CustomEvent<FlowValidateDetail>;
  'selection-change': CustomEvent<SelectionChangeDetail>;
  'node-open': CustomEvent<NodeOpenDetail>;
  'edit-refused': CustomEvent<EditRefusedDetail>;
  'iteration-change': CustomEvent<IterationChangeDetail>;
  'run-error': CustomEvent<ErrorDetail>;
  'layout-error': CustomEvent<ErrorDetail>;
}

type Listener<E extends Event> = (this: FlowDesignerBase, ev: E) => unknown;

// The element's listeners typed by its events (a class merges with an interface of its name);
// the platform's events and any other name keep the inherited signatures.
declare module './flow-designer.ts' {
  interface FlowDesignerBase {
    addEventListener<K extends keyof FlowDesignerEventMap>(
      type: K,
      listener: Listener<FlowDesignerEventMap[K]>,
      options?: boolean | AddEventListenerOptions,
    ): void;
    addEventListener<K extends keyof HTMLElementEventMap>(
      type: K,
      listener: Listener<HTMLElementEventMap[K]>,
      options?: boolean | AddEventListenerOptions,
    ): void;
    addEventListener(
      type: string,
      listener: EventListenerOrEventListenerObject,
      options?: boolean | AddEventListenerOptions,
    ): void;
    removeEventListener<K extends keyof FlowDesignerEventMap>(
      type: K,
      listener: Listener<FlowDesignerEventMap[K]>,
      options?: boolean | EventListenerOptions,
    ): void;
    removeEventListener<K extends keyof HTMLElementEventMap>(
      type: K,
      listener: Listener<HTMLElementEventMap[K]>,
      options?: boolean | EventListenerOptions,
    ): void;
    removeEventListener(
      type: string,
      listener: EventListenerOrEventListenerObject,
      options?: boolean | EventListenerOptions,
    ): void;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    /** Registered by `import '@millrace/designer/define'` or `defineFlowDesigner()`. */
    'flow-designer': FlowDesignerBase;
  }
}
