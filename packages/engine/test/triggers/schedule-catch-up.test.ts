import { test } from 'node:test';
import assert from 'node:assert/strict';
import { catchUpFire, type ScheduleTrigger } from '@millrace/engine';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 1);
const hourly = (catchUp?: 'skip' | 'runOnce'): ScheduleTrigger => ({
  id: 't',
  kind: 'schedule',
  cron: '0 * * * *',
  ...(catchUp ? { catchUp } : {}),
});

test('runOnce catches up on the latest missed fire', () => {
  assert.equal(catchUpFire(hourly('runOnce'), T0, T0 + 3.5 * HOUR), T0 + 3 * HOUR);
  assert.equal(catchUpFire(hourly('runOnce'), T0, T0 + HOUR), T0 + HOUR); // a fire at exactly now
});

test('nothing to catch up: no missed fire, skip, or no record', () => {
  assert.equal(catchUpFire(hourly('runOnce'), T0, T0 + 0.5 * HOUR), undefined);
  assert.equal(catchUpFire(hourly('skip'), T0, T0 + 5 * HOUR), undefined);
  assert.equal(catchUpFire(hourly(), T0, T0 + 5 * HOUR), undefined);
  assert.equal(catchUpFire(hourly('runOnce'), undefined, T0 + 5 * HOUR), undefined);
  assert.equal(catchUpFire(hourly('runOnce'), T0 + 5 * HOUR, T0 + 5 * HOUR), undefined);
});
