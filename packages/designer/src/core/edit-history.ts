import type { Patch } from 'immer';
import {
  applyFlowPatches,
  type EditResult,
  type FlowChange,
  type FlowDocument,
} from './flow-edit.ts';

/**
 * Undo/redo over immer patches. Each entry holds the patches of one user action and their
 * inverse; a burst (a drag, typing into one field) is one entry: edits pushed with the same
 * `coalesce` key merge into the open entry until `seal()` (pointer up, field blur) or another
 * key comes along.
 */

export interface HistoryEntry {
  readonly patches: readonly Patch[];
  readonly inversePatches: readonly Patch[];
  readonly change: FlowChange;
  readonly coalesce: string | undefined;
}

export interface EditHistory {
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  /** Entries that can be undone, oldest first. */
  readonly size: number;
  push(result: EditResult, coalesce?: string): void;
  /** Ends the open burst: the next edit starts a new entry. */
  seal(): void;
  /** The document before the newest entry, with what is undone; undefined when none. */
  undo(flow: FlowDocument): { flow: FlowDocument; entry: HistoryEntry } | undefined;
  redo(flow: FlowDocument): { flow: FlowDocument; entry: HistoryEntry } | undefined;
  clear(): void;
}

export function createEditHistory(limit = 500): EditHistory {
  const done: HistoryEntry[] = [];
  const undone: HistoryEntry[] = [];
  let open = false;
  return {
    get canUndo() {
      return done.length > 0;
    },
    get canRedo() {
      return undone.length > 0;
    },
    get size() {
      return done.length;
    },
    push(result, coalesce) {
      undone.length = 0;
      const top = done[done.length - 1];
      if (open && top && coalesce !== undefined && top.coalesce === coalesce) {
        done[done.length - 1] = {
          patches: [...top.patches, ...result.patches],
          inversePatches: [...result.inversePatches, ...top.inversePatches],
          change: result.change,
          coalesce,
        };
        return;
      }
      done.push({
        patches: result.patches,
        inversePatches: result.inversePatches,
        change: result.change,
        coalesce,
      });
      if (done.length > limit) done.shift();
      open = coalesce !== undefined;
    },
    seal() {
      open = false;
    },
    undo(flow) {
      const entry = done.pop();
      if (!entry) return undefined;
      open = false;
      undone.push(entry);
      return { flow: applyFlowPatches(flow, entry.inversePatches), entry };
    },
    redo(flow) {
      const entry = undone.pop();
      if (!entry) return undefined;
      open = false;
      done.push(entry);
      return { flow: applyFlowPatches(flow, entry.patches), entry };
    },
    clear() {
      done.length = 0;
      undone.length = 0;
      open = false;
    },
  };
}
