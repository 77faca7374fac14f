/**
 * The names an expression can start from (DESIGN §3). A scope passed to `evaluate` is a plain
 * object with some of these as own properties; which ones exist depends on where the
 * expression sits (`item` only in loop bodies, `error` only in catch regions...).
 */
export const ROOTS = [
  'flow',
  'nodes',
  'vars',
  'item',
  'index',
  'error',
  'trigger',
  'event',
  'secrets',
] as const;

export type RootName = (typeof ROOTS)[number];

const ROOT_SET: ReadonlySet<string> = new Set(ROOTS);

export function isRoot(name: string): name is RootName {
  return ROOT_SET.has(name);
}

/** What each root holds, shown in completions and in "not available here" errors. */
export const ROOT_DESCRIPTIONS: Readonly<Record<RootName, string>> = {
  flow: 'The run: input, id, runId, startedAt',
  nodes: 'Outputs of nodes that ran before: nodes.<id>.output, status, error, attempts',
  vars: 'Flow variables',
  item: 'The current item (inside a forEach body)',
  index: 'The current iteration index (inside a forEach or while body)',
  error: 'The error being handled (in a catch region, onFailure and retry.retryOn)',
  trigger: 'The trigger that started the run',
  event: 'The event that started the run (event triggers)',
  secrets: 'Secrets by name, resolved at use and redacted from records',
};

/** Fields every entry of `nodes` has. */
export const NODE_FIELDS: Readonly<Record<string, string>> = {
  output: "The node's output",
  status: "The node's status (succeeded, failed, skipped...)",
  error: 'The error, when the node failed',
  attempts: 'How many attempts the node took',
};

/** Fields of the `flow` root. */
export const FLOW_FIELDS: Readonly<Record<string, string>> = {
  input: 'The flow input',
  id: 'The flow id',
  runId: 'The id of this run',
  startedAt: 'When the run started',
};

export function missingRootMessage(name: RootName): string {
  switch (name) {
    case 'item':
      return "'item' is not available here: it exists only inside a forEach body";
    case 'index':
      return "'index' is not available here: it exists only inside a forEach or while body";
    case 'error':
      return "'error' is not available here: it exists only in a catch region, onFailure and retry.retryOn";
    case 'event':
      return "'event' is not available here: the run was not started by an event";
    default:
      return `'${name}' is not available in this scope`;
  }
}

/** Levenshtein distance, for "did you mean" suggestions on short names. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] as number;
      row[j] = Math.min(
        (row[j] as number) + 1,
        (row[j - 1] as number) + 1,
        prev + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      prev = tmp;
    }
  }
  return row[b.length] as number;
}

/** The closest candidate within two edits (case-insensitive), for error messages. */
export function suggest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}
