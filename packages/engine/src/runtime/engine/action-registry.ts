import type { ActionDefinition } from '../../actions/action.ts';
import { createCodeAction } from '../../actions/code.ts';
import { createHttpAction } from '../../actions/http.ts';
import type { CodeNode } from '../../model/flow.ts';
import type { CNode } from '../compile-flow.ts';
import type { EngineOptions } from './engine-api.ts';

/** The actions an engine runs: the host's connectors, the built-in `http`, and `code` nodes. */
export interface ActionRegistry {
  /** The action that runs a node of `type` (or a compensate step's type). */
  action(type: string, node?: CNode): ActionDefinition | undefined;
  /** The host's actions, for validating flows at deploy. */
  readonly catalog: readonly ActionDefinition[];
}

/**
 * Builds the action lookup of an engine. A host action wins over a built-in of the same type;
 * each `code` node gets its own action around the host's code runner, made once per compiled
 * node (a WeakMap, so it goes when its flow version's compiled form goes).
 */
export function createActionRegistry(
  options: Pick<EngineOptions, 'actions' | 'fetch' | 'codeRunner'>,
): ActionRegistry {
  const list = !options.actions
    ? []
    : Array.isArray(options.actions)
      ? (options.actions as readonly ActionDefinition[])
      : Object.values(options.actions as Record<string, ActionDefinition>);
  const actions = new Map(list.map((a) => [a.type, a]));
  const http = createHttpAction(options.fetch);
  const codeActions = new WeakMap<CNode, ActionDefinition>();
  return {
    catalog: [...actions.values()],
    action(type, node) {
      if (node && type === 'code') {
        let a = codeActions.get(node);
        if (!a) {
          const def = node.def as CodeNode;
          a = createCodeAction(options.codeRunner, {
            code: def.code,
            ...(def.language ? { language: def.language } : {}),
            ...(def.timeoutMs === undefined ? {} : { timeoutMs: def.timeoutMs }),
          });
          codeActions.set(node, a);
        }
        return a;
      }
      return actions.get(type) ?? (type === 'http' ? http : undefined);
    },
  };
}
