// Loaded only when an OTLP endpoint is configured (core/telemetry.ts): OpenTelemetry's API, SDK and
// exporters live in a chunk of their own that a server without tracing never reads.
import { createHash } from 'node:crypto';
import { context, defaultTextMapGetter, diag, DiagLogLevel, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { OtlpSettings } from '../config/telemetry-schema.js';
import type { Logger } from '../logger.js';
import type { Tracing } from './types.js';
import { routeTemplate } from './route-template.js';
import { tracedStore } from './traced-store.js';

export interface TracingLimits {
  /** How long shutdown waits for the last spans to be exported (a collector that does not answer must not hold up an exit). */
  flushMs: number;
  /** At most one log line per interval about export failures: a collector that is down says so once, not every batch. */
  diagIntervalMs: number;
}

const LIMITS: TracingLimits = { flushMs: 5000, diagIntervalMs: 60_000 };

/**
 * The context manager (AsyncLocalStorage), without which a Taiga request would not know its call's
 * span, is process-wide: installed once, since the API refuses a second one with an error (the
 * test kit may start several apps in one process). No global tracer provider or propagator is set:
 * spans are made with our own tracer, and the caller's context is read by our own propagator.
 */
let contextManagerInstalled = false;

function serverOf(origin: string): Attributes {
  const url = new URL(origin);
  return { 'server.address': url.hostname, 'server.port': Number(url.port) || (url.protocol === 'https:' ? 443 : 80) };
}

/**
 * The traces URL: the endpoint as given, or with `/v1/traces` when it has no path (a bare
 * collector address, which never takes traces at its root).
 */
export function tracesUrl(endpoint: string): string {
  const url = new URL(endpoint);
  if (url.pathname === '/' && !endpoint.endsWith('/')) url.pathname = '/v1/traces';
  return url.href;
}

/**
 * The first 16 hex digits of the principal's SHA-256: an operator who knows a principal finds its
 * spans; the tracing backend never holds the name (an API key's principal, an OAuth subject).
 */
export const principalDigest = (principal: string): string => createHash('sha256').update(principal).digest('hex').slice(0, 16);

/**
 * `version` is the server's, passed in: importing version.js here would split it into a chunk of its own that every start reads.
 * `clock` times the export-failure log lines (a test's own clock).
 */
export function startOtelTracing(otlp: OtlpSettings, logger: Logger, version: string, limits: TracingLimits = LIMITS, clock: () => number = Date.now): Tracing {
  let lastDiag = -Infinity;
  diag.setLogger(
    {
      error: (message) => {
        const now = clock();
        if (now - lastDiag < limits.diagIntervalMs) return;
        lastDiag = now;
        logger.warn({ err: String(message).slice(0, 200) }, 'tracing: exporting spans failed (said at most once a minute)');
      },
      warn: () => undefined,
      info: () => undefined,
      debug: () => undefined,
      verbose: () => undefined,
    },
    DiagLogLevel.ERROR,
  );
  // Neither exporter reads OTEL_EXPORTER_OTLP_PROTOCOL: the config (which the variable sets) picks one.
  const Exporter = otlp.protocol === 'http/json' ? JsonExporter : ProtobufExporter;
  const exporter: SpanExporter = new Exporter({ url: tracesUrl(otlp.endpoint), headers: otlp.headers });
  // defaultResource() alone ignores OTEL_SERVICE_NAME: the env detector brings it and OTEL_RESOURCE_ATTRIBUTES.
  const resource = resourceFromAttributes({ 'service.name': 'taiga-mcp', 'service.version': version }).merge(detectResources({ detectors: [envDetector] }));
  const provider = new BasicTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(exporter)] });
  if (!contextManagerInstalled) contextManagerInstalled = context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const tracer = provider.getTracer('taiga-mcp', version);
  const propagator = new W3CTraceContextPropagator();

  const fail = (span: Span, code: string): void => {
    span.setAttribute('error.type', code);
    // No status message: an error's text may hold what the caller typed.
    span.setStatus({ code: SpanStatusCode.ERROR });
  };

  logger.info({ endpoint: new URL(otlp.endpoint).origin, protocol: otlp.protocol }, 'tracing: spans are exported over OTLP/HTTP');

  return {
    toolCall({ method, tool, principal, parent }, run) {
      const parentContext = parent ? propagator.extract(ROOT_CONTEXT, parent, defaultTextMapGetter) : ROOT_CONTEXT;
      const attributes: Attributes = { 'mcp.method.name': method, 'taiga_mcp.principal_digest': principalDigest(principal) };
      // A resource, prompt or completion request runs an internal tool: a name of ours, not the client's.
      if (method === 'tools/call') attributes['gen_ai.tool.name'] = tool;
      const span = tracer.startSpan(method === 'tools/call' ? `tools/call ${tool}` : method, { kind: SpanKind.SERVER, attributes }, parentContext);
      return context.with(trace.setSpan(parentContext, span), () =>
        run((outcome, project) => {
          // An attribute whose value is undefined (no project known) is not set.
          span.setAttributes({ 'taiga_mcp.outcome': outcome, 'taiga_mcp.project.id': project });
          if (outcome !== 'ok' && outcome !== 'input_required') fail(span, outcome);
          span.end();
        }),
      );
    },

    taigaRequest(method, path, origin, attempt) {
      if (!trace.getActiveSpan()) return undefined;
      const route = routeTemplate(path);
      const attributes: Attributes = { 'http.request.method': method, 'url.template': route, ...serverOf(origin) };
      if (attempt > 1) attributes['http.request.resend_count'] = attempt - 1;
      const span = tracer.startSpan(`${method} ${route}`, { kind: SpanKind.CLIENT, attributes });
      return (outcome) => {
        if (typeof outcome === 'number') {
          span.setAttribute('http.response.status_code', outcome);
          if (outcome >= 400) fail(span, String(outcome));
        } else fail(span, outcome);
        span.end();
      };
    },

    traceStore(store, kind) {
      return tracedStore(store, async (operation, run) => {
        if (!trace.getActiveSpan()) return run();
        const attributes: Attributes = { 'taiga_mcp.store.kind': kind, 'taiga_mcp.store.operation': operation };
        if (kind === 'redis') attributes['db.system.name'] = 'redis';
        const span = tracer.startSpan(`store ${operation}`, { kind: kind === 'redis' ? SpanKind.CLIENT : SpanKind.INTERNAL, attributes });
        try {
          return await run();
        } catch (err) {
          fail(span, (err as { code?: unknown })?.code === 'STORE_UNAVAILABLE' ? 'STORE_UNAVAILABLE' : 'error');
          throw err;
        } finally {
          span.end();
        }
      });
    },

    async shutdown() {
      let timer: NodeJS.Timeout | undefined;
      const limit = new Promise<void>((resolve) => (timer = setTimeout(resolve, limits.flushMs)));
      await Promise.race([provider.shutdown().catch(() => undefined), limit]);
      clearTimeout(timer);
    },
  };
}
