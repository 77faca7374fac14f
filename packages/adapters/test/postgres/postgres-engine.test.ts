import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  SimulatedClock,
  createEngine,
  sequentialIds,
  type ActionDefinition,
  type FlowDefinition,
} from '@millrace/engine';
import { openPostgresStore } from '@millrace/adapters/postgres';

const flow: FlowDefinition = {
  format: 'millrace.flow/v1',
  id: 'pay',
  nodes: [
    { id: 'charge', type: 'charge', input: { amount: 30 } },
    { id: 'ship', type: 'ship', input: { paid: '$<nodes.charge.output.paid>' } },
  ],
  edges: [{ from: 'charge', to: 'ship' }],
};

function actions(calls: string[], ship: () => Promise<unknown>): ActionDefinition[] {
  return [
    {
      type: 'charge',
      title: 'Charge',
      run: (input) => {
        calls.push('charge');
        return { paid: (input as { amount: number }).amount };
      },
    },
    {
      type: 'ship',
      title: 'Ship',
      run: (input) => {
        calls.push('ship');
        return ship().then(() => ({ shipped: (input as { paid: number }).paid }));
      },
    },
  ];
}

test('PGlite: the store is closed mid-run (a crash), reopened, and a new engine finishes the run at once, without charging twice', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'millrace-crash-'));
  const clock = new SimulatedClock();
  const first = await openPostgresStore({ dataDir });
  const calls1: string[] = [];
  let entered!: () => void;
  const shipping = new Promise<void>((resolve) => (entered = resolve));
  // `ship` never finishes in the first process: it dies while shipping.
  const a = createEngine({
    store: first,
    clock,
    ids: sequentialIds(1),
    actions: actions(calls1, () => {
      entered();
      return new Promise(() => undefined);
    }),
  });
  await a.deploy(flow);
  const run = await a.start('pay');
  await shipping;
  await first.close();
  assert.deepEqual(calls1, ['charge', 'ship']);

  const second = await openPostgresStore({ dataDir });
  try {
    const calls2: string[] = [];
    const b = createEngine({
      store: second,
      clock,
      ids: sequentialIds(2),
      actions: actions(calls2, () => Promise.resolve()),
    });
    // PGlite's leases live in the process that holds the data directory's lock: the directory
    // could be opened again only because the first store let go of it, so nobody else can be
    // running the run, and there is no lease to wait out (on a server, where other processes
    // may be alive, a dead engine's lease row stays until it lapses).
    assert.deepEqual(await b.recover(), [run.id]);
    assert.deepEqual(await (await b.handle(run.id)).result(), { shipped: 30 });
    // The recorded charge is not repeated; the ship in flight at the crash runs again.
    assert.deepEqual(calls2, ['ship']);
    const log = await second.readEvents(run.id);
    assert.deepEqual(
      log.map((e) => e.seq),
      log.map((_, i) => i + 1),
      'a dense log',
    );
    assert.equal(
      log.filter((e) => e.type === 'NodeSucceeded' && (e as { path: string }).path === 'charge')
        .length,
      1,
    );
    await b.close();
  } finally {
    await second.close();
  }
});
