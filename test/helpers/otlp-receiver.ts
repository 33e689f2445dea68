// A real OTLP/HTTP trace receiver on 127.0.0.1 for the tests: it takes what an exporter POSTs to
// /v1/traces, in protobuf or JSON, answers as a collector does, and decodes every span. The protobuf
// decoder is written here from the wire format and opentelemetry-proto's trace.proto field numbers,
// independently of the exporter's own serializer, so that a test reads what went over the wire.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export type AttributeValue = string | number | boolean | AttributeValue[] | null;

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  /** '' for a root span. */
  parentSpanId: string;
  traceState: string;
  name: string;
  /** SpanKind of the proto: 1 internal, 2 server, 3 client. */
  kind: number;
  attributes: Record<string, AttributeValue>;
  /** Status code of the proto: 0 unset, 1 ok, 2 error. */
  status: { code: number; message: string };
  resource: Record<string, AttributeValue>;
  scope: string;
}

export interface ReceivedRequest {
  path: string;
  contentType: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface OtlpReceiver {
  /** The base URL, as OTEL_EXPORTER_OTLP_ENDPOINT takes it (`/v1/traces` is added by the client). */
  readonly url: string;
  readonly requests: ReceivedRequest[];
  spans(): ReceivedSpan[];
  /** Every byte received, bodies and header values, for the leak checks. */
  everything(): Buffer;
  /** Resolves once `pick` finds what it wants among the spans received, or rejects after `ms`. */
  waitFor<T>(pick: (spans: ReceivedSpan[]) => T | undefined, ms?: number): Promise<T>;
  close(): Promise<void>;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const requests: ReceivedRequest[] = [];
  const spans: ReceivedSpan[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const contentType = String(req.headers['content-type'] ?? '');
      requests.push({ path: req.url ?? '', contentType, headers: req.headers, body });
      if (req.method !== 'POST' || req.url !== '/v1/traces') return void res.writeHead(404).end();
      try {
        if (contentType.startsWith('application/x-protobuf')) spans.push(...decodeProtobufRequest(body));
        else if (contentType.startsWith('application/json')) spans.push(...decodeJsonRequest(JSON.parse(body.toString('utf8'))));
        else return void res.writeHead(415).end();
      } catch (err) {
        return void res.writeHead(400, { 'content-type': 'text/plain' }).end(`undecodable: ${(err as Error).message}`);
      }
      // An empty ExportTraceServiceResponse: nothing rejected.
      if (contentType.startsWith('application/json')) res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      else res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    spans: () => [...spans],
    everything: () => Buffer.concat(requests.flatMap((r) => [Buffer.from(JSON.stringify(r.headers)), r.body])),
    async waitFor(pick, ms = 15_000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const found = pick([...spans]);
        if (found !== undefined) return found;
        if (Date.now() > deadline) throw new Error(`the receiver did not get the expected spans in ${ms} ms; it has ${spans.length}: ${spans.map((s) => s.name).join(', ')}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// ---- protobuf: the wire format (varint, 64-bit, length-delimited, 32-bit) and the few messages a trace export holds

type Value = bigint | Buffer;
interface Field {
  no: number;
  wire: number;
  value: Value;
}

function* fieldsOf(buf: Buffer): Generator<Field> {
  let at = 0;
  const varint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (at >= buf.length) throw new Error('truncated varint');
      const byte = buf[at++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return result;
    }
  };
  while (at < buf.length) {
    const key = Number(varint());
    const no = key >>> 3;
    const wire = key & 7;
    if (wire === 0) yield { no, wire, value: varint() };
    else if (wire === 1) {
      yield { no, wire, value: buf.subarray(at, at + 8) };
      at += 8;
    } else if (wire === 2) {
      const length = Number(varint());
      if (at + length > buf.length) throw new Error('truncated field');
      yield { no, wire, value: buf.subarray(at, at + length) };
      at += length;
    } else if (wire === 5) {
      yield { no, wire, value: buf.subarray(at, at + 4) };
      at += 4;
    } else throw new Error(`wire type ${wire} not in the OTLP trace messages`);
  }
}

const bytes = (v: Value): Buffer => v as Buffer;
const text = (v: Value): string => bytes(v).toString('utf8');
const hex = (v: Value): string => bytes(v).toString('hex');

/** AnyValue: 1 string, 2 bool, 3 int64, 4 double, 5 ArrayValue (1: repeated AnyValue), 7 bytes. */
function anyValue(buf: Buffer): AttributeValue {
  for (const f of fieldsOf(buf)) {
    if (f.no === 1) return text(f.value);
    if (f.no === 2) return f.value === 1n;
    if (f.no === 3) return Number(BigInt.asIntN(64, f.value as bigint));
    if (f.no === 4) return bytes(f.value).readDoubleLE(0);
    if (f.no === 5) return [...fieldsOf(bytes(f.value))].filter((e) => e.no === 1).map((e) => anyValue(bytes(e.value)));
    if (f.no === 7) return hex(f.value);
  }
  return null;
}

/** Repeated KeyValue (1 key, 2 AnyValue) into a record. */
function keyValues(messages: Buffer[]): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const kv of messages) {
    let key = '';
    let value: AttributeValue = null;
    for (const f of fieldsOf(kv)) {
      if (f.no === 1) key = text(f.value);
      if (f.no === 2) value = anyValue(bytes(f.value));
    }
    out[key] = value;
  }
  return out;
}

const repeated = (buf: Buffer, no: number): Buffer[] => [...fieldsOf(buf)].filter((f) => f.no === no).map((f) => bytes(f.value));

/** ExportTraceServiceRequest: 1 ResourceSpans (1 Resource (1 attributes), 2 ScopeSpans (1 scope (1 name), 2 Span)). */
export function decodeProtobufRequest(body: Buffer): ReceivedSpan[] {
  const out: ReceivedSpan[] = [];
  for (const resourceSpans of repeated(body, 1)) {
    const resource = keyValues(repeated(repeated(resourceSpans, 1)[0] ?? Buffer.alloc(0), 1));
    for (const scopeSpans of repeated(resourceSpans, 2)) {
      const scopeMessage = repeated(scopeSpans, 1)[0];
      const scope = scopeMessage ? text(repeated(scopeMessage, 1)[0] ?? Buffer.alloc(0)) : '';
      for (const span of repeated(scopeSpans, 2)) out.push(decodeSpan(span, resource, scope));
    }
  }
  return out;
}

/** Span: 1 trace_id, 2 span_id, 3 trace_state, 4 parent_span_id, 5 name, 6 kind, 9 attributes, 15 status (2 message, 3 code). */
function decodeSpan(buf: Buffer, resource: Record<string, AttributeValue>, scope: string): ReceivedSpan {
  const span: ReceivedSpan = { traceId: '', spanId: '', parentSpanId: '', traceState: '', name: '', kind: 0, attributes: {}, status: { code: 0, message: '' }, resource, scope };
  const attributes: Buffer[] = [];
  for (const f of fieldsOf(buf)) {
    if (f.no === 1) span.traceId = hex(f.value);
    else if (f.no === 2) span.spanId = hex(f.value);
    else if (f.no === 3) span.traceState = text(f.value);
    else if (f.no === 4) span.parentSpanId = hex(f.value);
    else if (f.no === 5) span.name = text(f.value);
    else if (f.no === 6) span.kind = Number(f.value);
    else if (f.no === 9) attributes.push(bytes(f.value));
    else if (f.no === 15) {
      for (const s of fieldsOf(bytes(f.value))) {
        if (s.no === 2) span.status.message = text(s.value);
        if (s.no === 3) span.status.code = Number(s.value);
      }
    }
  }
  span.attributes = keyValues(attributes);
  return span;
}

// ---- JSON: the OTLP/JSON mapping (lowerCamelCase fields, ids as hex strings, enums as integers)

interface JsonKeyValue {
  key: string;
  value?: JsonAnyValue;
}
interface JsonAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
  arrayValue?: { values?: JsonAnyValue[] };
  bytesValue?: string;
}
interface JsonSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  traceState?: string;
  name: string;
  kind?: number;
  attributes?: JsonKeyValue[];
  status?: { code?: number; message?: string };
}
interface JsonRequest {
  resourceSpans?: Array<{ resource?: { attributes?: JsonKeyValue[] }; scopeSpans?: Array<{ scope?: { name?: string }; spans?: JsonSpan[] }> }>;
}

function jsonValue(v: JsonAnyValue | undefined): AttributeValue {
  if (!v) return null;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.arrayValue) return (v.arrayValue.values ?? []).map(jsonValue);
  if (v.bytesValue !== undefined) return Buffer.from(v.bytesValue, 'base64').toString('hex');
  return null;
}

const jsonAttributes = (list: JsonKeyValue[] | undefined): Record<string, AttributeValue> => Object.fromEntries((list ?? []).map((kv) => [kv.key, jsonValue(kv.value)]));

export function decodeJsonRequest(body: JsonRequest): ReceivedSpan[] {
  if (!Array.isArray(body.resourceSpans)) throw new Error('no resourceSpans');
  return body.resourceSpans.flatMap((rs) =>
    (rs.scopeSpans ?? []).flatMap((ss) =>
      (ss.spans ?? []).map((s) => ({
        traceId: s.traceId,
        spanId: s.spanId,
        parentSpanId: s.parentSpanId ?? '',
        traceState: s.traceState ?? '',
        name: s.name,
        kind: s.kind ?? 0,
        attributes: jsonAttributes(s.attributes),
        status: { code: s.status?.code ?? 0, message: s.status?.message ?? '' },
        resource: jsonAttributes(rs.resource?.attributes),
        scope: ss.scope?.name ?? '',
      })),
    ),
  );
}
