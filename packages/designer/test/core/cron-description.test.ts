import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeCron } from '../../src/core/cron-description.ts';

const cases: readonly (readonly [string, string | undefined])[] = [
  ['0 2 * * *', 'At 02:00, every day'],
  ['0 9,17 * * *', 'At 09:00 and 17:00, every day'],
  ['0 9 * * 1-5', 'At 09:00, Monday through Friday'],
  ['30 8 * * MON,WED', 'At 08:30, on Monday and Wednesday'],
  ['5 4 * * 7', 'At 04:05, on Sunday'],
  ['0 0 1 * *', 'At 00:00, on day 1 of the month'],
  ['0 0 1,15 * *', 'At 00:00, on days 1 and 15 of the month'],
  ['0 0 */2 * *', 'At 00:00, every 2nd day of the month'],
  ['0 0 1 * 1', 'At 00:00, on day 1 of the month and on Monday'],
  ['0 12 * JAN-MAR *', 'At 12:00, every day, in January through March'],
  ['* * * * *', 'Every minute'],
  ['*/15 * * * *', 'Every 15 minutes'],
  ['*/5 9-17 * * 1-5', 'Every 5 minutes, between 09:00 and 17:59, Monday through Friday'],
  ['0 */2 * * *', 'Every 2 hours'],
  ['15 * * * *', 'Every hour, at 15 minutes past'],
  ['0 30 2 * * *', 'At 02:30, every day'],
  ['15 30 2 * * *', 'At 02:30:15, every day'],
  ['*/10 * * * * *', 'Every 10 seconds'],
];

for (const [cron, words] of cases) {
  test(`describes "${cron}" as "${words}"`, () => {
    assert.equal(describeCron(cron), words);
  });
}

test('describes the nicknames', () => {
  assert.equal(describeCron('@daily'), 'At 00:00, every day');
  assert.equal(describeCron('@midnight'), 'At 00:00, every day');
  assert.equal(describeCron('@hourly'), 'Every hour');
  assert.equal(describeCron('@weekly'), 'At 00:00, on Sunday');
  assert.equal(describeCron('@monthly'), 'At 00:00, on day 1 of the month');
  assert.equal(describeCron(' @YEARLY '), 'At 00:00, on day 1 of the month, in January');
});

test('gives no description for what it does not understand or is invalid', () => {
  for (const cron of [
    '',
    'bad',
    '0 0 L * *',
    '0 0 1#2 * *',
    '0 0 32 * *',
    '5-1 * * * *',
    '* * * *',
    '*/0 * * * *',
  ]) {
    assert.equal(describeCron(cron), undefined, cron);
  }
});
