import { randomBytes } from 'node:crypto';

/**
 * Trace ids for log lines, without loading OpenTelemetry: start.ts plugs in the SDK's active
 * span when tracing is on; otherwise a request's id comes from its `traceparent` or is new.
 */
let activeTraceId: (() => string | undefined) | undefined;
let nameSpan: ((method: string, route: string) => void) | undefined;
let stopTracing: (() => Promise<void>) | undefined;

/** Called once by start.ts when the SDK runs. */
export function useTracing(options: {
  activeTraceId: () => string | undefined;
  nameRequestSpan: (method: string, route: string) => void;
  stop: () => Promise<void>;
}): void {
  activeTraceId = options.activeTraceId;
  nameSpan = options.nameRequestSpan;
  stopTracing = options.stop;
}

export const tracingActive = (): boolean => activeTraceId !== undefined;

/** The logger's mixin: the active span's trace id, when tracing is on and a span is active. */
export function activeTraceFields(): { trace_id?: string } {
  const id = activeTraceId?.();
  return id ? { trace_id: id } : {};
}

// W3C Trace Context: version-traceid-parentid-flags; an all-zero trace id is invalid.
const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** Without tracing: the caller's trace id from a valid `traceparent`, else a new random one. */
export function requestTraceId(traceparent: string): string {
  const id = traceparent ? TRACEPARENT.exec(traceparent.trim())?.[1] : undefined;
  return id && !/^0+$/.test(id) ? id : newTraceId();
}

// One call for the random bytes of 256 trace ids: a randomBytes call per request was a
// measurable share of the hot read (the same batching randomUUID does internally).
const TRACE_ID_BYTES = 16;
let entropy = Buffer.alloc(0);
let offset = 0;

function newTraceId(): string {
  if (offset + TRACE_ID_BYTES > entropy.length) {
    entropy = randomBytes(TRACE_ID_BYTES * 256);
    offset = 0;
  }
  offset += TRACE_ID_BYTES;
  return entropy.toString('hex', offset - TRACE_ID_BYTES, offset);
}

/**
 * Names the active request span by its route template (`POST /auth/register`): the HTTP
 * instrumentation sees only the raw path, the router knows the route.
 */
export function nameRequestSpan(method: string, route: string): void {
  nameSpan?.(method, route);
}

/** Sends the spans still buffered (shutdown); nothing to do when tracing is off. */
export async function flushTraces(): Promise<void> {
  await stopTracing?.();
}
