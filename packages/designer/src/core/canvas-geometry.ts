import type { FlowNode, Trigger } from '@millrace/engine/model';
import type { LayoutPoint } from './layout-result.ts';

/**
 * Pure helpers the canvas renderer draws with: SVG path strings for edges and arrowheads, and
 * the one-line texts of a card. No DOM here, so each is unit tested in Node.
 */

const round = (n: number): number => Math.round(n * 100) / 100;

/** The SVG path (`M x y L x y ...`) of an orthogonal polyline; empty for fewer than 2 points. */
export function edgePath(points: readonly LayoutPoint[]): string {
  if (points.length < 2) return '';
  return points.map((p, i) => `${i === 0 ? 'M' : 'L'}${round(p.x)} ${round(p.y)}`).join(' ');
}

/**
 * A closed triangle pointing along the last segment of `points`, tip on the last point.
 * Drawn as a path rather than an SVG marker so it can be themed per edge with plain CSS.
 */
export function arrowHeadPath(points: readonly LayoutPoint[], size = 8): string {
  const n = points.length;
  if (n < 2) return '';
  const tip = points[n - 1]!;
  const prev = points[n - 2]!;
  const len = Math.hypot(tip.x - prev.x, tip.y - prev.y) || 1;
  const ux = (tip.x - prev.x) / len;
  const uy = (tip.y - prev.y) / len;
  const bx = tip.x - ux * size;
  const by = tip.y - uy * size;
  const half = size / 2;
  return `M${round(tip.x)} ${round(tip.y)} L${round(bx - uy * half)} ${round(by + ux * half)} L${round(bx + uy * half)} ${round(by - ux * half)} Z`;
}

/**
 * The polyline with its last point moved back by `distance` along the last segment (never past
 * the previous point): edges end on the rim of the target's port dot, so the arrowhead's tip
 * touches the dot instead of covering it (and start on the rim of the source's, see `trimStart`).
 */
export function trimEnd(points: readonly LayoutPoint[], distance: number): LayoutPoint[] {
  const n = points.length;
  if (n < 2 || distance <= 0) return [...points];
  const tip = points[n - 1]!;
  const prev = points[n - 2]!;
  const len = Math.hypot(tip.x - prev.x, tip.y - prev.y);
  if (len === 0) return [...points];
  const keep = Math.max(0, len - distance) / len;
  return [
    ...points.slice(0, n - 1),
    { x: prev.x + (tip.x - prev.x) * keep, y: prev.y + (tip.y - prev.y) * keep },
  ];
}

/** The polyline with its first point moved forward by `distance` (see `trimEnd`). */
export function trimStart(points: readonly LayoutPoint[], distance: number): LayoutPoint[] {
  return trimEnd([...points].reverse(), distance).reverse();
}

/** Clips text to `max` characters with an ellipsis (cards are fixed width; see node-size.ts). */
export function clipText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  return JSON.stringify(value) ?? '';
}

/**
 * The one-line summary of a node's main input: the first field of `input` (`condition`,
 * `items`, `url`... are written first by convention), as `key: value`.
 */
export function inputSummary(node: Pick<FlowNode, 'input'>): string {
  const input = node.input as unknown;
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return valueText(input);
  const first = Object.entries(input as Record<string, unknown>)[0];
  if (!first) return '';
  return `${first[0]}: ${valueText(first[1])}`.replace(/\s+/g, ' ');
}

/** The summary line of a trigger's entry card: schedule, path or event, else its kind. */
export function triggerSummary(trigger: Trigger): string {
  const t = trigger as unknown as Record<string, unknown>;
  for (const key of ['cron', 'schedule', 'every', 'path', 'event']) {
    const v = t[key];
    if (typeof v === 'string') return v;
  }
  return String(t['kind'] ?? '');
}

interface GraphLike {
  readonly nodes?: readonly FlowNode[];
  readonly onFailure?: { readonly nodes: readonly FlowNode[] };
  readonly triggers?: readonly Trigger[];
}

/**
 * Every flow node by id, including those nested in containers, catch/finally regions and
 * onFailure, and every trigger under its layout id `trigger:<id>`.
 */
export function indexFlow(flow: GraphLike): Map<string, FlowNode | Trigger> {
  const byId = new Map<string, FlowNode | Trigger>();
  const visit = (nodes: readonly FlowNode[] | undefined): void => {
    for (const node of nodes ?? []) {
      byId.set(node.id, node);
      const n = node as unknown as Record<string, { nodes?: readonly FlowNode[] } | undefined>;
      visit((node as { nodes?: readonly FlowNode[] }).nodes);
      visit(n['catch']?.nodes);
      visit(n['finally']?.nodes);
    }
  };
  visit(flow.nodes);
  visit(flow.onFailure?.nodes);
  for (const t of flow.triggers ?? []) byId.set(`trigger:${t.id}`, t);
  return byId;
}

/** The SVG `transform` of a viewport (screen = world * zoom + (x, y)). */
export function viewportTransform(view: { x: number; y: number; zoom: number }): string {
  return `translate(${round(view.x)} ${round(view.y)}) scale(${round(view.zoom * 1000) / 1000})`;
}
