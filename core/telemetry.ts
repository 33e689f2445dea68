import type { TaigaHttpObserver } from './taiga/http.js';

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
