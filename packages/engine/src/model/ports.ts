import type { ActionDescriptor } from './catalog.ts';
import type { FlowNode, SwitchNode } from './flow.ts';

/** The port of a node that has no named ports. */
export const DEFAULT_PORT = 'out';

/**
 * The output ports of a node, in display order (the designer keeps this order left to right).
 * `requiresPort` is true when edges out of the node must name their port.
 */
export function portsOf(
  node: FlowNode,
  descriptor?: ActionDescriptor,
): { readonly ports: readonly string[]; readonly requiresPort: boolean } {
  switch (node.type) {
    case 'if':
      return { ports: ['true', 'false'], requiresPort: true };
    case 'switch': {
      const cases = Array.isArray((node as SwitchNode).cases) ? (node as SwitchNode).cases : [];
      const ports = cases
        .map((c) => (c && typeof c === 'object' ? c.port : undefined))
        .filter((p): p is string => typeof p === 'string');
      return { ports: [...new Set([...ports, 'default'])], requiresPort: true };
    }
    default: {
      const named = descriptor?.ports;
      if (named && named.length > 0) {
        return { ports: named, requiresPort: !named.includes(DEFAULT_PORT) };
      }
      return { ports: [DEFAULT_PORT], requiresPort: false };
    }
  }
}
