import { pathToFileURL } from 'node:url';
import { validateFlow, type FlowDefinition } from '@millrace/engine';
import { measure, report } from './measure.ts';

/**
 * A generated 1,000-node flow shaped like real ones: a chain with an `if` every 10 nodes whose
 * two arms join again, a forEach and a try every 100, three expressions per action node that
 * read upstream nodes, the flow input and loop items.
 */
export function generateFlow(size: number): FlowDefinition {
  const nodes: Record<string, unknown>[] = [];
  const edges: { from: string; to: string; port?: string }[] = [];
  let prev: string | undefined;
  const link = (id: string, port?: string) => {
    if (prev) edges.push(port ? { from: prev, to: id, port } : { from: prev, to: id });
  };
  for (let i = 0; nodes.length < size; i++) {
    const id = `n${i}`;
    if (i % 10 === 5 && prev) {
      nodes.push({
        id: `${id}_if`,
        type: 'if',
        input: { condition: `$<nodes.${prev}.output.v > ${i}>` },
      });
      link(`${id}_if`);
      nodes.push({
        id: `${id}_a`,
        type: 'transform',
        input: { v: `$<nodes.${prev}.output.v + 1>` },
      });
      nodes.push({
        id: `${id}_b`,
        type: 'transform',
        input: { v: `$<nodes.${prev}.output.v - 1>` },
      });
      nodes.push({
        id,
        type: 'transform',
        input: { v: `$<nodes.${id}_a.output.v ?? nodes.${id}_b.output.v>` },
      });
      edges.push(
        { from: `${id}_if`, to: `${id}_a`, port: 'true' },
        { from: `${id}_if`, to: `${id}_b`, port: 'false' },
      );
      edges.push({ from: `${id}_a`, to: id }, { from: `${id}_b`, to: id });
      prev = id;
      continue;
    }
    if (i % 100 === 50) {
      nodes.push({
        id,
        type: 'forEach',
        input: { items: '$<flow.input.items>' },
        nodes: [
          {
            id: `${id}_body`,
            type: 'transform',
            input: { v: '$<item.v * 2>', at: 'item $<index>' },
          },
        ],
      });
    } else {
      const from = prev ? `$<nodes.${prev}.output.v + 1>` : '$<flow.input.start>';
      nodes.push({
        id,
        type: 'transform',
        input: {
          v: from,
          label: 'step $<flow.input.name> ' + i,
          list: '$<flow.input.items.map(x => x.v)>',
        },
      });
    }
    link(id);
    prev = id;
  }
  return { format: 'millrace.flow/v1', id: 'generated', nodes: nodes as never, edges };
}

export async function runValidateBenchmarks(): Promise<void> {
  const flow = generateFlow(1000);
  const problems = validateFlow(flow);
  if (problems.length > 0) throw new Error(`generated flow is invalid: ${problems[0]!.message}`);
  report(
    measure(
      `validateFlow, ${flow.nodes.length}-node generated flow`,
      1,
      () => validateFlow(flow),
      15,
    ),
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runValidateBenchmarks();
}
