import type { Expression } from '../../expr/index.ts';
import type { ImportContext, ResumeBindings, Scope, StopRef } from './context.ts';
import type { Chain, Draft } from './graph.ts';
import type { MappedInputs } from './inputs.ts';
import type { JsonObject } from './json.ts';

/** Everything a module value's compiler needs to know about where the module sits. */
export interface ModuleSite {
  readonly ctx: ImportContext;
  readonly scope: Scope;
  readonly module: JsonObject;
  /** Pointer of the module in the OpenFlow document. */
  readonly pointer: string;
  /** The module's Millrace id: `results.<original>` reads `nodes.<id>`. */
  readonly id: string;
  /** The id of the node doing the work (`<id>__step` when a `skip_if` group wraps it). */
  readonly mainId: string;
  /** Where the value's nodes go, in order. */
  readonly chain: Chain;
  /** Windmill's `previous_result` for this step. */
  readonly previous: Expression;
  /** The approval that gated this step, if any. */
  readonly resume: ResumeBindings | undefined;
}

/** What compiling a module value produced. */
export interface ValueResult {
  /** The node the module's options (retry, timeout...) apply to. */
  readonly node: Draft;
  /** The module's result. */
  readonly result: Expression;
  /** Early stops inside nested regions: the chain after the module needs a guard. */
  readonly stops: readonly StopRef[];
  /**
   * Early stops inside `branchall` branches: each ends its branch, and the module stops the
   * flow (or loop iteration) after itself, with its own result.
   */
  readonly branchStops?: readonly StopRef[];
  /** Parameters of a leaf step, for its cache key. */
  readonly inputs?: MappedInputs;
}
