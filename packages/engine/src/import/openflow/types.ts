/**
 * The Windmill OpenFlow documents `importOpenFlow` accepts (spec `openflow.openapi.yaml`,
 * version 1.582). Every field is optional here because the importer reads untrusted JSON: a
 * missing or mistyped field becomes a diagnostic, never an exception. These types document the
 * shape for callers who build documents in TypeScript.
 */

/** A parameter's value: a literal, or a JavaScript expression evaluated by Windmill. */
export type OpenFlowInputTransform =
  | { readonly type: 'static'; readonly value?: unknown }
  | { readonly type: 'javascript'; readonly expr: string };

export type OpenFlowInputTransforms = { readonly [parameter: string]: OpenFlowInputTransform };

/** `stop_after_if` / `stop_after_all_iters_if`. */
export interface OpenFlowStopAfterIf {
  readonly expr: string;
  readonly skip_if_stopped?: boolean;
  readonly error_message?: string;
}

export interface OpenFlowRetry {
  readonly constant?: { readonly attempts?: number; readonly seconds?: number };
  readonly exponential?: {
    readonly attempts?: number;
    readonly multiplier?: number;
    readonly seconds?: number;
    readonly random_factor?: number;
  };
  readonly retry_if?: { readonly expr: string };
}

export interface OpenFlowSuspend {
  readonly required_events?: number;
  /** Seconds; Windmill's default is 1800. */
  readonly timeout?: number;
  readonly resume_form?: { readonly schema?: unknown };
  readonly user_auth_required?: boolean;
  readonly user_groups_required?: OpenFlowInputTransform;
  readonly self_approval_disabled?: boolean;
  readonly hide_cancel?: boolean;
  readonly continue_on_disapprove_timeout?: boolean;
}

export interface OpenFlowModule {
  readonly id?: string;
  readonly value?: OpenFlowModuleValue;
  readonly summary?: string;
  readonly stop_after_if?: OpenFlowStopAfterIf;
  readonly stop_after_all_iters_if?: OpenFlowStopAfterIf;
  readonly skip_if?: { readonly expr: string };
  /** Seconds to sleep after the step, before the next one. */
  readonly sleep?: OpenFlowInputTransform;
  /** Seconds; a number in older documents, an input transform in newer ones. */
  readonly timeout?: OpenFlowInputTransform | number;
  /** Seconds. */
  readonly cache_ttl?: number;
  readonly delete_after_use?: boolean;
  readonly priority?: number;
  readonly continue_on_error?: boolean;
  readonly mock?: { readonly enabled?: boolean; readonly return_value?: unknown };
  readonly retry?: OpenFlowRetry;
  readonly suspend?: OpenFlowSuspend;
}

export interface OpenFlowRawScript {
  readonly type: 'rawscript';
  readonly content: string;
  /** deno, bun, nativets (JavaScript/TypeScript), python3, go, bash, SQL dialects... */
  readonly language: string;
  readonly input_transforms?: OpenFlowInputTransforms;
  readonly path?: string;
  readonly lock?: string;
  readonly tag?: string;
  readonly concurrent_limit?: number;
  readonly concurrency_time_window_s?: number;
  readonly custom_concurrency_key?: string;
}

export interface OpenFlowPathScript {
  readonly type: 'script';
  readonly path: string;
  readonly hash?: string;
  readonly input_transforms?: OpenFlowInputTransforms;
  readonly tag_override?: string;
}

export interface OpenFlowPathFlow {
  readonly type: 'flow';
  readonly path: string;
  readonly input_transforms?: OpenFlowInputTransforms;
}

export interface OpenFlowForLoop {
  readonly type: 'forloopflow';
  readonly modules: readonly OpenFlowModule[];
  readonly iterator: OpenFlowInputTransform;
  readonly skip_failures?: boolean;
  readonly parallel?: boolean;
  /** A number in older documents, an input transform in newer ones. */
  readonly parallelism?: OpenFlowInputTransform | number;
}

export interface OpenFlowWhileLoop {
  readonly type: 'whileloopflow';
  readonly modules: readonly OpenFlowModule[];
  readonly skip_failures?: boolean;
  readonly parallel?: boolean;
  readonly parallelism?: OpenFlowInputTransform | number;
}

export interface OpenFlowBranchOne {
  readonly type: 'branchone';
  readonly branches: readonly {
    readonly summary?: string;
    readonly expr: string;
    readonly modules: readonly OpenFlowModule[];
  }[];
  readonly default: readonly OpenFlowModule[];
}

export interface OpenFlowBranchAll {
  readonly type: 'branchall';
  readonly branches: readonly {
    readonly summary?: string;
    readonly skip_failure?: boolean;
    readonly modules: readonly OpenFlowModule[];
  }[];
  readonly parallel?: boolean;
}

export interface OpenFlowIdentity {
  readonly type: 'identity';
}

export interface OpenFlowAiAgent {
  readonly type: 'aiagent';
  readonly tools?: readonly unknown[];
  readonly input_transforms?: OpenFlowInputTransforms;
  readonly parallel?: boolean;
}

export type OpenFlowModuleValue =
  | OpenFlowRawScript
  | OpenFlowPathScript
  | OpenFlowPathFlow
  | OpenFlowForLoop
  | OpenFlowWhileLoop
  | OpenFlowBranchOne
  | OpenFlowBranchAll
  | OpenFlowIdentity
  | OpenFlowAiAgent;

export interface OpenFlowValue {
  readonly modules: readonly OpenFlowModule[];
  readonly failure_module?: OpenFlowModule;
  readonly preprocessor_module?: OpenFlowModule;
  readonly same_worker?: boolean;
  readonly concurrent_limit?: number;
  readonly concurrency_key?: string;
  readonly concurrency_time_window_s?: number;
  readonly debounce_delay_s?: number;
  readonly debounce_key?: string;
  readonly skip_expr?: string;
  readonly cache_ttl?: number;
  readonly flow_env?: { readonly [name: string]: string };
  readonly priority?: number;
  /** The id of a top-level step whose result answers the caller early. */
  readonly early_return?: string;
  readonly chat_input_enabled?: boolean;
  /** Editor sticky notes; not imported. */
  readonly notes?: readonly unknown[];
}

/** A Windmill flow as exported (`wmill flow pull`, the UI's "Export" or the API). */
export interface OpenFlowDocument {
  readonly summary?: string;
  readonly description?: string;
  readonly value: OpenFlowValue;
  /** JSON Schema of the flow input. */
  readonly schema?: { readonly [keyword: string]: unknown };
}
