/**
 * The designer's editing keys (README: "Keys"), as a pure map from a key event to a command.
 * The element calls it only when focus is in the designer and not in a text field.
 */

export type EditCommand =
  | 'delete'
  | 'undo'
  | 'redo'
  | 'copy'
  | 'cut'
  | 'paste'
  | 'duplicate'
  | 'select-all'
  | 'open'
  | 'rename'
  | 'add'
  | 'close';

export interface KeyLike {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly shiftKey: boolean;
  readonly altKey: boolean;
}

/** The command of a key press, or undefined when the key is not an editing key. */
export function editCommandOf(e: KeyLike): EditCommand | undefined {
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (e.altKey) return undefined;
  if (mod) {
    if (key === 'z') return e.shiftKey ? 'redo' : 'undo';
    if (key === 'y' && e.ctrlKey && !e.shiftKey) return 'redo';
    if (e.shiftKey) return undefined;
    switch (key) {
      case 'c':
        return 'copy';
      case 'x':
        return 'cut';
      case 'v':
        return 'paste';
      case 'd':
        return 'duplicate';
      case 'a':
        return 'select-all';
      default:
        return undefined;
    }
  }
  switch (key) {
    case 'Delete':
    case 'Backspace':
      return 'delete';
    case 'Enter':
      return 'open';
    case 'F2':
      return 'rename';
    case 'Escape':
      return 'close';
    case 'a':
      return e.shiftKey ? undefined : 'add';
    default:
      return undefined;
  }
}
