import type { Config } from './config/schema.js';
import type { Logger } from './logger.js';
import type { StateStore } from './sessions/types.js';
import type { TaigaHttpObserver, TaigaRequestTracer } from './taiga/http.js';
import { SERVER_VERSION } from './version.js';

/**
 * What the server tells its metrics about, whatever collects them (Prometheus in HTTP mode, see
 * http/metrics.ts; nothing on stdio). Outcomes are error codes or `ok`, so rate-limit rejections
 * and store failures are counted from the calls that met them.
 */
export interface Telemetry {
  toolCall(tool: string, outcome: string, seconds: number): void;
  readonly taiga: TaigaHttpObserver;
}

export const NO_TELEMETRY: Telemetry = {
  toolCall: () => undefined,
  taiga: { attempt: () => undefined, retry: () => undefined },
};

/** A W3C Trace Context as a caller sent it (the `traceparent` header or `_meta` key, and `tracestate`). */
export interface TraceContext {
  traceparent: string;
  tracestate?: string | undefined;
}

/** What a tool call's span learns once the call is over: `ok` or the error code, and the project it touched. */
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

/** The configured tracing; OpenTelemetry is imported only here, and only when `telemetry.otlp` is set. */
export async function startTracing(config: Config, logger: Logger): Promise<Tracing | undefined> {
  if (!config.telemetry.otlp) return undefined;
  const { startOtelTracing } = await import('./tracing/otel.js');
  return startOtelTracing(config.telemetry.otlp, logger, SERVER_VERSION);
}
