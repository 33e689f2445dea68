import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Telemetry } from '../telemetry.js';

/** Outcomes that are someone's limit rather than a failure of the call itself. */
const RATE_LIMITED = 'RATE_LIMITED';
const STORE_UNAVAILABLE = 'STORE_UNAVAILABLE';

export interface Metrics extends Telemetry {
  readonly registry: Registry;
  /** Prometheus text exposition. */
  render(): Promise<{ contentType: string; body: string }>;
  httpRequest(route: string, status: number): void;
  storeError(operation: string): void;
  /** Counts the sessions at each scrape (the store knows; a count may be costly, so only then). */
  countSessionsWith(count: () => Promise<number>): void;
}

/**
 * The server's Prometheus metrics, in a registry of its own (never the global one: two servers
 * in one process, as in tests, must not share counters). Labels are bounded: tool names come
 * from the enabled set, outcomes from the error catalog, statuses from HTTP.
 */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'taiga_mcp_' });
  const calls = new Counter({ name: 'taiga_mcp_tool_calls_total', help: 'Tool calls by tool and outcome (ok or an error code).', labelNames: ['tool', 'outcome'], registers: [registry] });
  const duration = new Histogram({
    name: 'taiga_mcp_tool_call_duration_seconds',
    help: 'Tool call duration, pipeline included.',
    labelNames: ['tool'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const taiga = new Counter({ name: 'taiga_mcp_taiga_requests_total', help: 'Requests to Taiga by method and status (or error code when no answer came).', labelNames: ['method', 'status'], registers: [registry] });
  const taigaDuration = new Histogram({ name: 'taiga_mcp_taiga_request_duration_seconds', help: 'Duration of one request to Taiga (one attempt).', labelNames: ['method'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [registry] });
  const retries = new Counter({ name: 'taiga_mcp_taiga_retries_total', help: 'Retried requests to Taiga (reads only).', labelNames: ['method'], registers: [registry] });
  const limited = new Counter({ name: 'taiga_mcp_rate_limit_rejections_total', help: 'Calls refused by a rate limit (tool calls and logins).', labelNames: ['tool'], registers: [registry] });
  const storeErrors = new Counter({ name: 'taiga_mcp_store_errors_total', help: 'Failures of the session store (Redis unreachable, timed out).', labelNames: ['operation'], registers: [registry] });
  const http = new Counter({ name: 'taiga_mcp_http_requests_total', help: 'HTTP requests by route and status.', labelNames: ['route', 'status'], registers: [registry] });
  let countSessions: (() => Promise<number>) | undefined;
  new Gauge({
    name: 'taiga_mcp_sessions_active',
    help: 'Sessions opened with login that have not expired.',
    registers: [registry],
    async collect() {
      if (!countSessions) return;
      try {
        this.set(await countSessions());
      } catch {
        storeErrors.inc({ operation: 'count' });
      }
    },
  });

  return {
    registry,
    toolCall(tool, outcome, seconds) {
      calls.inc({ tool, outcome });
      duration.observe({ tool }, seconds);
      if (outcome === RATE_LIMITED) limited.inc({ tool });
      if (outcome === STORE_UNAVAILABLE) storeErrors.inc({ operation: 'tool_call' });
    },
    taiga: {
      attempt(method, outcome, ms) {
        taiga.inc({ method, status: String(outcome) });
        taigaDuration.observe({ method }, ms / 1000);
      },
      retry: (method) => retries.inc({ method }),
    },
    httpRequest: (route, status) => http.inc({ route, status: String(status) }),
    storeError: (operation) => storeErrors.inc({ operation }),
    countSessionsWith(count) {
      countSessions = count;
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
