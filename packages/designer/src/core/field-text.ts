import type { FormField } from './schema-form.ts';

/**
 * Text <-> value for the form's text controls: what a number box, a JSON text area or an
 * expression field's text means for the field, and the text a value shows as.
 */

/** The result of reading a field's text. */
export type TextValue =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: 'number' | 'json' };

/** The text an input shows for a value (strings as they are, the rest as JSON). */
export function textOf(value: unknown, pretty = false): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value, null, pretty ? 2 : undefined) ?? '';
}

/** A number input's text: '' removes the value; anything else must be a (whole) number. */
export function parseNumberText(text: string, integer: boolean): TextValue {
  const t = text.trim();
  if (t === '') return { ok: true, value: undefined };
  const n = Number(t);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n)))
    return { ok: false, error: 'number' };
  return { ok: true, value: n };
}

/** A JSON textarea's text: '' removes the value; else it must parse. */
export function parseJsonText(text: string): TextValue {
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, error: 'json' };
  }
}

/**
 * What an expression field's text means for a field of `kind`: text holding `$<` is the
 * expression string; otherwise it is read as the kind's literal where it is one (`42` for a
 * number, `true` for a boolean, JSON for `json`), else kept as a string. Empty text removes an
 * optional value (a required string becomes '').
 */
export function expressionTextValue(
  field: Pick<FormField, 'kind' | 'required'>,
  text: string,
): unknown {
  if (text === '') return field.kind === 'string' && field.required ? '' : undefined;
  if (text.includes('$<') || field.kind === 'string') return text;
  switch (field.kind) {
    case 'number':
    case 'integer': {
      const parsed = parseNumberText(text, field.kind === 'integer');
      return parsed.ok ? parsed.value : text;
    }
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : text;
    default: {
      const parsed = parseJsonText(text);
      return parsed.ok ? parsed.value : text;
    }
  }
}
