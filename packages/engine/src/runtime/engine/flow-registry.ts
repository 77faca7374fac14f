import type { ActionDefinition } from '../../actions/action.ts';
import { MillraceError } from '../../errors/millrace-error.ts';
import { hasErrors } from '../../model/diagnostic.ts';
import { FLOW_FORMAT, type FlowDefinition } from '../../model/flow.ts';
import { validateFlow } from '../../model/validate-flow.ts';
import type { Clock } from '../../platform/clock.ts';
import type { FlowStore, FlowSummary, StoredDraft, StoredFlow } from '../../store/flow-store.ts';
import { compileFlow, type CompiledFlow } from '../compile-flow.ts';

/** Deployed flows, their versions and drafts, and their compiled forms. */
export interface FlowRegistry {
  /** Validates (E_FLOW_INVALID with the diagnostics) and stores the next version. */
  deploy(definition: FlowDefinition): Promise<StoredFlow>;
  /** The compiled form of a version (latest when absent); E_FLOW_NOT_FOUND, E_FLOW_VERSION_NOT_FOUND. */
  compiled(flowId: string, version?: number): Promise<CompiledFlow>;
  getFlow(id: string, version?: number): Promise<StoredFlow | undefined>;
  listFlows(): Promise<FlowSummary[]>;
  /** The latest version of every flow (triggers are armed from these). */
  latest(): Promise<FlowDefinition[]>;
  saveDraft(definition: FlowDefinition): Promise<StoredDraft>;
  getDraft(id: string): Promise<StoredDraft | undefined>;
  discardDraft(id: string): Promise<void>;
}

/**
 * Creates the flow registry of an engine over its FlowStore. Versions are immutable, so each
 * is compiled once (expressions parsed into closures) and kept by `id@version`.
 */
export function createFlowRegistry(deps: {
  readonly store: FlowStore;
  readonly clock: Clock;
  /** The host's actions: deploy validates node types and inputs against them. */
  readonly catalog: readonly ActionDefinition[];
}): FlowRegistry {
  const { store, clock } = deps;
  const compiledVersions = new Map<string, CompiledFlow>();
  return {
    async deploy(definition) {
      const diagnostics = validateFlow(definition, { catalog: [...deps.catalog] });
      if (hasErrors(diagnostics)) {
        const errors = diagnostics.filter((d) => d.severity === 'error');
        throw new MillraceError(
          'E_FLOW_INVALID',
          `The flow has ${errors.length} error${errors.length === 1 ? '' : 's'}: ${errors
            .slice(0, 3)
            .map((d) => `${d.path || '/'}: ${d.message}`)
            .join(' ')}`,
          { details: { diagnostics }, ...(errors[0] ? { path: errors[0].path } : {}) },
        );
      }
      const def = { ...definition, format: FLOW_FORMAT } as FlowDefinition;
      compileFlow(def); // compiles every expression once more as a last check before storing
      return store.saveFlow(def, clock.now());
    },
    async compiled(flowId, version) {
      // A version never changes once stored: a compiled one needs no read (a run's start and
      // every load name theirs); only "the latest" asks the store.
      const cached =
        version === undefined ? undefined : compiledVersions.get(`${flowId}@${version}`);
      if (cached) return cached;
      const stored = await store.getFlow(flowId, version);
      if (!stored) {
        const exists = version !== undefined && (await store.getFlow(flowId));
        throw new MillraceError(
          exists ? 'E_FLOW_VERSION_NOT_FOUND' : 'E_FLOW_NOT_FOUND',
          exists
            ? `Flow "${flowId}" has no version ${version}.`
            : `No flow "${flowId}" is deployed; call deploy() first.`,
          { details: { flowId, ...(version === undefined ? {} : { version }) } },
        );
      }
      const key = `${stored.id}@${stored.version}`;
      let flow = compiledVersions.get(key);
      if (!flow) {
        flow = compileFlow(stored.definition, stored.version);
        compiledVersions.set(key, flow);
      }
      return flow;
    },
    getFlow: (id, version) => store.getFlow(id, version),
    listFlows: () => store.listFlows(),
    async latest() {
      const out: FlowDefinition[] = [];
      for (const summary of await store.listFlows()) {
        const stored = await store.getFlow(summary.id);
        if (stored) out.push(stored.definition);
      }
      return out;
    },
    async saveDraft(definition) {
      // Drafts may be invalid (the editor saves as the user works), but must be addressable.
      const id = (definition as { id?: unknown } | null)?.id;
      if (typeof id !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(id)) {
        throw new MillraceError(
          'E_INVALID_ARGUMENT',
          'A draft must be a flow object with an id of letters, digits, "-", "_" and "." (got ' +
            `${typeof id === 'string' ? JSON.stringify(id) : typeof id}).`,
          { path: '/id' },
        );
      }
      return store.saveDraft(definition, clock.now());
    },
    getDraft: (id) => store.getDraft(id),
    discardDraft: (id) => store.deleteDraft(id),
  };
}
