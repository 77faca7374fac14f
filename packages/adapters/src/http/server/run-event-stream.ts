import type { IncomingMessage, ServerResponse } from 'node:http';
import { isTerminalEvent, type Engine, type RunEvent, type RunStore } from '@millrace/engine';
import { httpError } from './http-error.ts';

export interface RunEventStreamOptions {
  /** Stored events (the run store of the caller's tenant); without it, live events only. */
  readonly events?: Pick<RunStore, 'readEvents'>;
  /** A comment line every this many ms keeps proxies from closing an idle stream. */
  readonly heartbeatMs: number;
}

/**
 * `GET /runs/:id/events`: server-sent events. Each run event is one message, `id:` its seq and
 * `data:` its JSON; stored events after `Last-Event-ID` come first, then live ones (subscribed
 * before the stored ones are read, de-duplicated by seq, so none falls between); `event: end`
 * and the stream closes when the run has finished. The subscription and the heartbeat end when
 * the client goes away.
 */
export async function streamRunEvents(
  req: IncomingMessage,
  res: ServerResponse,
  engine: Engine,
  runId: string,
  options: RunEventStreamOptions,
): Promise<void> {
  const header = req.headers['last-event-id'];
  const lastId = Array.isArray(header) ? header[0] : header;
  if (lastId !== undefined && !/^\d+$/.test(lastId.trim())) {
    throw httpError(
      'E_INVALID_ARGUMENT',
      `Last-Event-ID is "${lastId}"; send the seq (an integer) of the last event received.`,
      '/headers/last-event-id',
    );
  }
  let sent = lastId === undefined ? 0 : Number(lastId);

  const view = await engine.getRun(runId);
  if (!view) throw httpError('E_RUN_NOT_FOUND', `No run "${runId}" in this tenant.`);

  let closed = false;
  let pending: RunEvent[] | undefined = []; // live events that arrive while stored ones load
  const write = (text: string): void => {
    if (!closed) res.write(text);
  };
  const finish = (): void => {
    if (closed) return;
    write(`event: end\ndata: ${JSON.stringify({ runId })}\n\n`);
    cleanup();
    res.end();
  };
  const send = (event: RunEvent): void => {
    if (closed || event.seq <= sent) return;
    sent = event.seq;
    write(`id: ${event.seq}\ndata: ${JSON.stringify(event)}\n\n`);
    if (isTerminalEvent(event)) finish();
  };
  const unsubscribe = engine.subscribe(runId, (event) => {
    if (pending) pending.push(event);
    else send(event);
  });
  const heartbeat = setInterval(() => write(': heartbeat\n\n'), options.heartbeatMs);
  const cleanup = (): void => {
    closed = true;
    clearInterval(heartbeat);
    unsubscribe();
  };
  res.on('close', cleanup); // the client went away (or we ended): no listener stays behind

  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  write(': stream of run ' + runId.replace(/[\r\n]/g, '') + '\n\n');

  try {
    const stored = options.events ? await options.events.readEvents(runId, sent) : [];
    for (const event of stored) send(event);
  } finally {
    const live = pending;
    pending = undefined;
    for (const event of live) send(event);
  }
  // A finished run whose terminal event is older than the resume point (or with no event log).
  if (!closed) {
    const now = await engine.getRun(runId);
    if (now && ['succeeded', 'failed', 'cancelled'].includes(now.status) && sent >= now.lastSeq)
      finish();
    else if (now && !options.events && ['succeeded', 'failed', 'cancelled'].includes(now.status))
      finish();
  }
}
