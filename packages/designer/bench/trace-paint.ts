/**
 * Paint times from a Chromium trace (categories `devtools.timeline` and `blink.user_timing`).
 *
 * The bench page marks `<name>:start` when it hands the designer something to draw and
 * `<name>:frame` in the first animation frame whose DOM holds the result. The frame is painted
 * when the main thread has finished its paint: the end of the first `Layerize` (or, lacking it,
 * `Paint`) on the marking thread after the frame mark. A task queued after that frame can only
 * tell later, behind any work queued before it (validation, a diagnostics render).
 */

interface TraceEvent {
  readonly name: string;
  readonly cat: string;
  readonly ph: string;
  readonly ts: number;
  readonly dur?: number;
  readonly tid: number;
  readonly pid: number;
}

/** ms from each `<name>:start` to the end of the paint of its `<name>:frame`, by name. */
export function paintTimes(trace: Buffer | string): Map<string, number> {
  const events = (JSON.parse(trace.toString()) as { traceEvents: TraceEvent[] }).traceEvents;
  const marks = events
    .filter((e) => e.cat.includes('blink.user_timing') && /:(start|frame)$/.test(e.name))
    .sort((a, b) => a.ts - b.ts);
  const out = new Map<string, number>();
  for (const frame of marks) {
    if (!frame.name.endsWith(':frame')) continue;
    const name = frame.name.slice(0, -':frame'.length);
    // The last start before this frame (a page may open several flows under one name).
    let start: TraceEvent | undefined;
    for (const m of marks) if (m.name === `${name}:start` && m.ts <= frame.ts) start = m;
    if (!start) continue;
    const paints = events.filter(
      (e) =>
        e.pid === frame.pid &&
        e.tid === frame.tid &&
        e.ph === 'X' &&
        e.ts >= frame.ts &&
        (e.name === 'Layerize' || e.name === 'Paint'),
    );
    const paint =
      paints.filter((e) => e.name === 'Layerize').sort((a, b) => a.ts - b.ts)[0] ??
      paints.sort((a, b) => a.ts - b.ts)[0];
    if (!paint) continue;
    out.set(name, (paint.ts + (paint.dur ?? 0) - start.ts) / 1000);
  }
  return out;
}
