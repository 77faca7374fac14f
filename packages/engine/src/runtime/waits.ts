import { MillraceError } from '../errors/millrace-error.ts';
import type { CNode } from './compile-flow.ts';
import type { NodeError, ParentLink, TimerPurpose, WaitInfo } from './events.ts';
import type { Frame } from './frame.ts';
import { engineError, toNodeError } from './node-errors.ts';
import { redact } from './redact.ts';
import type { RunExecutor } from './executor.ts';
import { decisionOf, schemaValidator, type Waiter } from './executor-support.ts';
import { evaluate, secretValues } from './run-scope.ts';
import { clearTimersOf, ensureTimer } from './timers.ts';

// Parked nodes: approval, waitForEvent, wait and subflow, woken by signals and timers.

export function startWait(
  ex: RunExecutor,
  frame: Frame,
  node: CNode,
  path: string,
  attempt: number,
): void {
  const r = evaluate(ex, frame, node, node.input, path, attempt);
  if (!r) return;
  const input = (r.value ?? {}) as Record<string, unknown>;
  const now = ex.services.clock.now();
  const token = ex.services.ids.token();
  const num = (v: unknown) =>
    typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;
  let wait: { -readonly [K in keyof WaitInfo]: WaitInfo[K] };
  switch (node.type) {
    case 'wait': {
      const until =
        typeof input['until'] === 'string' ? Date.parse(input['until']) : num(input['until']);
      const duration = num(input['durationMs']);
      const deadline = until !== undefined && !Number.isNaN(until) ? until : now + (duration ?? 0);
      if (deadline <= now) {
        ex.succeed(frame, node, path, attempt, { waitedMs: 0 });
        return;
      }
      wait = { kind: 'wait', token, path, deadline };
      break;
    }
    case 'approval': {
      wait = { kind: 'approval', token, path };
      const timeout = num(input['timeoutMs']);
      if (timeout !== undefined) wait.deadline = now + timeout;
      if (Array.isArray(input['approvers']))
        wait.approvers = input['approvers'].filter((a): a is string => typeof a === 'string');
      if (typeof input['message'] === 'string') wait.message = input['message'];
      if (input['form'] !== undefined) wait.form = input['form'];
      break;
    }
    case 'waitForEvent': {
      wait = { kind: 'waitForEvent', token, path, event: String(input['event'] ?? '') };
      const timeout = num(input['timeoutMs']);
      if (timeout !== undefined) wait.deadline = now + timeout;
      const raw = (node.def.input as Record<string, unknown> | undefined)?.['filter'];
      if (typeof raw === 'string') wait.filter = raw;
      break;
    }
    default: {
      const flowId = input['flowId'];
      if (typeof flowId !== 'string' || flowId === '') {
        ex.failNode(
          frame,
          node,
          path,
          attempt,
          engineError('E_INPUT_INVALID', `subflow "${node.id}" needs input.flowId.`),
        );
        return;
      }
      const childRunId = `${ex.runId}.${path.replaceAll('/', '.')}.${attempt}`;
      wait = { kind: 'subflow', token, path, childRunId };
      ensureChild(ex, frame, node, path, attempt, wait, input);
    }
  }
  const secrets = secretValues(ex, node.input);
  ex.emit(
    {
      type: 'NodeSuspended',
      path,
      attempt,
      wait,
      input: redact(input, secrets),
    },
    frame,
  );
  const waiter: Waiter = { frame, node, path, attempt, wait };
  ex.waiters.set(token, waiter);
  if (wait.deadline !== undefined) {
    const purpose: TimerPurpose = wait.kind === 'wait' ? 'wait' : 'deadline';
    ensureTimer(
      ex,
      path,
      purpose,
      wait.deadline,
      attempt,
      () => waitExpired(ex, token, purpose),
      frame,
    );
  }
}

/** Starts the child run of a subflow node (idempotent: the child's id is derived). */
export function ensureChild(
  ex: RunExecutor,
  frame: Frame,
  node: CNode,
  path: string,
  attempt: number,
  wait: WaitInfo,
  input: Record<string, unknown>,
): void {
  const version = typeof input['version'] === 'number' ? input['version'] : undefined;
  const parent: ParentLink = { runId: ex.runId, path, token: wait.token };
  const request = {
    runId: wait.childRunId!,
    flowId: String(input['flowId']),
    ...(version === undefined ? {} : { version }),
    input: input['input'] ?? {},
    parent,
  };
  ex.busy++;
  ex.effects.push(() => {
    ex.services.startChild(request).then(
      () => ex.enqueue(() => ex.busy--),
      (err) =>
        ex.enqueue(() => {
          ex.busy--;
          if (!ex.waiters.has(wait.token)) return;
          ex.waiters.delete(wait.token);
          ex.failNode(frame, node, path, attempt, toNodeError(err));
        }),
    );
  });
}

export function checkSignal(waiter: Waiter, payload: unknown): void {
  if (waiter.wait.kind !== 'approval') return;
  const p = (payload ?? {}) as Record<string, unknown>;
  const decision = decisionOf(p);
  if (!decision) {
    throw new MillraceError(
      'E_SIGNAL_INVALID',
      'An approval needs { approved: true|false } or { decision: "approved"|"rejected" }.',
    );
  }
  const approvers = waiter.wait.approvers;
  if (approvers && approvers.length > 0 && !approvers.includes(String(p['by'] ?? ''))) {
    throw new MillraceError(
      'E_SIGNAL_INVALID',
      `Only ${approvers.join(', ')} may decide ex approval; "by" was ${JSON.stringify(p['by'] ?? null)}.`,
    );
  }
  const form = waiter.wait.form;
  if (decision === 'approved' && typeof form === 'object' && form !== null) {
    const result = schemaValidator(form).validate(p['data'] ?? {});
    if (!result.valid) {
      throw new MillraceError(
        'E_SIGNAL_INVALID',
        `The approval form data is invalid: ${result.errors.map((e) => `${e.instanceLocation} ${e.error}`).join('; ')}.`,
        {
          details: {
            errors: result.errors.map((e) => ({ at: e.instanceLocation, error: e.error })),
          },
        },
      );
    }
  }
}

export function completeWait(ex: RunExecutor, waiter: Waiter, payload: unknown): void {
  const { frame, node, path, attempt, wait } = waiter;
  ex.waiters.delete(wait.token);
  clearTimersOf(ex, path);
  const p = (payload ?? {}) as Record<string, unknown>;
  switch (wait.kind) {
    case 'approval': {
      const decision = decisionOf(p) ?? 'rejected';
      const output: Record<string, unknown> = { decision };
      if (p['by'] !== undefined) output['by'] = p['by'];
      if (p['comment'] !== undefined) output['comment'] = p['comment'];
      if (p['data'] !== undefined) output['data'] = p['data'];
      ex.succeed(frame, node, path, attempt, output, { port: decision });
      return;
    }
    case 'subflow': {
      if (p['status'] === 'succeeded') ex.succeed(frame, node, path, attempt, p['output'] ?? null);
      else {
        const childError = (p['error'] ?? {}) as NodeError;
        ex.attemptFailed(frame, node, path, attempt, {
          code: 'E_SUBFLOW_FAILED',
          message: `The subflow run ${wait.childRunId ?? ''} ${String(p['status'] ?? 'failed')}: ${childError.message ?? ''}`,
          details: { childRunId: wait.childRunId, error: childError },
        });
      }
      return;
    }
    case 'wait':
      ex.succeed(frame, node, path, attempt, {
        waitedMs: ex.services.clock.now() - (ex.state.nodes.get(path)?.startedAt ?? 0),
      });
      return;
    default:
      ex.succeed(frame, node, path, attempt, payload ?? null);
  }
}

export function waitExpired(ex: RunExecutor, tokenValue: string, purpose: TimerPurpose): void {
  const waiter = ex.waiters.get(tokenValue);
  if (!waiter) return;
  ex.waiters.delete(tokenValue);
  const { frame, node, path, attempt, wait } = waiter;
  if (purpose === 'wait') {
    completeWait(ex, { ...waiter }, {});
    return;
  }
  if (wait.kind === 'approval') {
    ex.succeed(frame, node, path, attempt, { decision: 'timeout' }, { port: 'timeout' });
  } else if (wait.kind === 'waitForEvent') {
    ex.succeed(frame, node, path, attempt, null, { port: 'timeout' });
  }
}
