import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  IdRegistry,
  openFlowPathToFlowId,
  sanitizeId,
  slugify,
} from '../../../src/import/openflow/ids.ts';
import { allNodes, codes, importModules, js, nodeOf, script, tpl } from './helpers.ts';

describe('ids', () => {
  test('sanitizeId replaces characters ids may not use', () => {
    assert.equal(sanitizeId('send email!'), 'send_email_');
    assert.equal(sanitizeId('a.b-c_9'), 'a.b-c_9');
    assert.equal(sanitizeId(''), 'step');
    assert.equal(sanitizeId('é'), '_');
  });

  test('openFlowPathToFlowId maps Windmill paths to flow ids', () => {
    assert.equal(openFlowPathToFlowId('f/billing/send_invoice'), 'f.billing.send_invoice');
    assert.equal(openFlowPathToFlowId('u/dana/my flow'), 'u.dana.my_flow');
    assert.equal(openFlowPathToFlowId('/'), 'flow');
  });

  test('slugify makes flow ids from summaries', () => {
    assert.equal(slugify('Daily Report: Sales!'), 'daily-report-sales');
    assert.equal(slugify('Éléphant'), 'elephant');
    assert.equal(slugify('!!!'), '');
  });

  test('derived ids are <owner>__<role> and unique', () => {
    const ids = new IdRegistry();
    ids.claimGiven('/a', 'a__stop');
    assert.equal(ids.derived('a', 'stop'), 'a__stop_2');
    assert.equal(ids.derived('a', 'stop'), 'a__stop_3');
  });
});

describe('ids of imported steps', () => {
  test('missing ids are generated from the position', () => {
    const { flow } = importModules([
      script(undefined),
      {
        value: {
          type: 'branchone',
          branches: [{ expr: 'true', modules: [script(undefined)] }],
          default: [script(undefined)],
        },
      },
      {
        value: {
          type: 'forloopflow',
          iterator: js('[1]'),
          skip_failures: false,
          modules: [script(undefined)],
        },
      },
    ]);
    const ids = [...allNodes(flow).keys()];
    for (const id of ['m0', 'm1', 'm1_b0_0', 'm1_default_0', 'm2', 'm2_0'])
      assert.ok(ids.includes(id), `${id} in ${ids.join(', ')}`);
  });

  test('generated ids never take an id the document uses, even a later one', () => {
    const { flow } = importModules([script(undefined), script('m0')]);
    assert.deepEqual(
      flow.nodes.map((n) => n.id),
      ['m0_2', 'm0'],
    );
  });

  test('the same document always gets the same ids', () => {
    const modules = [
      script(undefined),
      { value: { type: 'identity' } },
      script('x', { a: js('results.m1') }),
    ];
    assert.deepEqual(importModules(modules).flow, importModules(modules).flow);
  });

  test('invalid ids are sanitized and references to them rewritten', () => {
    const { flow, diagnostics } = importModules([
      script('fetch data'),
      script('b', { x: js('results["fetch data"].rows') }),
    ]);
    assert.equal(flow.nodes[0]?.id, 'fetch_data');
    assert.equal(nodeOf(flow, 'b').input?.['x'], tpl('nodes.fetch_data.output.rows'));
    assert.deepEqual(codes(diagnostics), ['W_IMPORT_LOSSY']);
    assert.equal(diagnostics[0]?.path, '/value/modules/0/id');
  });

  test('duplicate ids get a suffix and a diagnostic', () => {
    const { flow, diagnostics } = importModules([script('a'), script('a')]);
    assert.deepEqual(
      flow.nodes.map((n) => n.id),
      ['a', 'a_2'],
    );
    assert.equal(diagnostics[0]?.path, '/value/modules/1/id');
  });
});
