import { templateReferences } from '@millrace/engine/model';

/**
 * Rewrites `$<nodes.old...>` references to `$<nodes.new...>` inside any JSON value (a node's
 * input, its settings, a whole pasted node). Used when pasted nodes get fresh ids and when a
 * node's id changes. Only references found by the engine's own parser are touched, so text
 * that merely looks like `nodes.old` outside an expression stays as it is.
 */

const ACCESS = /^nodes(\s*\.\s*|\s*\[\s*(['"]))/;

/** The template with every `nodes.<old>` reference renamed by `ids`; the same string when none. */
export function rewriteTemplate(source: string, ids: ReadonlyMap<string, string>): string {
  if (!source.includes('$<')) return source;
  const { references } = templateReferences(source);
  const edits: { start: number; end: number; text: string }[] = [];
  for (const ref of references) {
    if (ref.root !== 'nodes') continue;
    const old = ref.path[0];
    if (typeof old !== 'string') continue;
    const renamed = ids.get(old);
    if (renamed === undefined || renamed === old) continue;
    const text = source.slice(ref.start, ref.end);
    const access = ACCESS.exec(text);
    if (!access) continue;
    const start = ref.start + access[0].length;
    if (source.slice(start, start + old.length) !== old) continue;
    const quoted = access[2] !== undefined;
    // A renamed id that is not an identifier name needs the bracket form.
    const plain = /^[A-Za-z_$][\w$]*$/.test(renamed);
    if (quoted || plain) edits.push({ start, end: start + old.length, text: renamed });
    else {
      const dot = ref.start + text.indexOf('.');
      edits.push({ start: dot, end: start + old.length, text: `[${JSON.stringify(renamed)}]` });
    }
  }
  let out = source;
  for (const e of edits.sort((a, b) => b.start - a.start)) {
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
  }
  return out;
}

/** `value` with every string rewritten by `rewriteTemplate` (new objects only where changed). */
export function rewriteReferences<T>(value: T, ids: ReadonlyMap<string, string>): T {
  if (typeof value === 'string') return rewriteTemplate(value, ids) as T;
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((v: unknown) => {
      const r = rewriteReferences(v, ids);
      if (r !== v) changed = true;
      return r;
    });
    return (changed ? out : value) as T;
  }
  if (typeof value === 'object' && value !== null) {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const r = rewriteReferences(v, ids);
      if (r !== v) changed = true;
      out[k] = r;
    }
    return (changed ? out : value) as T;
  }
  return value;
}
