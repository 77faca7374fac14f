import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { validateFlow } from '@millrace/engine';
import { WARM_UP_SIZES, warmUpFlow } from '../../src/core/layout-warm-up.ts';
import { prepareLayout } from '../../src/core/layout-flow.ts';

/** Every node of a flow, nested ones too. */
function allNodes(flow: unknown): { id: string; type: string }[] {
  const out: { id: string; type: string }[] = [];
  const walk = (nodes: unknown): void => {
    for (const n of (nodes ?? []) as Record<string, unknown>[]) {
      out.push({ id: n['id'] as string, type: n['type'] as string });
      walk(n['nodes']);
      walk((n['catch'] as { nodes?: unknown } | undefined)?.nodes);
    }
  };
  walk((flow as { nodes: unknown }).nodes);
  return out;
}

describe('layout warm-up flows', () => {
  it('grow with the requested size and reach it', () => {
    for (const size of WARM_UP_SIZES) {
      const count = allNodes(warmUpFlow(size)).length;
      assert.ok(count >= size && count < size + 8, `${size}: ${count}`);
    }
  });

  it('contain every structure ELK meets in flows: branches, switch, loops, try regions', () => {
    const types = new Set(allNodes(warmUpFlow(80)).map((n) => n.type));
    for (const t of ['if', 'switch', 'forEach', 'try', 'transform', 'http', 'log']) {
      assert.ok(types.has(t), t);
    }
    const { graph } = prepareLayout(warmUpFlow(80));
    assert.ok([...graph.nodes.values()].some((n) => n.kind === 'region'));
    assert.ok(graph.edges.some((e) => e.label !== undefined));
  });

  it('are well-formed flows (no structural errors, unique ids)', () => {
    const flow = warmUpFlow(120);
    const ids = allNodes(flow).map((n) => n.id);
    assert.equal(new Set(ids).size, ids.length);
    const structural = validateFlow(flow).filter(
      (d) => d.severity === 'error' && d.code !== 'E_MISSING_INPUT',
    );
    assert.deepEqual(structural, []);
  });
});
