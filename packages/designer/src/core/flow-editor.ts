import type { Patch } from 'immer';
import { createEditHistory, type EditHistory } from './edit-history.ts';
import { EditError, type EditResult, type FlowChange, type FlowDocument } from './flow-edit.ts';

/**
 * The editing session of one designer, framework-free: the document, its undo/redo history,
 * the host's veto (`flow-before-change`) and the change report (`flow-change`). Every edit —
 * from the keyboard, a drag, the property panel or the host's own buttons — goes through
 * `run`, so each one is vetoable, undoable and reported the same way.
 */

export interface FlowChangeDetail {
  readonly flow: FlowDocument;
  readonly patches: readonly Patch[];
  readonly inversePatches: readonly Patch[];
  readonly change: FlowChange;
}

export interface FlowEditorHooks {
  /** Whether edits are refused (the designer's `readonly`). */
  readonly readonly: () => boolean;
  /** Before an edit lands; false vetoes it (a canceled `flow-before-change`). */
  readonly beforeChange: (detail: FlowChangeDetail) => boolean;
  /** After the document changed. */
  readonly changed: (detail: FlowChangeDetail) => void;
}

export interface RunOptions {
  /** Edits with the same key merge into one history entry until `seal()`. */
  readonly coalesce?: string;
  /** Not recorded in the history (the recorded layout). */
  readonly history?: false;
}

export interface FlowEditor {
  readonly flow: FlowDocument | undefined;
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  readonly history: EditHistory;
  /**
   * A document from the host. The history is kept when it is the document this editor
   * produced last (a controlled host handing it back), else cleared.
   */
  reset(flow: FlowDocument | undefined): void;
  /** Runs a command; returns its result, or the EditError that refused it. */
  run(command: (flow: FlowDocument) => EditResult, options?: RunOptions): EditResult | EditError;
  undo(): EditResult | EditError;
  redo(): EditResult | EditError;
  /** Ends the current burst (pointer up, field blur). */
  seal(): void;
}

export function createFlowEditor(hooks: FlowEditorHooks): FlowEditor {
  const history = createEditHistory();
  let flow: FlowDocument | undefined;

  const refuse = (): EditError | undefined => {
    if (!flow) return new EditError('E_EDIT_NOTHING', 'There is no flow to edit.');
    if (hooks.readonly()) {
      return new EditError(
        'E_EDIT_READONLY',
        'The designer is read-only; this flow cannot be edited here.',
      );
    }
    return undefined;
  };

  const land = (result: EditResult): EditResult | EditError => {
    const detail: FlowChangeDetail = result;
    if (!hooks.beforeChange(detail)) {
      return new EditError('E_EDIT_VETOED', 'The host declined this edit.');
    }
    flow = result.flow;
    hooks.changed(detail);
    return result;
  };

  const step = (direction: 'undo' | 'redo'): EditResult | EditError => {
    const refused = refuse();
    if (refused) return refused;
    const moved = direction === 'undo' ? history.undo(flow!) : history.redo(flow!);
    if (!moved) return new EditError('E_EDIT_NOTHING', `There is nothing to ${direction}.`);
    const { entry } = moved;
    const result: EditResult =
      direction === 'undo'
        ? {
            flow: moved.flow,
            patches: entry.inversePatches,
            inversePatches: entry.patches,
            change: { kind: 'undo', of: entry.change },
          }
        : {
            flow: moved.flow,
            patches: entry.patches,
            inversePatches: entry.inversePatches,
            change: { kind: 'redo', of: entry.change },
          };
    const landed = land(result);
    // Vetoed: the entry goes back where it was.
    if (landed instanceof EditError) {
      if (direction === 'undo') history.redo(moved.flow);
      else history.undo(moved.flow);
    }
    return landed;
  };

  return {
    get flow() {
      return flow;
    },
    get canUndo() {
      return history.canUndo;
    },
    get canRedo() {
      return history.canRedo;
    },
    history,
    reset(next) {
      if (next === flow) return;
      flow = next;
      history.clear();
    },
    run(command, options = {}) {
      const refused = refuse();
      if (refused) return refused;
      let result: EditResult;
      try {
        result = command(flow!);
      } catch (error) {
        if (error instanceof EditError) return error;
        throw error;
      }
      const landed = land(result);
      if (!(landed instanceof EditError) && options.history !== false) {
        history.push(result, options.coalesce);
      }
      return landed;
    },
    undo: () => step('undo'),
    redo: () => step('redo'),
    seal() {
      history.seal();
    },
  };
}
