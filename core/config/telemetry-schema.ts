import * as v from 'valibot';
import { TaigaMcpError } from '../errors.js';
import { envValue, parseBoolean } from './env-value.js';
import { matching } from './matching.js';

/** An HTTP header name (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** A header value that cannot end the header early: no CR, LF or other control characters. */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

export const PROTOCOLS = ['http/protobuf', 'http/json'] as const;

/** Where traces go: an OTLP/HTTP receiver (an OpenTelemetry Collector, Jaeger, Tempo, a vendor's endpoint). */
const OtlpConfig = v.strictObject({
  endpoint: v.pipe(
    v.string(),
    v.maxLength(2048),
    v.url(),
    matching(/^https?:\/\//, 'an http:// or https:// URL'),
    v.description('The OTLP/HTTP traces URL, e.g. http://collector:4318/v1/traces (a URL with no path gets /v1/traces). Or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, or OTEL_EXPORTER_OTLP_ENDPOINT plus /v1/traces.'),
  ),
  headers: v.optional(
    v.pipe(
      v.record(v.pipe(v.string(), v.maxLength(100), matching(HEADER_NAME, 'an HTTP header name')), v.pipe(v.string(), v.maxLength(8192), matching(HEADER_VALUE, 'a header value without control characters'))),
      v.description('Headers sent with every export (an API key of the tracing backend). Or OTEL_EXPORTER_OTLP_HEADERS / OTEL_EXPORTER_OTLP_TRACES_HEADERS (key=value,key2=value2).'),
    ),
    {},
  ),
  protocol: v.optional(v.pipe(v.picklist(PROTOCOLS), v.description('Or OTEL_EXPORTER_OTLP_PROTOCOL / OTEL_EXPORTER_OTLP_TRACES_PROTOCOL.')), 'http/protobuf'),
});

export const TelemetryConfig = v.strictObject({
  otlp: v.optional(OtlpConfig),
});

export type OtlpSettings = v.InferOutput<typeof OtlpConfig>;

/** The standard OTel variables this server reads (the exporter also reads the timeout and certificate ones itself). */
export const OTEL_ENV = {
  endpoint: ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'OTEL_EXPORTER_OTLP_ENDPOINT'],
  headers: ['OTEL_EXPORTER_OTLP_TRACES_HEADERS', 'OTEL_EXPORTER_OTLP_HEADERS'],
  protocol: ['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', 'OTEL_EXPORTER_OTLP_PROTOCOL'],
} as const;

type Raw = Record<string, unknown>;

/**
 * Applies the standard `OTEL_*` variables over `telemetry.otlp` of the config file, each over the
 * key it names (the `_TRACES_` one before the general one). Tracing is on when an endpoint is set
 * somewhere; headers or a protocol alone turn nothing on. OTEL_SDK_DISABLED=true or
 * OTEL_TRACES_EXPORTER=none turn it off whatever else is set, as in any OTel SDK.
 */
export function otlpFromEnv(raw: Raw, env: NodeJS.ProcessEnv, origin: Map<string, string>): void {
  const telemetry = objectAt(raw['telemetry']);
  // Not an object: left as it is, for the schema to refuse (the variables never paper over it).
  if (!telemetry) return;
  // Stryker disable next-line StringLiteral: unset reads as '', which parseBoolean takes for neither true nor false, like any other text.
  if (parseBoolean(envValue(env, 'OTEL_SDK_DISABLED') ?? '') === true || envValue(env, 'OTEL_TRACES_EXPORTER')?.trim().toLowerCase() === 'none') {
    delete telemetry['otlp'];
    return;
  }
  const [specific, general] = OTEL_ENV.endpoint.map((name) => envValue(env, name));
  const endpoint = specific ?? (general === undefined ? undefined : `${general.replace(/\/+$/, '')}/v1/traces`);
  const configured = objectAt(telemetry['otlp']);
  if (!configured || (endpoint === undefined && configured['endpoint'] === undefined)) return;
  const otlp: Raw = { ...configured };
  const set = (key: keyof typeof OTEL_ENV, value: unknown, name: string) => {
    otlp[key] = value;
    origin.set(`telemetry.otlp.${key}`, name);
  };
  if (endpoint !== undefined) set('endpoint', endpoint, specific === undefined ? OTEL_ENV.endpoint[1] : OTEL_ENV.endpoint[0]);
  for (const name of OTEL_ENV.protocol) {
    const value = envValue(env, name);
    if (value !== undefined) {
      set('protocol', value.trim(), name);
      break;
    }
  }
  // The general headers, then the traces-only ones over them (key by key, as the exporter merges them).
  const headers = OTEL_ENV.headers
    .slice()
    .reverse()
    .filter((name) => envValue(env, name) !== undefined);
  if (headers.length > 0) set('headers', Object.assign({}, ...headers.map((name) => parseHeaders(envValue(env, name)!, name))), headers.join(' + '));
  raw['telemetry'] = { ...telemetry, otlp };
}

/** An absent key as {}, an object as itself, anything else undefined. */
const objectAt = (value: unknown): Raw | undefined => (value == null ? {} : typeof value === 'object' ? (value as Raw) : undefined);

/** `key=value,key2=value2`, values percent-encoded (the W3C Baggage format the OTel spec names). A value is never echoed. */
function parseHeaders(text: string, variable: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const item of text.split(',')) {
    if (item.trim() === '') continue;
    const eq = item.indexOf('=');
    // Stryker disable next-line EqualityOperator: at 0 (`=value`) the name is '' either way.
    const name = eq < 0 ? '' : item.slice(0, eq).trim();
    let value: string | undefined;
    try {
      value = decodeURIComponent(item.slice(eq + 1).trim());
    } catch {
      // Not percent-encoded: refused below.
    }
    if (!name || value === undefined) throw new TaigaMcpError('CONFIG_INVALID', { message: `${variable}: expected name=value pairs separated by commas (values percent-encoded)` });
    headers[name] = value;
  }
  return headers;
}
