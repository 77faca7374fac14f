import {
  BUILTIN_ACTIONS,
  catalogMap,
  portsOf,
  type ActionCatalog,
  type FlowNode,
} from '@millrace/engine/model';
import {
  EditError,
  describeEdge,
  sameEdge,
  type EdgeRef,
  type EditErrorCode,
} from './flow-edit.ts';
import { edgesIn, locate, plainOf } from './flow-graphs.ts';

/**
 * The format's rules for a new edge, checked while the user drags a connection (the canvas
 * shows why a target is refused) and again by the `connect` command: both ends in one graph,
 * a port the source has, no edge twice, no cycle.
 */

export type ConnectCheck =
  | { readonly ok: true; readonly port: string | undefined }
  | { readonly ok: false; readonly code: EditErrorCode; readonly message: string };

const builtins = catalogMap(BUILTIN_ACTIONS);

/** The output ports of a node with the host's catalog (built-in descriptors otherwise). */
export function outputPortsOf(
  node: FlowNode,
  catalog: ActionCatalog | undefined,
): { readonly ports: readonly string[]; readonly requiresPort: boolean } {
  const descriptor = catalogMap(catalog).get(node.type) ?? builtins.get(node.type);
  return portsOf(node, descriptor);
}

/** Whether `from` (its `port`) may connect to `to`; the port is normalised (undefined = `out`). */
export function canConnect(flow: unknown, edge: EdgeRef, catalog?: ActionCatalog): ConnectCheck {
  const refuse = (code: EditErrorCode, message: string): ConnectCheck => ({
    ok: false,
    code,
    message,
  });
  if (edge.from === edge.to) return refuse('E_EDIT_SELF_LOOP', 'A step cannot connect to itself.');
  const from = locate(flow, edge.from);
  const to = locate(flow, edge.to);
  if (!from) return refuse('E_EDIT_UNKNOWN_NODE', `There is no step "${edge.from}".`);
  if (!to) return refuse('E_EDIT_UNKNOWN_NODE', `There is no step "${edge.to}".`);
  if (from.key !== to.key) {
    return refuse(
      'E_EDIT_CROSS_GRAPH',
      `"${edge.to}" is in another container than "${edge.from}"; edges stay inside one container — connect to the container instead.`,
    );
  }
  const { ports, requiresPort } = outputPortsOf(from.node, catalog);
  let port = edge.port;
  if (port === undefined && requiresPort) port = ports[0];
  if (port !== undefined && !ports.includes(port)) {
    return refuse(
      'E_EDIT_UNKNOWN_PORT',
      `"${edge.from}" has no output "${port}"; its outputs are ${ports.map((p) => `"${p}"`).join(', ')}.`,
    );
  }
  if (port === 'out' && !requiresPort) port = undefined;
  const normal: EdgeRef = port === undefined ? { from: edge.from, to: edge.to } : { ...edge, port };
  // Read as plain values: scanning a draft's edges would draft every one of them.
  const edges = plainOf(edgesIn(from.graph));
  if (edges.some((e) => sameEdge(normalise(e), normal))) {
    return refuse('E_EDIT_DUPLICATE_EDGE', `${describeEdge(normal)} exists already.`);
  }
  if (reaches(edges, edge.to, edge.from)) {
    return refuse(
      'E_EDIT_CYCLE',
      `Connecting "${edge.from}" to "${edge.to}" would make a loop: "${edge.to}" already leads to "${edge.from}". Use a while or forEach container to repeat steps.`,
    );
  }
  return { ok: true, port };
}

/** Like `canConnect`, but throws the refusal as an EditError. */
export function assertConnectable(flow: unknown, edge: EdgeRef, catalog?: ActionCatalog): EdgeRef {
  const check = canConnect(flow, edge, catalog);
  if (!check.ok) throw new EditError(check.code, check.message, `${edge.from}->${edge.to}`);
  return check.port === undefined
    ? { from: edge.from, to: edge.to }
    : { ...edge, port: check.port };
}

function normalise(e: EdgeRef): EdgeRef {
  return e.port === undefined || e.port === 'out' ? { from: e.from, to: e.to } : e;
}

/** True when a path of edges leads from `start` to `goal`. */
function reaches(edges: readonly EdgeRef[], start: string, goal: string): boolean {
  const next = new Map<string, string[]>();
  for (const e of edges) {
    const list = next.get(e.from) ?? [];
    list.push(e.to);
    next.set(e.from, list);
  }
  const seen = new Set<string>([start]);
  const stack = [start];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === goal) return true;
    for (const n of next.get(id) ?? []) {
      if (!seen.has(n)) {
        seen.add(n);
        stack.push(n);
      }
    }
  }
  return false;
}
