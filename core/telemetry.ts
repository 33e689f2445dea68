import type { Config } from './config/schema.js';
import type { Logger } from './logger.js';
import type { TaigaHttpObserver } from './taiga/http.js';
import type { Tracing } from './tracing/types.js';
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

/** The configured tracing; OpenTelemetry is imported only here, and only when `telemetry.otlp` is set. */
export async function startTracing(config: Config, logger: Logger): Promise<Tracing | undefined> {
  if (!config.telemetry.otlp) return undefined;
  const { startOtelTracing } = await import('./tracing/otel.js');
  return startOtelTracing(config.telemetry.otlp, logger, SERVER_VERSION);
}
