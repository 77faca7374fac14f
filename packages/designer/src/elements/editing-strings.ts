import type { FlowChange, InsertAt } from '../core/flow-edit.ts';

/** The editor's replaceable texts (part of the designer's `strings`). */
export interface EditingStrings {
  readonly addStep: string;
  /** The visible text of the "Add step" toolbar button. */
  readonly step: string;
  readonly undo: string;
  readonly redo: string;
  readonly deleteSelection: string;
  readonly addFirstStep: string;
  readonly emptyFlow: string;
  /** Names a place a step can be added at (the "+" buttons, the palette's context line). */
  readonly insertAt: (at: InsertAt, nameOf: (id: string) => string) => string;
  readonly renameLabel: (name: string) => string;
  readonly connectFrom: (name: string, port: string) => string;
  /** What a screen reader hears after each edit. */
  readonly announce: (change: FlowChange, nameOf: (id: string) => string) => string;
  readonly refused: (message: string) => string;
  readonly copied: (n: number) => string;
}

const steps = (n: number): string => (n === 1 ? '1 step' : `${n} steps`);

function announce(change: FlowChange, nameOf: (id: string) => string): string {
  const list = (ids: readonly string[]): string =>
    ids.length === 1 ? nameOf(ids[0]!) : steps(ids.length);
  switch (change.kind) {
    case 'node-added':
      return `Added ${list(change.ids)}.`;
    case 'node-removed':
      return `Removed ${list(change.ids)}${change.reconnected.length > 0 ? '; the steps around it were reconnected' : ''}.`;
    case 'node-moved':
      return `Moved ${list(change.ids)}.`;
    case 'edge-added':
      return `Connected ${change.edges.map((e) => `${nameOf(e.from)} to ${nameOf(e.to)}`).join(', ')}.`;
    case 'edge-removed':
      return `Removed the connection${change.edges.length === 1 ? '' : 's'} ${change.edges.map((e) => `${nameOf(e.from)} to ${nameOf(e.to)}`).join(', ')}.`;
    case 'property-changed':
      return `Changed ${change.path.join('.')} of ${nameOf(change.target.id)}.`;
    case 'renamed':
      return change.name === ''
        ? `Removed the name of ${change.target.id}.`
        : `Renamed to ${change.name}.`;
    case 'id-changed':
      return `Changed the id ${change.from} to ${change.to}.`;
    case 'pasted':
      return `Pasted ${list(change.ids)}.`;
    case 'trigger-added':
      return `Added the trigger ${change.ids.join(', ')}.`;
    case 'trigger-removed':
      return `Removed the trigger ${change.ids.join(', ')}.`;
    case 'layout-recorded':
      return '';
    case 'undo':
      return `Undone: ${announce(change.of, nameOf)}`;
    case 'redo':
      return `Redone: ${announce(change.of, nameOf)}`;
  }
}

export const DEFAULT_EDITING_STRINGS: EditingStrings = {
  addStep: 'Add step',
  step: 'Step',
  undo: 'Undo',
  redo: 'Redo',
  deleteSelection: 'Delete',
  addFirstStep: 'Add the first step',
  emptyFlow: 'This flow has no steps yet.',
  insertAt: (at, nameOf) => {
    switch (at.kind) {
      case 'edge':
        return `Add a step between ${nameOf(at.edge.from)} and ${nameOf(at.edge.to)}`;
      case 'port':
        return `Add a step after ${nameOf(at.from)}${at.port && at.port !== 'out' ? ` (${at.port})` : ''}`;
      case 'before':
        return `Add a step before ${nameOf(at.node)}`;
      case 'graph':
        return at.graph === ''
          ? 'Add a step to the flow'
          : `Add a step inside ${nameOf(at.graph.split('#')[0]!)}`;
    }
  },
  renameLabel: (name) => `Name of ${name}`,
  connectFrom: (name, port) =>
    `Connect ${name}${port === 'out' ? '' : ` (${port})`} to another step`,
  announce,
  refused: (message) => `Not done: ${message}`,
  copied: (n) => `Copied ${steps(n)}.`,
};
