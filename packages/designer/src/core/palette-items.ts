import {
  BUILTIN_ACTIONS,
  catalogMap,
  type ActionCatalog,
  type ActionDescriptor,
  type TriggerKind,
} from '@millrace/engine/model';

/**
 * What the palette offers: triggers, the built-in control-flow kinds, the built-in actions and
 * the host's catalog, grouped (catalog entries by their `category`) and searchable.
 */

export interface PaletteItem {
  /** `node:<type>` or `trigger:<kind>`. */
  readonly key: string;
  readonly kind: 'node' | 'trigger';
  /** Node type, or trigger kind. */
  readonly type: string;
  readonly title: string;
  readonly description?: string;
  readonly group: string;
  /** The catalog entry of an action (icons, schemas). */
  readonly descriptor?: ActionDescriptor;
}

export interface PaletteGroup {
  readonly title: string;
  readonly items: readonly PaletteItem[];
}

/** Titles of the built-in groups (replaceable through the designer's strings). */
export interface PaletteGroupTitles {
  readonly triggers: string;
  readonly control: string;
  readonly actions: string;
}

export const DEFAULT_GROUP_TITLES: PaletteGroupTitles = {
  triggers: 'Triggers',
  control: 'Control flow',
  actions: 'Actions',
};

const TRIGGERS: readonly { kind: TriggerKind; title: string; description: string }[] = [
  { kind: 'manual', title: 'Manual start', description: 'Started by a person or by the API.' },
  { kind: 'schedule', title: 'Schedule', description: 'Starts on a cron schedule.' },
  { kind: 'webhook', title: 'Webhook', description: 'Starts when an HTTP request arrives.' },
  { kind: 'event', title: 'Event', description: 'Starts when a named event is emitted.' },
];

const CONTROL: readonly { type: string; title: string; description: string }[] = [
  { type: 'if', title: 'If / else', description: 'Takes the true or the false branch.' },
  { type: 'switch', title: 'Switch', description: 'Takes the first case whose condition holds.' },
  { type: 'forEach', title: 'For each', description: 'Runs its steps once per item of a list.' },
  { type: 'while', title: 'While', description: 'Repeats its steps while a condition holds.' },
  { type: 'try', title: 'Try / catch', description: 'Runs its catch steps when a step fails.' },
  { type: 'group', title: 'Group', description: 'A named stage holding steps.' },
];

/** Every palette item, grouped: triggers, control flow, then actions by category. */
export function paletteGroups(
  catalog: ActionCatalog | undefined,
  titles: PaletteGroupTitles = DEFAULT_GROUP_TITLES,
): PaletteGroup[] {
  const triggers: PaletteItem[] = TRIGGERS.map((t) => ({
    key: `trigger:${t.kind}`,
    kind: 'trigger',
    type: t.kind,
    title: t.title,
    description: t.description,
    group: titles.triggers,
  }));
  const control: PaletteItem[] = CONTROL.map((c) => ({
    key: `node:${c.type}`,
    kind: 'node',
    type: c.type,
    title: c.title,
    description: c.description,
    group: titles.control,
  }));
  // The host's entries replace built-ins of the same type (a host may retitle `http`).
  const actions = catalogMap(BUILTIN_ACTIONS);
  for (const [type, d] of catalogMap(catalog)) actions.set(type, d);
  const byGroup = new Map<string, PaletteItem[]>();
  for (const d of actions.values()) {
    if (CONTROL.some((c) => c.type === d.type)) continue;
    const group = d.category ?? titles.actions;
    const list = byGroup.get(group) ?? [];
    list.push({
      key: `node:${d.type}`,
      kind: 'node',
      type: d.type,
      title: d.title,
      ...(d.description === undefined ? {} : { description: d.description }),
      group,
      descriptor: d,
    });
    byGroup.set(group, list);
  }
  return [
    { title: titles.triggers, items: triggers },
    { title: titles.control, items: control },
    ...[...byGroup].map(([title, items]) => ({ title, items })),
  ];
}

/** The groups with only the items whose title, type, group or description hold every word. */
export function filterPalette(groups: readonly PaletteGroup[], query: string): PaletteGroup[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...groups];
  return groups
    .map((g) => ({
      title: g.title,
      items: g.items.filter((item) => {
        const text =
          `${item.title} ${item.type} ${item.group} ${item.description ?? ''}`.toLowerCase();
        return words.every((w) => text.includes(w));
      }),
    }))
    .filter((g) => g.items.length > 0);
}

/**
 * The item Enter in the search field picks: the best match over all groups — a title match
 * before a type match before a description match (typing "http request" means the action,
 * not the webhook trigger that mentions HTTP requests).
 */
export function bestMatch(groups: readonly PaletteGroup[], query: string): PaletteItem | undefined {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  let best: { item: PaletteItem; score: number } | undefined;
  for (const g of filterPalette(groups, query)) {
    for (const item of g.items) {
      const title = item.title.toLowerCase();
      const score = words.every((w) => title.includes(w))
        ? title.startsWith(words[0] ?? '')
          ? 0
          : 1
        : words.every((w) => item.type.toLowerCase().includes(w))
          ? 2
          : 3;
      if (!best || score < best.score) best = { item, score };
    }
  }
  return best?.item;
}
