import type { StateStore } from '../sessions/types.js';
import type { TaigaRequestTracer } from '../taiga/http.js';

// What the server asks of its tracing (core/telemetry.ts starts it; tracing/otel.ts is it).

/** A W3C Trace Context as a caller sent it (the `traceparent` header or `_meta` key, and `tracestate`). */
export interface TraceContext {
  traceparent: string;
  tracestate?: string | undefined;
}

/** What a tool call's span learns once the call is over: `ok`, `input_required` (it asks its person first) or the error code, and the project it touched. */
export type EndToolSpan = (outcome: string, project: number | undefined) => void;

/**
 * Traces (OpenTelemetry, tracing/otel.ts), present only when an OTLP endpoint is configured: when
 * it is not, nothing of OpenTelemetry is loaded and no stage, wrapper or span exists.
 */
export interface Tracing extends TaigaRequestTracer {
  /**
   * Runs `run` as the current span of one tool call (or resource, prompt or completion request,
   * `method`), a child of `parent` when that is a valid trace context: the Taiga requests and
   * store operations made meanwhile become its children.
   */
  toolCall(start: { method: string; tool: string; principal: string; parent: TraceContext | undefined }, run: (end: EndToolSpan) => Promise<void>): Promise<void>;
  /** The store with a span around each operation made inside a tool call. */
  traceStore(store: StateStore, kind: 'memory' | 'redis'): StateStore;
  /** Exports the spans still buffered (waiting a bounded time) and stops. */
  shutdown(): Promise<void>;
}
