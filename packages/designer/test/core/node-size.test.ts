import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FlowNode } from '@millrace/engine';
import {
  ACTION_CARD_HEIGHT,
  CARD_PADDING_X,
  CARD_PADDING_Y,
  CARD_WIDTH,
  CONTAINER_BOX_PADDING,
  CONTAINER_HEADER_HEIGHT,
  CONTAINER_MIN_CONTENT_WIDTH,
  EDGE_LABEL_HEIGHT,
  EDGE_LABEL_MAX_WIDTH,
  LINE_GAP,
  PORT_SLOT_WIDTH,
  REGION_BOX_PADDING,
  TEXT_LINE_HEIGHT,
  TITLE_LINE_HEIGHT,
  TRIGGER_CARD_HEIGHT,
  cardKindOf,
  cardSize,
  cardWidth,
  edgeLabelSize,
  minimumBoxSize,
  nodeGeometry,
  portOffsets,
  triggerGeometry,
} from '../../src/core/node-size.ts';

const node = (n: Record<string, unknown>): FlowNode => n as unknown as FlowNode;

test('an action card is the sum of its rows: padding, title, type line, summary line', () => {
  assert.equal(
    ACTION_CARD_HEIGHT,
    CARD_PADDING_Y +
      TITLE_LINE_HEIGHT +
      LINE_GAP +
      TEXT_LINE_HEIGHT +
      LINE_GAP +
      TEXT_LINE_HEIGHT +
      CARD_PADDING_Y,
  );
  assert.deepEqual(nodeGeometry(node({ id: 'a', type: 'http' })), {
    kind: 'action',
    size: { width: CARD_WIDTH, height: ACTION_CARD_HEIGHT },
    ports: ['out'],
  });
});

test('a trigger card has a title row and one line', () => {
  assert.equal(
    TRIGGER_CARD_HEIGHT,
    2 * CARD_PADDING_Y + TITLE_LINE_HEIGHT + LINE_GAP + TEXT_LINE_HEIGHT,
  );
  assert.deepEqual(triggerGeometry(), {
    kind: 'trigger',
    size: { width: CARD_WIDTH, height: TRIGGER_CARD_HEIGHT },
    ports: ['out'],
  });
});

test('an if card keeps the standard width: its two port slots fit', () => {
  const g = nodeGeometry(node({ id: 'c', type: 'if', input: { condition: true } }));
  assert.equal(g.kind, 'branch');
  assert.deepEqual(g.ports, ['true', 'false']);
  assert.deepEqual(g.size, { width: CARD_WIDTH, height: ACTION_CARD_HEIGHT });
});

test('a switch card widens so that every port has its slot', () => {
  const cases = ['a', 'b', 'c', 'd', 'e'].map((port) => ({ port, when: 'true' }));
  const g = nodeGeometry(node({ id: 's', type: 'switch', cases }));
  assert.deepEqual(g.ports, ['a', 'b', 'c', 'd', 'e', 'default']);
  assert.equal(g.size.width, 6 * PORT_SLOT_WIDTH + 2 * CARD_PADDING_X);
  assert.equal(cardWidth(1), CARD_WIDTH);
});

test('actions with named ports are branch cards; the catalog supplies host ports', () => {
  assert.equal(
    nodeGeometry(node({ id: 'a', type: 'approval' }), {
      type: 'approval',
      title: 'Approval',
      ports: ['approved', 'rejected', 'timeout'],
    }).kind,
    'branch',
  );
  const host = nodeGeometry(node({ id: 'h', type: 'crm.lookup' }), {
    type: 'crm.lookup',
    title: 'Lookup',
    ports: ['found', 'missing'],
  });
  assert.equal(host.kind, 'branch');
  assert.deepEqual(host.ports, ['found', 'missing']);
});

test('containers are sized by ELK from a minimum; collapsed ones are cards', () => {
  const each = node({ id: 'e', type: 'forEach', input: { items: [] }, nodes: [] });
  assert.equal(nodeGeometry(each).kind, 'container');
  assert.deepEqual(nodeGeometry(each).size, minimumBoxSize(CONTAINER_BOX_PADDING));
  assert.equal(CONTAINER_BOX_PADDING.top, CONTAINER_HEADER_HEIGHT + CONTAINER_BOX_PADDING.left);
  assert.equal(
    minimumBoxSize(CONTAINER_BOX_PADDING).width,
    CONTAINER_MIN_CONTENT_WIDTH + 2 * CONTAINER_BOX_PADDING.left,
  );
  const collapsed = node({ id: 'g', type: 'group', nodes: [], ui: { collapsed: true } });
  assert.deepEqual(nodeGeometry(collapsed), {
    kind: 'collapsed',
    size: { width: CARD_WIDTH, height: ACTION_CARD_HEIGHT },
    ports: ['out'],
  });
  assert.deepEqual(cardSize('region'), minimumBoxSize(REGION_BOX_PADDING));
});

test('names, descriptions and inputs do not change a card', () => {
  const a = nodeGeometry(node({ id: 'a', type: 'http', name: 'x', input: { url: 'a' } }));
  const b = nodeGeometry(
    node({
      id: 'a',
      type: 'http',
      name: 'A much longer name than fits',
      description: 'd',
      input: { url: 'https://a.very.long/url/that/would/never/fit' },
    }),
  );
  assert.deepEqual(a, b);
});

test('output ports sit at the centres of equal slots, in order', () => {
  assert.deepEqual(portOffsets(220, 1), [110]);
  assert.deepEqual(portOffsets(220, 2), [55, 165]);
  const many = portOffsets(600, 6);
  assert.deepEqual(many, [50, 150, 250, 350, 450, 550]);
});

test('edge labels are one line, clipped to a maximum width', () => {
  assert.equal(edgeLabelSize('true').height, EDGE_LABEL_HEIGHT);
  assert.ok(edgeLabelSize('true').width < edgeLabelSize('false').width);
  assert.equal(edgeLabelSize('x'.repeat(100)).width, EDGE_LABEL_MAX_WIDTH);
  assert.ok(EDGE_LABEL_MAX_WIDTH < PORT_SLOT_WIDTH, 'labels of neighbouring ports cannot overlap');
});

test('card kinds follow the node type and ports', () => {
  assert.equal(cardKindOf(node({ id: 'a', type: 'if' }), ['true', 'false']), 'branch');
  assert.equal(cardKindOf(node({ id: 'a', type: 'log' }), ['out']), 'action');
  assert.equal(cardKindOf(node({ id: 'a', type: 'waitForEvent' }), ['out', 'timeout']), 'branch');
  assert.equal(cardKindOf(node({ id: 'a', type: 'try', nodes: [] }), ['out']), 'container');
});
