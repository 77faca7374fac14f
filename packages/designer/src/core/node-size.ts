import { isContainer, portsOf, type ActionDescriptor, type FlowNode } from '@millrace/engine/model';

/**
 * The geometry of every card the canvas draws, derived from a few constants so that the layout
 * (which sizes ELK's nodes) and the renderer (which draws them) agree to the pixel. Nothing here
 * depends on names, inputs or measured text: cards are fixed-width and text is clipped with an
 * ellipsis, so renaming a node or editing its input never moves anything (and never needs ELK).
 *
 * Card anatomy (action card, top to bottom): padding, a title row (icon + name), the type line,
 * the one-line summary of the main input, padding. Ports sit on the border: one input port
 * centred on the top edge, the output ports spread over the bottom edge in `portsOf` order.
 */

/** Width of every fixed card (actions, branches with few ports, triggers, collapsed containers). */
export const CARD_WIDTH = 220;
/** Horizontal padding inside a card. */
export const CARD_PADDING_X = 12;
/** Vertical padding inside a card (top and bottom). */
export const CARD_PADDING_Y = 10;
/** The icon is square and sits on the title row. */
export const ICON_SIZE = 20;
/** The title row: icon and name. */
export const TITLE_LINE_HEIGHT = 20;
/** A secondary text line (type, summary). */
export const TEXT_LINE_HEIGHT = 16;
/** Gap between two rows of a card. */
export const LINE_GAP = 4;

/** Action card: title row + type line + summary line. */
export const ACTION_CARD_HEIGHT =
  2 * CARD_PADDING_Y + TITLE_LINE_HEIGHT + 2 * (LINE_GAP + TEXT_LINE_HEIGHT);
/** Trigger (entry) card: title row + one line (schedule, path or event). */
export const TRIGGER_CARD_HEIGHT =
  2 * CARD_PADDING_Y + TITLE_LINE_HEIGHT + LINE_GAP + TEXT_LINE_HEIGHT;

/**
 * Ports are anchor points on the card's border (zero-size for ELK); the renderer draws its
 * port dot, of radius PORT_RADIUS, centred on the anchor it gets from the layout result.
 */
export const PORT_RADIUS = 5;
/**
 * Each output port of a branching card (if, switch, multi-port actions) owns a slot this wide
 * on the bottom edge; the edge label next to the port is at most EDGE_LABEL_MAX_WIDTH wide, so
 * labels of neighbouring ports never overlap.
 */
export const PORT_SLOT_WIDTH = 96;

/** Edge labels (port names, `edge.label`): one line, clipped to EDGE_LABEL_MAX_WIDTH. */
export const EDGE_LABEL_HEIGHT = 16;
export const EDGE_LABEL_PADDING_X = 4;
/** The renderer's label font must not exceed this average advance per character. */
export const EDGE_LABEL_CHAR_WIDTH = 7;
export const EDGE_LABEL_MAX_WIDTH = 84;

/** A container's header (title row + summary line, like a card without its type line). */
export const CONTAINER_HEADER_HEIGHT =
  2 * CARD_PADDING_Y + TITLE_LINE_HEIGHT + LINE_GAP + TEXT_LINE_HEIGHT;
/** Space between a container's border and its children (below the header at the top). */
export const CONTAINER_PADDING = 16;
/** A try container's regions (body, catch, finally) carry a one-line label header. */
export const REGION_HEADER_HEIGHT = 24;
export const REGION_PADDING = 12;
/**
 * The smallest content box of a container or region, so that an empty one still offers a
 * drop target as large as a card.
 */
export const CONTAINER_MIN_CONTENT_WIDTH = CARD_WIDTH;
export const CONTAINER_MIN_CONTENT_HEIGHT = ACTION_CARD_HEIGHT;

/** How the renderer draws a layout node. */
export type CardKind =
  /** An entry card for a trigger, at the top, connected to the roots of the main graph. */
  | 'trigger'
  /** An action with the single port `out`. */
  | 'action'
  /** `if`, `switch` or an action with named ports: labelled output ports. */
  | 'branch'
  /** An expanded `forEach`, `while`, `try` or `group`, sized by ELK from its children. */
  | 'container'
  /** A container with `ui.collapsed`: drawn as a card, its children are not laid out. */
  | 'collapsed'
  /** A region box: a try's body/catch/finally, or the flow's onFailure graph. */
  | 'region';

export interface Size {
  readonly width: number;
  readonly height: number;
}

/** Inner padding of a compound box (ELK's `elk.padding`). */
export interface Padding {
  readonly top: number;
  readonly left: number;
  readonly bottom: number;
  readonly right: number;
}

export const CONTAINER_BOX_PADDING: Padding = {
  top: CONTAINER_HEADER_HEIGHT + CONTAINER_PADDING,
  left: CONTAINER_PADDING,
  // More room below: the output ports of a container and of the last box inside it sit on
  // their bottom borders, which would otherwise stack their port circles.
  bottom: CONTAINER_PADDING + 12,
  right: CONTAINER_PADDING,
};

export const REGION_BOX_PADDING: Padding = {
  top: REGION_HEADER_HEIGHT + REGION_PADDING,
  left: REGION_PADDING,
  bottom: REGION_PADDING,
  right: REGION_PADDING,
};

/** The card kind of a flow node, given its output ports. */
export function cardKindOf(node: FlowNode, ports: readonly string[]): CardKind {
  if (isContainer(node)) return node.ui?.collapsed === true ? 'collapsed' : 'container';
  if (node.type === 'if' || node.type === 'switch') return 'branch';
  return ports.length === 1 && ports[0] === 'out' ? 'action' : 'branch';
}

/**
 * The width of a fixed card with `portCount` output ports: CARD_WIDTH, or wider when the ports'
 * slots need more room (a switch with many cases).
 */
export function cardWidth(portCount: number): number {
  return Math.max(CARD_WIDTH, Math.max(1, portCount) * PORT_SLOT_WIDTH + 2 * CARD_PADDING_X);
}

/** The size of a fixed card. Containers and regions are sized by ELK (see `minimumBoxSize`). */
export function cardSize(kind: CardKind, portCount = 1): Size {
  switch (kind) {
    case 'trigger':
      return { width: CARD_WIDTH, height: TRIGGER_CARD_HEIGHT };
    case 'branch':
      return { width: cardWidth(portCount), height: ACTION_CARD_HEIGHT };
    case 'action':
    case 'collapsed':
      return { width: CARD_WIDTH, height: ACTION_CARD_HEIGHT };
    case 'container':
      return minimumBoxSize(CONTAINER_BOX_PADDING);
    case 'region':
      return minimumBoxSize(REGION_BOX_PADDING);
  }
}

/** The smallest outer size of a container or region box with the given padding. */
export function minimumBoxSize(padding: Padding): Size {
  return {
    width: padding.left + CONTAINER_MIN_CONTENT_WIDTH + padding.right,
    height: padding.top + CONTAINER_MIN_CONTENT_HEIGHT + padding.bottom,
  };
}

/**
 * The x offsets (from the card's left edge) of `count` output ports on a card `width` wide:
 * the centres of equal slots, so one port sits in the middle and two sit at 1/4 and 3/4.
 */
export function portOffsets(width: number, count: number): number[] {
  const n = Math.max(1, count);
  const slot = width / n;
  return Array.from({ length: n }, (_, i) => Math.round(slot * (i + 0.5)));
}

/** The box ELK reserves for an edge label; the renderer clips the text to its width. */
export function edgeLabelSize(text: string): Size {
  const natural = text.length * EDGE_LABEL_CHAR_WIDTH + 2 * EDGE_LABEL_PADDING_X;
  return { width: Math.min(EDGE_LABEL_MAX_WIDTH, natural), height: EDGE_LABEL_HEIGHT };
}

/** Geometry of one flow node's card, with its output ports in display order. */
export interface NodeGeometry {
  readonly kind: CardKind;
  /** Fixed size; for `container` the minimum size (ELK grows it around the children). */
  readonly size: Size;
  readonly ports: readonly string[];
}

/** The card geometry of a flow node. */
export function nodeGeometry(node: FlowNode, descriptor?: ActionDescriptor): NodeGeometry {
  const { ports } = portsOf(node, descriptor);
  const kind = cardKindOf(node, ports);
  return { kind, size: cardSize(kind, ports.length), ports };
}

/** Geometry of a trigger's entry card (the same for every trigger kind): one output port. */
export function triggerGeometry(): NodeGeometry {
  return { kind: 'trigger', size: cardSize('trigger'), ports: ['out'] };
}
