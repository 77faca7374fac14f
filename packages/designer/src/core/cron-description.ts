/**
 * A cron string in plain English (`0 2 * * *` → "At 02:00, every day"), shown under a schedule
 * trigger's cron field. It only describes: whether a cron is valid is the engine's call
 * (`validateFlow` parses it with croner and reports `E_CRON_INVALID`), and a string this does
 * not understand (croner extensions such as `L` or `#`) gets no description rather than a
 * wrong one. Hosts that need another language replace the panel's `cronDescription` string.
 */

const NICKNAMES: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const MONTH_NAMES = MONTHS.map((m) => m.slice(0, 3).toUpperCase());

/** One comma-separated part of a field: `5`, `1-5`, `*\/15`, `10-40/10`. */
interface Part {
  readonly from: number;
  readonly to: number;
  readonly step: number;
  /** Written as `*` (every value of the field). */
  readonly any: boolean;
}

type Field = readonly Part[];

interface Range {
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  /** First value the names start at (months: 1). */
  readonly nameBase?: number;
}

const SECOND: Range = { min: 0, max: 59 };
const MINUTE: Range = { min: 0, max: 59 };
const HOUR: Range = { min: 0, max: 23 };
const DOM: Range = { min: 1, max: 31 };
const MONTH: Range = { min: 1, max: 12, names: MONTH_NAMES, nameBase: 1 };
const DOW: Range = { min: 0, max: 7, names: DAY_NAMES, nameBase: 0 };

/**
 * Describes a five- or six-field cron string (seconds first) or a nickname (`@daily`).
 *
 * @example
 * describeCron('0 9 * * 1-5') // → 'At 09:00, Monday through Friday'
 */
export function describeCron(cron: string): string | undefined {
  const text = cron.trim().toLowerCase();
  const expanded = NICKNAMES[text] ?? cron.trim();
  const raw = expanded.split(/\s+/);
  if (raw.length !== 5 && raw.length !== 6) return undefined;
  const withSeconds = raw.length === 6 ? raw : ['0', ...raw];
  const ranges = [SECOND, MINUTE, HOUR, DOM, MONTH, DOW];
  const fields: Field[] = [];
  for (let i = 0; i < 6; i++) {
    const field = parseField(withSeconds[i]!, ranges[i]!);
    if (field === undefined) return undefined;
    fields.push(field);
  }
  const [sec, min, hour, dom, month, dow] = fields as [Field, Field, Field, Field, Field, Field];
  const time = timePhrase(sec, min, hour);
  if (time === undefined) return undefined;
  const days = dayPhrase(dom, dow, time.atTimeOfDay);
  const months = isAny(month) ? '' : `, in ${listOf(month, (n) => MONTHS[n - 1]!, 'through')}`;
  return time.text + days + months;
}

function parseField(text: string, range: Range): Field | undefined {
  const parts: Part[] = [];
  for (const item of text.toUpperCase().split(',')) {
    const [base, stepText, ...more] = item.split('/');
    if (base === undefined || more.length > 0) return undefined;
    const step = stepText === undefined ? 1 : intOf(stepText);
    if (step === undefined || step < 1) return undefined;
    let from: number | undefined;
    let to: number | undefined;
    const any = base === '*' || base === '?';
    if (any) {
      from = range.min;
      to = range.max;
    } else {
      const [a, b, ...rest] = base.split('-');
      if (rest.length > 0 || a === undefined) return undefined;
      from = valueOf(a, range);
      to = b === undefined ? (stepText === undefined ? from : range.max) : valueOf(b, range);
    }
    if (from === undefined || to === undefined || from > to) return undefined;
    if (from < range.min || to > range.max) return undefined;
    parts.push({ from, to, step, any });
  }
  // Day 7 is Sunday too.
  if (range === DOW) {
    return parts.map((p) => (p.from === 7 && p.to === 7 ? { ...p, from: 0, to: 0 } : p));
  }
  return parts;
}

function valueOf(text: string, range: Range): number | undefined {
  const n = intOf(text);
  if (n !== undefined) return n;
  const index = range.names?.indexOf(text) ?? -1;
  return index === -1 ? undefined : index + (range.nameBase ?? 0);
}

function intOf(text: string): number | undefined {
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

// ---------------------------------------------------------------------------------------------

const isAny = (f: Field): boolean => f.length === 1 && f[0]!.any && f[0]!.step === 1;
const isEvery = (f: Field): number | undefined =>
  f.length === 1 && f[0]!.any ? f[0]!.step : undefined;
/** The single values of a field made only of single values. */
const singles = (f: Field): number[] | undefined =>
  f.every((p) => p.from === p.to && !p.any) ? f.map((p) => p.from) : undefined;

const pad = (n: number): string => String(n).padStart(2, '0');

function timePhrase(
  sec: Field,
  min: Field,
  hour: Field,
): { text: string; atTimeOfDay: boolean } | undefined {
  const secs = singles(sec);
  const mins = singles(min);
  const hours = singles(hour);
  const zeroSeconds = secs !== undefined && secs.length === 1 && secs[0] === 0;
  // Clock times: "At 09:00 and 17:30".
  if (secs?.length === 1 && mins !== undefined && hours !== undefined) {
    if (mins.length * hours.length <= 6) {
      const times = hours.flatMap((h) =>
        mins.map((m) => `${pad(h)}:${pad(m)}${zeroSeconds ? '' : `:${pad(secs[0]!)}`}`),
      );
      return { text: `At ${joinAnd(times)}`, atTimeOfDay: true };
    }
  }
  const everySecond = isEvery(sec);
  if (everySecond !== undefined && isAny(min) && isAny(hour)) {
    return {
      text: everySecond === 1 ? 'Every second' : `Every ${everySecond} seconds`,
      atTimeOfDay: false,
    };
  }
  if (!zeroSeconds) return undefined;
  const everyMinute = isEvery(min);
  let text: string | undefined;
  if (everyMinute !== undefined) {
    text = everyMinute === 1 ? 'Every minute' : `Every ${everyMinute} minutes`;
  } else if (mins?.length === 1) {
    const m = mins[0]!;
    const everyHour = isEvery(hour);
    if (everyHour !== undefined) {
      const hours = everyHour === 1 ? 'Every hour' : `Every ${everyHour} hours`;
      return { text: m === 0 ? hours : `${hours}, at ${m} minutes past`, atTimeOfDay: false };
    }
    text = `At ${m} minutes past the hour`;
  } else {
    text = `At minutes ${listOf(min, String, 'through')} past the hour`;
  }
  if (!isAny(hour)) {
    const h = hour.length === 1 && !hour[0]!.any && hour[0]!.step === 1 ? hour[0]! : undefined;
    text +=
      h !== undefined && h.from !== h.to
        ? `, between ${pad(h.from)}:00 and ${pad(h.to)}:59`
        : `, during hours ${listOf(hour, (n) => pad(n), 'through')}`;
  }
  return { text, atTimeOfDay: false };
}

function dayPhrase(dom: Field, dow: Field, atTimeOfDay: boolean): string {
  const anyDom = isAny(dom);
  const anyDow = isAny(dow);
  if (anyDom && anyDow) return atTimeOfDay ? ', every day' : '';
  // "Monday through Friday" reads alone; lists and single days take "on".
  const weekRange = dow.length === 1 && dow[0]!.step === 1 && dow[0]!.from !== dow[0]!.to;
  const weekdays = anyDow
    ? ''
    : `${weekRange ? '' : 'on '}${listOf(dow, (n) => DAYS[n % 7]!, 'through')}`;
  const domStep = isEvery(dom);
  const monthDays = anyDom
    ? ''
    : domStep !== undefined
      ? `every ${ordinal(domStep)} day of the month`
      : `on day${singles(dom)?.length === 1 ? '' : 's'} ${listOf(dom, String, 'to')} of the month`;
  // Like croner's default (and Vixie cron): both given means either matches.
  if (!anyDom && !anyDow) return `, ${monthDays} and ${weekRange ? 'on ' : ''}${weekdays}`;
  return anyDom ? `, ${weekdays}` : `, ${monthDays}`;
}

/** "1, 3 and 5", "Monday through Friday", "every 2nd from 1 to 31". */
function listOf(field: Field, name: (n: number) => string, through: string): string {
  return joinAnd(
    field.map((p) => {
      if (p.step > 1) {
        const every = `every ${ordinal(p.step)}`;
        return p.any ? every : `${every} from ${name(p.from)} ${through} ${name(p.to)}`;
      }
      return p.from === p.to ? name(p.from) : `${name(p.from)} ${through} ${name(p.to)}`;
    }),
  );
}

function ordinal(n: number): string {
  const suffix =
    n % 10 === 1 && n % 100 !== 11
      ? 'st'
      : n % 10 === 2 && n % 100 !== 12
        ? 'nd'
        : n % 10 === 3 && n % 100 !== 13
          ? 'rd'
          : 'th';
  return `${n}${suffix}`;
}

function joinAnd(items: readonly string[]): string {
  return items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
