import type { JsonSchema } from './flow.ts';

/**
 * What the designer and the validator know about an action type: its title, icon, schemas
 * and ports. The runtime's action definitions (with `run`) extend this, so one catalog drives
 * the palette, the property forms, validation and execution.
 */
export interface ActionDescriptor {
  /** The node `type` this action answers to (`http`, `slack.post`). */
  readonly type: string;
  readonly title: string;
  readonly description?: string;
  /** An icon name or a same-origin URL / data: URL. */
  readonly icon?: string;
  /** Palette section. */
  readonly category?: string;
  /** JSON Schema of the node's `input` (after expressions are evaluated). */
  readonly inputSchema?: JsonSchema;
  /** JSON Schema of the output; drives `$<nodes.x.output.>` completion. */
  readonly outputSchema?: JsonSchema;
  /** Named output ports; an action without them has the single port `out`. */
  readonly ports?: readonly string[];
  /** True when the action can never succeed (so edges out of it are dead). */
  readonly neverSucceeds?: boolean;
}

/** A catalog: an array of descriptors or a map keyed by type. */
export type ActionCatalog =
  readonly ActionDescriptor[] | { readonly [type: string]: ActionDescriptor };

/** Normalises a catalog into a Map keyed by type (later entries win). */
export function catalogMap(catalog: ActionCatalog | undefined): Map<string, ActionDescriptor> {
  const map = new Map<string, ActionDescriptor>();
  if (!catalog) return map;
  const list = Array.isArray(catalog)
    ? (catalog as readonly ActionDescriptor[])
    : Object.values(catalog as { readonly [type: string]: ActionDescriptor });
  for (const entry of list) {
    if (entry && typeof entry === 'object' && typeof entry.type === 'string') {
      map.set(entry.type, entry);
    }
  }
  return map;
}
