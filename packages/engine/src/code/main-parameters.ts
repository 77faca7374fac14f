/**
 * The parameter names of a function, read from its source text (what QuickJS's
 * `Function.prototype.toString` returns for `main`), so Windmill's `main(a, b)` can receive
 * `input.a` and `input.b`. A tokenizer, never an evaluation: parameters are split at top-level
 * commas, skipping strings, template literals, comments and bracketed defaults. A destructured
 * parameter has no name to bind: it gets `''` (and receives `undefined`).
 *
 * @example
 * mainParameters('function main(a, b = { x: 1, y: [2, 3] }, ...rest) {}') // ['a', 'b', 'rest']
 */
export function mainParameters(source: string): string[] {
  const open = source.indexOf('(');
  if (open < 0) {
    // `async x => ...` / `x => ...`: a single unparenthesised parameter.
    const m = /^\s*(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>/.exec(source);
    return m?.[1] ? [m[1]] : [];
  }
  const params: string[] = [];
  let depth = 0;
  let current = '';
  for (let i = open + 1; i < source.length; i++) {
    const c = source[i]!;
    if (c === '"' || c === "'" || c === '`') {
      for (i++; i < source.length && source[i] !== c; i++) if (source[i] === '\\') i++;
      current += '""';
      continue;
    }
    if (c === '/' && source[i + 1] === '/') {
      while (i < source.length && source[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && source[i + 1] === '*') {
      const end = source.indexOf('*/', i + 2);
      if (end < 0) break;
      i = end + 1;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    else if (c === ')') {
      if (depth === 0) {
        params.push(current);
        break;
      }
      depth--;
    } else if (c === ',' && depth === 0) {
      params.push(current);
      current = '';
      continue;
    }
    current += c;
  }
  const names = params.map((p) => {
    const head = p.trim().replace(/^\.\.\./, '');
    const m = /^([A-Za-z_$][\w$]*)\s*(?:=|$)/.exec(head);
    return m?.[1] ?? '';
  });
  // `main()` and a trailing comma leave one empty entry at the end.
  if (names.length > 0 && params[params.length - 1]!.trim() === '') names.pop();
  return names;
}
