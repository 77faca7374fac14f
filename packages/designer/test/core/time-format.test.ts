import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatClockIntl, formatDurationIntl, formatTickIntl } from '../../src/core/time-format.ts';

test('durations take their largest sensible unit', () => {
  assert.equal(formatDurationIntl(850, 'en'), '850ms');
  assert.equal(formatDurationIntl(1_234, 'en'), '1.2s');
  assert.equal(formatDurationIntl(42_000, 'en'), '42s');
  assert.equal(formatDurationIntl(90_000, 'en'), '1.5m');
  assert.equal(formatDurationIntl(2 * 3_600_000, 'en'), '2h');
  assert.equal(formatDurationIntl(3 * 86_400_000, 'en'), '3d');
});

test('durations follow the locale', () => {
  // The unit's spelling varies with the ICU version; the decimal comma does not.
  assert.match(formatDurationIntl(1_500, 'de'), /^1,5\s?\S+$/);
  assert.match(formatDurationIntl(1_000, 'de'), /^1\s?\S+$/);
  assert.match(formatDurationIntl(1_000, 'ar-EG'), /^١/);
});

test('the ticks of one axis share the unit of the tick distance', () => {
  assert.deepEqual(
    [0, 500, 1000].map((t) => formatTickIntl(t, 500, 'en')),
    ['0ms', '500ms', '1,000ms'],
  );
  assert.deepEqual(
    [0, 15_000, 30_000].map((t) => formatTickIntl(t, 15_000, 'en')),
    ['0s', '15s', '30s'],
  );
  assert.deepEqual(
    [0, 300_000].map((t) => formatTickIntl(t, 300_000, 'en')),
    ['0m', '5m'],
  );
});

test('the clock time of the run start is the locale time of day', () => {
  const at = Date.UTC(2026, 0, 1, 14, 3, 5);
  const expected = new Intl.DateTimeFormat('en-GB', { timeStyle: 'medium' }).format(at);
  assert.equal(formatClockIntl(at, 'en-GB'), expected);
  assert.match(formatClockIntl(at, 'en-GB'), /^\d\d:03:05$/);
});
