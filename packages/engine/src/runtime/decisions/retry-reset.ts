import type { CGraph, CNode } from '../compile-flow.ts';

/**
 * The records a container's next attempt must not replay: every recorded path of a node inside
 * it (as seen from the frame whose path prefix is `prefix`), and its own iterations
 * (`each[3]/...`, `each[3]`). Without the reset, a retried container would replay its failed
 * inside instead of running it again.
 *
 * @example
 * recordsInside(state.nodes.keys(), '', tryNode, 'try1'); // ['body1', 'body2'] (not 'after')
 */
export function recordsInside(
  paths: Iterable<string>,
  prefix: string,
  container: CNode,
  path: string,
): string[] {
  const inside = new Set<string>();
  const walk = (graph: CGraph | undefined) => {
    for (const n of graph?.nodes ?? []) {
      inside.add(n.id);
      walk(n.body);
      walk(n.catchGraph);
      walk(n.finallyGraph);
    }
  };
  walk(container.body);
  walk(container.catchGraph);
  walk(container.finallyGraph);
  const loopPrefix = `${path}[`;
  const out: string[] = [];
  for (const key of paths) {
    if (key.startsWith(loopPrefix)) {
      out.push(key);
      continue;
    }
    if (!key.startsWith(prefix)) continue;
    const rest = key.slice(prefix.length);
    const id = rest.slice(0, rest.search(/[[/#]|$/));
    if (inside.has(id)) out.push(key);
  }
  return out;
}
