import {
  verifyWebhook,
  type Engine,
  type FlowDefinition,
  type VerifyWebhookOptions,
  type WebhookDedupe,
} from '@millrace/engine';
import type { IncomingHttpHeaders } from 'node:http';
import { httpError } from './http-error.ts';

type WebhookTrigger = Parameters<typeof verifyWebhook>[0];

export interface WebhookOptions {
  /** Resolves the triggers' `$<secrets.NAME>`: the same secrets the tenant's engine has. */
  readonly secrets?: (tenant: string) => NonNullable<VerifyWebhookOptions['secrets']>;
  /** Remembers accepted deliveries: createWebhookDedupe({ store }) of the handler's `store`, else in memory. */
  readonly dedupe: (tenant: string) => WebhookDedupe;
  readonly toleranceMs?: number;
  /** The receiver's clock, ms since the epoch. */
  readonly now: () => number;
}

/** The active flow of the tenant whose webhook trigger has `path` (and accepts POST). */
async function findTrigger(
  engine: Engine,
  path: string,
): Promise<{ flow: FlowDefinition; trigger: WebhookTrigger } | undefined> {
  for (const listing of await engine.listFlows({ status: 'active' })) {
    const stored = await engine.getFlow(listing.id);
    for (const trigger of stored?.definition.triggers ?? []) {
      if (
        trigger.kind === 'webhook' &&
        trigger.path === path &&
        (trigger.method ?? 'POST') === 'POST'
      )
        return { flow: stored!.definition, trigger };
    }
  }
  return undefined;
}

/**
 * `POST /hooks/:tenant/:path`: verifies the delivery's signature over the raw body with the
 * trigger's secret (401), refuses a delivery already accepted (409), and starts the flow with
 * the JSON body as its input and `$<event>` (202 with the run id).
 */
export async function receiveWebhook(
  engine: Engine,
  tenant: string,
  path: string,
  raw: Buffer,
  payload: unknown,
  headers: IncomingHttpHeaders,
  options: WebhookOptions,
): Promise<{ runId: string }> {
  const found = await findTrigger(engine, path);
  if (!found) {
    throw httpError(
      'E_HTTP_NOT_FOUND',
      `No active flow of tenant "${tenant}" has a webhook trigger with path "${path}".`,
    );
  }
  const checked = await verifyWebhook(
    found.trigger,
    { body: raw, headers },
    {
      now: options.now(),
      dedupe: options.dedupe(tenant),
      scope: `${found.flow.id}/${found.trigger.id}`,
      ...(options.secrets ? { secrets: options.secrets(tenant) } : {}),
      ...(options.toleranceMs === undefined ? {} : { toleranceMs: options.toleranceMs }),
    },
  );
  if (!checked.ok) throw checked.error;
  const run = await engine.start(found.flow.id, payload, {
    trigger: { kind: 'webhook', id: found.trigger.id, event: payload },
  });
  return { runId: run.id };
}
