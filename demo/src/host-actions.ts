import type { ActionDefinition } from '@millrace/engine';
import { demoCatalog } from './catalog.ts';

// The demo's host actions, in one module both engines load: the page's Web Worker imports it,
// and `millrace serve --actions ./demo/src/host-actions.ts` imports it in Node. So it stays
// pure: no DOM, no Node built-ins, time from the action's context (the engine's clock).

/**
 * The connectors of the demo's catalog with a `run` each. They do nothing real: each answers
 * with what a real one would return, so flows built in the demo run end to end.
 */
export const actions: readonly ActionDefinition[] = demoCatalog.map((descriptor) => ({
  ...descriptor,
  run(input: unknown, ctx) {
    const i = (input ?? {}) as Record<string, unknown>;
    switch (descriptor.type) {
      case 'slack.post':
        return { ts: String(ctx.now() / 1000), channel: i['channel'] };
      case 'jira.createIssue': {
        const key = `${String(i['project'] ?? 'OPS')}-42`;
        return { key, url: `https://jira.example/${key}` };
      }
      default:
        return { id: `msg-${ctx.now()}` };
    }
  },
}));
