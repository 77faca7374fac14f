/**
 * The flow definition format `millrace.flow/v1` (DESIGN.md §2): a DAG of nodes with explicit
 * edges, where containers (`forEach`, `while`, `try`, `group`) hold their own sub-graph.
 * `schema/flow.v1.json` is the same format as a JSON Schema; test/model/schema.test.ts keeps
 * the two in agreement.
 */

/** The current format tag. */
export const FLOW_FORMAT = 'millrace.flow/v1';
export type FlowFormat = typeof FLOW_FORMAT;

/** A JSON Schema document (draft 2020-12 or 7); kept opaque here. */
export type JsonSchema = { readonly [keyword: string]: unknown } | boolean;

/** Any JSON value. Strings anywhere inside a node's `input` may hold `$<...>` expressions. */
export type JsonValue =
  string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** A node's input mapping: parameter name to value (strings may hold expressions). */
export type InputMapping = { readonly [parameter: string]: JsonValue };

/** A string that is, or contains, `$<...>` expressions. */
export type Expression = string;

export interface FlowDefinition {
  readonly format: FlowFormat;
  /** Stable id, unique per host: letters, digits, `-`, `_`, `.`. */
  readonly id: string;
  readonly name?: string;
  readonly description?: string;
  /** Set by the store on deploy; a run is pinned to the version it started with. */
  readonly version?: number;
  /** JSON Schema of the flow input (`$<flow.input...>`). */
  readonly input?: JsonSchema;
  readonly triggers?: readonly Trigger[];
  readonly nodes: readonly FlowNode[];
  readonly edges?: readonly Edge[];
  /** The flow's output: an expression or a mapping; defaults to the single sink's output. */
  readonly output?: JsonValue;
  /** Runs when the run fails; sees `$<error>`. */
  readonly onFailure?: SubGraph;
  /** Initial values of `$<vars...>`. */
  readonly vars?: { readonly [name: string]: JsonValue };
  /** Whole-run time limit. */
  readonly timeoutMs?: number;
  /** Runs beyond this many at once queue in order. */
  readonly maxConcurrentRuns?: number;
  readonly tags?: readonly string[];
  readonly ui?: FlowUi;
}

/** A sub-graph: the body of a container, a `catch`/`finally` region or `onFailure`. */
export interface SubGraph {
  readonly nodes: readonly FlowNode[];
  readonly edges?: readonly Edge[];
  /** Output of the region, evaluated in its scope; defaults to its single sink's output. */
  readonly output?: JsonValue;
}

export interface Edge {
  readonly from: string;
  readonly to: string;
  /** The source's output port; required for branching nodes (`if`, `switch`, `approval`). */
  readonly port?: string;
  readonly label?: string;
}

// ---------------------------------------------------------------------------------------------
// Triggers

export interface TriggerBase {
  readonly id: string;
  readonly name?: string;
  readonly enabled?: boolean;
}

export interface ManualTrigger extends TriggerBase {
  readonly kind: 'manual';
}

export interface ScheduleTrigger extends TriggerBase {
  readonly kind: 'schedule';
  /** Five- or six-field cron expression (`0 2 * * *`), or a nickname such as `@daily`. */
  readonly cron: string;
  /** IANA time zone; UTC when absent. */
  readonly timezone?: string;
  /** Flow input for scheduled runs. */
  readonly input?: JsonValue;
  /**
   * Fires missed while no engine ran (found by `engine.recover()` from the stored last fire
   * time): `skip` (the default) starts none, `runOnce` starts one run for the latest of them.
   */
  readonly catchUp?: 'skip' | 'runOnce';
}

export interface WebhookTrigger extends TriggerBase {
  readonly kind: 'webhook';
  /** Path segment under the host's webhook prefix, unique per host. */
  readonly path: string;
  readonly method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Shared secret checked by the host (usually `$<secrets.NAME>`). */
  readonly secret?: string;
}

export interface EventTrigger extends TriggerBase {
  readonly kind: 'event';
  /** Event name passed to `engine.emit(name, payload)`. */
  readonly event: string;
  /** Expression over `$<event>`; the run starts only when it is true. */
  readonly filter?: Expression;
}

export type Trigger = ManualTrigger | ScheduleTrigger | WebhookTrigger | EventTrigger;
export type TriggerKind = Trigger['kind'];

// ---------------------------------------------------------------------------------------------
// Node options shared by every kind

export interface RetryPolicy {
  /** Total attempts including the first (>= 1). */
  readonly maxAttempts: number;
  readonly backoff?: 'fixed' | 'exponential';
  /** Delay before the second attempt (fixed: every attempt). */
  readonly delayMs?: number;
  /** Cap on exponential delays. */
  readonly maxDelayMs?: number;
  /** Exponential base; 2 when absent. */
  readonly multiplier?: number;
  /** Randomise each delay in [delay/2, delay]. */
  readonly jitter?: boolean;
  /** Retry only these error codes, or only when this expression over `$<error>` is true. */
  readonly retryOn?: readonly string[] | Expression;
}

export interface CacheSpec {
  /** Expression; nodes with the same evaluated key within the TTL reuse the output. */
  readonly key: Expression;
  readonly ttlMs: number;
}

/** An action run in reverse order of completion when the run fails (saga). */
export interface CompensateSpec {
  readonly type: string;
  readonly input?: InputMapping;
  readonly timeoutMs?: number;
}

/** Designer hints; ignored by the engine. */
export interface NodeUi {
  readonly position?: { readonly x: number; readonly y: number };
  readonly pinned?: boolean;
  readonly collapsed?: boolean;
  readonly color?: string;
  readonly [hint: string]: unknown;
}

export interface FlowUi {
  /**
   * The layout the designer drew, keyed by the structure it was computed for; a designer that
   * opens the flow draws it from here while the key matches (the engine ignores it).
   */
  readonly layout?: { readonly key: string; readonly [part: string]: unknown };
  readonly [hint: string]: unknown;
}

export interface NodeBase {
  readonly id: string;
  readonly name?: string;
  readonly description?: string;
  readonly input?: InputMapping;
  readonly retry?: RetryPolicy;
  readonly timeoutMs?: number;
  readonly continueOnError?: boolean;
  /** Expression; when true the node is skipped: recorded as skipped, its output is `null`, and the nodes after it still run (unlike a dead branch). */
  readonly skipIf?: Expression;
  readonly cache?: CacheSpec;
  readonly compensate?: CompensateSpec;
  /** `any` (default): runs when one incoming edge is active; `all`: needs all of them. */
  readonly join?: 'any' | 'all';
  readonly ui?: NodeUi;
}

// ---------------------------------------------------------------------------------------------
// Control nodes

export interface IfNode extends NodeBase {
  readonly type: 'if';
  readonly input: InputMapping & { readonly condition: JsonValue };
}

export interface SwitchCase {
  readonly port: string;
  readonly when: Expression;
  readonly label?: string;
}

export interface SwitchNode extends NodeBase {
  readonly type: 'switch';
  /** The first case whose `when` is true picks its port; else the port `default`. */
  readonly cases: readonly SwitchCase[];
}

export interface ForEachNode extends NodeBase, SubGraph {
  readonly type: 'forEach';
  readonly input: InputMapping & { readonly items: JsonValue };
  /** Iterations in flight at once; 1 when absent. */
  readonly parallelism?: number;
}

export interface WhileNode extends NodeBase, SubGraph {
  readonly type: 'while';
  /** Checked before each iteration; may read the previous iteration's outputs and `vars`. */
  readonly input: InputMapping & { readonly condition: JsonValue };
  readonly maxIterations?: number;
}

export interface TryNode extends NodeBase, SubGraph {
  readonly type: 'try';
  /** Runs when the body fails; sees `$<error>`. */
  readonly catch?: SubGraph;
  /** Runs after the body (and catch), whatever happened. */
  readonly finally?: SubGraph;
}

export interface GroupNode extends NodeBase, SubGraph {
  readonly type: 'group';
}

export type ContainerNode = ForEachNode | WhileNode | TryNode | GroupNode;
export type ControlNode = IfNode | SwitchNode | ContainerNode;

// ---------------------------------------------------------------------------------------------
// Built-in actions

export interface CodeNode extends NodeBase {
  readonly type: 'code';
  /** Source of a module whose `main(input)` (or default export) returns the output. */
  readonly code: string;
  readonly language?: 'javascript' | 'typescript';
}

export interface BuiltinActionNode extends NodeBase {
  readonly type:
    | 'http'
    | 'transform'
    | 'log'
    | 'wait'
    | 'approval'
    | 'waitForEvent'
    | 'subflow'
    | 'fail'
    | 'return'
    | 'setVars';
}

/** A connector registered by the host (`slack.post`, `jira.createIssue`, ...). */
export interface HostActionNode extends NodeBase {
  readonly type: string;
}

export type FlowNode = ControlNode | CodeNode | BuiltinActionNode | HostActionNode;

export type ContainerType = ContainerNode['type'];
export const CONTAINER_TYPES: readonly ContainerType[] = ['forEach', 'while', 'try', 'group'];

/** Node types the engine knows without a catalog. */
export const BUILTIN_NODE_TYPES = [
  'if',
  'switch',
  'forEach',
  'while',
  'try',
  'group',
  'code',
  'http',
  'transform',
  'log',
  'wait',
  'approval',
  'waitForEvent',
  'subflow',
  'fail',
  'return',
  'setVars',
] as const;
export type BuiltinNodeType = (typeof BUILTIN_NODE_TYPES)[number];

/** True for `forEach`, `while`, `try` and `group` nodes. */
export function isContainer(node: { readonly type: string }): node is ContainerNode {
  return (CONTAINER_TYPES as readonly string[]).includes(node.type);
}

/** True for a loop container (`forEach`, `while`), whose body runs once per iteration. */
export function isLoop(node: { readonly type: string }): node is ForEachNode | WhileNode {
  return node.type === 'forEach' || node.type === 'while';
}
