/**
 * Locale-aware time texts for the run timeline, through Intl (no hand-made unit strings, so a
 * German page reads `1,5 s` and an Arabic one its own digits). The designer's default strings
 * call these; hosts replace the strings, or just set `lang`, to change them.
 */

const formats = new Map<string, Intl.NumberFormat>();

function numberFormat(
  locale: string | undefined,
  unit: 'millisecond' | 'second' | 'minute' | 'hour' | 'day',
  fractionDigits: number,
): Intl.NumberFormat {
  const key = `${locale ?? ''}|${unit}|${fractionDigits}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, {
      style: 'unit',
      unit,
      unitDisplay: 'narrow',
      maximumFractionDigits: fractionDigits,
    });
    formats.set(key, format);
  }
  return format;
}

const SECOND = 1_000;
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** A duration in its largest sensible unit: `850ms`, `1.2s`, `3.5min`, `2h` (narrow, localised). */
export function formatDurationIntl(ms: number, locale?: string): string {
  const abs = Math.abs(ms);
  if (abs < SECOND) return numberFormat(locale, 'millisecond', 0).format(ms);
  if (abs < MINUTE)
    return numberFormat(locale, 'second', abs < 10 * SECOND ? 1 : 0).format(ms / SECOND);
  if (abs < HOUR) return numberFormat(locale, 'minute', 1).format(ms / MINUTE);
  if (abs < DAY) return numberFormat(locale, 'hour', 1).format(ms / HOUR);
  return numberFormat(locale, 'day', 1).format(ms / DAY);
}

/**
 * An axis tick: its offset from the run's start in the unit of the tick distance, so that all
 * labels of one axis share a unit (`0s 0.5s 1s 1.5s`, never `500ms 1s`).
 */
export function formatTickIntl(offsetMs: number, stepMs: number, locale?: string): string {
  const [unit, size] =
    stepMs < SECOND
      ? (['millisecond', 1] as const)
      : stepMs < MINUTE
        ? (['second', SECOND] as const)
        : stepMs < HOUR
          ? (['minute', MINUTE] as const)
          : stepMs < DAY
            ? (['hour', HOUR] as const)
            : (['day', DAY] as const);
  // Enough digits for the step (a 500 ms step in seconds needs one).
  const digits = stepMs % size === 0 ? 0 : Math.ceil(-Math.log10((stepMs % size) / size));
  return numberFormat(locale, unit, Math.min(3, Math.max(0, digits))).format(offsetMs / size);
}

/** A clock time (the run's start): `14:03:05` or `2:03:05 PM`, by locale. */
export function formatClockIntl(at: number, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { timeStyle: 'medium' }).format(at);
}
