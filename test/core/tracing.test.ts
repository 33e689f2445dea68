import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { diag } from '@opentelemetry/api';
import { TaigaMcpError } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import { routeTemplate } from '../../core/tracing/route-template.js';
import { tracedStore } from '../../core/tracing/traced-store.js';
import { principalDigest, startOtelTracing, tracesUrl } from '../../core/tracing/otel.js';
import { MemoryStore } from '../../core/sessions/memory-store.js';
import type { StateStore } from '../../core/sessions/types.js';
import { startOtlpReceiver } from '../helpers/otlp-receiver.js';

// The tracer in-process, exporting to the loopback receiver: what is and is not a span, and how it
// behaves when the collector fails or does not answer.

const SERVER = 2;
const CLIENT = 3;
const ERROR = 2;

function capturedLogger(): { logger: ReturnType<typeof createLogger>; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger('info', new Writable({ write(chunk, _e, done) { lines.push(JSON.parse(String(chunk)) as Record<string, unknown>); done(); } }));
  return { logger, lines };
}

async function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

test('a route is its template: ids become {id}, anything that is not a route word {value}', () => {
  assert.equal(routeTemplate('/userstories/42/watch'), '/userstories/{id}/watch');
  assert.equal(routeTemplate('/wiki/by_slug'), '/wiki/by_slug');
  assert.equal(routeTemplate('/custom-attributes-values/userstory/7'), '/custom-attributes-values/userstory/{id}');
  assert.equal(routeTemplate('/projects/My-Project/a%20b/x.y/-1/'), '/projects/{value}/{value}/{value}/{value}/');
  assert.equal(routeTemplate(`/${'a'.repeat(48)}/${'a'.repeat(49)}`), `/${'a'.repeat(48)}/{value}`, 'a very long word may be a slug');
  assert.equal(routeTemplate('/{file}'), '/{file}');
  assert.equal(routeTemplate('/{File}'), '/{value}');
  assert.equal(routeTemplate('/12abc/{id}x/x{id}'), '/{value}/{value}/{value}', 'only a whole segment is an id or a placeholder');
  assert.equal(routeTemplate('/'), '/');
});

test('the traces URL: a bare collector address gets /v1/traces; a path given is kept', () => {
  assert.equal(tracesUrl('http://collector:4318'), 'http://collector:4318/v1/traces');
  assert.equal(tracesUrl('http://collector:4318/'), 'http://collector:4318/');
  assert.equal(tracesUrl('https://vendor.example/otlp/v1/traces'), 'https://vendor.example/otlp/v1/traces');
});

test('the principal digest is the first 16 hex digits of its SHA-256', () => {
  assert.equal(principalDigest('alice'), createHash('sha256').update('alice').digest('hex').slice(0, 16));
});

test('the traced store runs every operation of the store, with its arguments and result, each by name', async () => {
  const store = new MemoryStore({ maxSessions: 10 });
  const names: string[] = [];
  const traced = tracedStore(store, (operation, run) => {
    names.push(operation);
    return run();
  });
  assert.equal(await traced.takeToken('k', 2, 1), await store.takeToken('k2', 2, 1));
  assert.equal(await traced.takeToken('k', 2, 1), 0);
  assert.ok(Math.abs((await traced.now()) - Date.now()) < 60_000);
  assert.equal(await traced.ready(), true);
  assert.equal(await traced.activeSessions(), 0);
  assert.deepEqual(names, ['takeToken', 'takeToken', 'now', 'ready', 'activeSessions']);
  await traced.close();
});

test('spans only inside a call: one Taiga request and one store operation are its children; outside a call, neither is traced', async (t) => {
  const receiver = await startOtlpReceiver();
  t.after(() => receiver.close());
  const { logger } = capturedLogger();
  const tracing = startOtelTracing({ endpoint: receiver.url, headers: {}, protocol: 'http/json' }, logger, '9.9.9');
  const store: StateStore = tracing.traceStore(new MemoryStore({ maxSessions: 10 }), 'memory');
  // Outside a call (the session sweep, a readiness probe): nothing.
  assert.equal(tracing.taigaRequest('GET', '/', 'https://taiga.example', 1), undefined);
  await store.sweep();
  const traceId = 'ab'.repeat(16);
  await assert.rejects(
    tracing.toolCall({ method: 'tools/call', tool: 'get_issue', principal: 'bob', parent: { traceparent: `00-${traceId}-${'cd'.repeat(8)}-01`, tracestate: 'vendor=1' } }, async (end) => {
      const endRequest = tracing.taigaRequest('GET', '/issues/9', 'https://taiga.example', 2);
      assert.ok(endRequest);
      endRequest('TAIGA_TIMEOUT');
      tracing.taigaRequest('GET', '/projects/3', 'http://taiga.example', 1)?.(400);
      await store.takeToken('bucket', 1, 1);
      end('TAIGA_TIMEOUT', 9);
      throw new Error('the call failed with a message that must not be exported');
    }),
  );
  await tracing.shutdown();
  const spans = receiver.spans();
  assert.deepEqual(spans.map((s) => s.name).sort(), ['GET /issues/{id}', 'GET /projects/{id}', 'store takeToken', 'tools/call get_issue']);
  const call = spans.find((s) => s.kind === SERVER)!;
  assert.deepEqual(
    [call.traceId, call.parentSpanId, call.traceState, call.status.code, call.status.message, call.attributes['taiga_mcp.outcome'], call.attributes['error.type'], call.attributes['taiga_mcp.project.id'], call.resource['service.version']],
    [traceId, 'cd'.repeat(8), 'vendor=1', ERROR, '', 'TAIGA_TIMEOUT', 'TAIGA_TIMEOUT', 9, '9.9.9'],
  );
  for (const span of spans) assert.deepEqual([span.scope, span.resource['service.name']], ['taiga-mcp', 'taiga-mcp'], span.name);
  const request = spans.find((s) => s.name === 'GET /issues/{id}')!;
  assert.deepEqual(request.attributes, { 'http.request.method': 'GET', 'url.template': '/issues/{id}', 'server.address': 'taiga.example', 'server.port': 443, 'http.request.resend_count': 1, 'error.type': 'TAIGA_TIMEOUT' });
  const refused = spans.find((s) => s.name === 'GET /projects/{id}')!;
  assert.deepEqual([refused.kind, refused.status.code], [CLIENT, ERROR], 'a 400 is a failed request');
  assert.deepEqual(refused.attributes, { 'http.request.method': 'GET', 'url.template': '/projects/{id}', 'server.address': 'taiga.example', 'server.port': 80, 'http.response.status_code': 400, 'error.type': '400' });
  for (const child of spans.filter((s) => s !== call)) assert.equal(child.parentSpanId, call.spanId, child.name);
  assert.ok(!receiver.everything().includes('must not be exported'));
});

test('two tracers in one process (the test kit starts several apps): the second one still links children to their call', async (t) => {
  const receiver = await startOtlpReceiver();
  t.after(() => receiver.close());
  const { logger, lines } = capturedLogger();
  for (const version of ['1', '2']) {
    const tracing = startOtelTracing({ endpoint: receiver.url, headers: {}, protocol: 'http/protobuf' }, logger, version);
    await tracing.toolCall({ method: 'prompts/get', tool: 'mcp_prompts_get', principal: 'p', parent: undefined }, async (end) => {
      tracing.taigaRequest('POST', '/auth', 'http://127.0.0.1:8000', 1)?.(200);
      end('ok', undefined);
    });
    await tracing.shutdown();
  }
  const spans = receiver.spans();
  assert.equal(spans.length, 4);
  for (const version of ['1', '2']) {
    const call = spans.find((s) => s.name === 'prompts/get' && s.resource['service.version'] === version)!;
    assert.equal(call.attributes['gen_ai.tool.name'], undefined, 'an internal tool is not a tool the client called');
    const auth = spans.find((s) => s.name === 'POST /auth' && s.resource['service.version'] === version);
    assert.deepEqual([auth?.parentSpanId, auth?.attributes['server.port'], auth?.attributes['error.type'], auth?.status.code], [call.spanId, 8000, undefined, 0]);
    assert.ok(!('taiga_mcp.project.id' in call.attributes), 'no project known, none said');
  }
  assert.deepEqual(lines.filter((l) => l['level'] !== 'info'), [], 'nothing refused');
});

test('a collector that refuses every export is logged once per interval, not once per batch', async (t) => {
  let exports = 0;
  const { server, url } = await listen((req, res) => {
    req.resume();
    req.on('end', () => {
      exports++;
      res.writeHead(400).end();
    });
  });
  t.after(() => new Promise((resolve) => server.close(resolve)));
  // A batch of one span: each span is an export of its own (the processor reads this at its start).
  process.env['OTEL_BSP_MAX_EXPORT_BATCH_SIZE'] = '1';
  t.after(() => delete process.env['OTEL_BSP_MAX_EXPORT_BATCH_SIZE']);
  const warnings = async (diagIntervalMs: number): Promise<number> => {
    const before = exports;
    const { logger, lines } = capturedLogger();
    const tracing = startOtelTracing({ endpoint: url, headers: {}, protocol: 'http/json' }, logger, '1', { flushMs: 5000, diagIntervalMs });
    for (let i = 0; i < 3; i++) {
      await tracing.toolCall({ method: 'tools/call', tool: 'x', principal: 'p', parent: undefined }, async (end) => end('ok', undefined));
      while (exports - before <= i) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await tracing.shutdown();
    return lines.filter((l) => l['msg'] === 'tracing: exporting spans failed (said at most once a minute)').length;
  };
  assert.equal(await warnings(0), 3, 'every failure reaches the log when nothing holds it back');
  assert.equal(await warnings(60_000), 1);
});

test('export failures are logged at most once per interval, measured by the clock given', async (t) => {
  const { logger, lines } = capturedLogger();
  const times = [0, 60_000, 119_999, 120_000];
  const tracing = startOtelTracing({ endpoint: 'http://127.0.0.1:9', headers: {}, protocol: 'http/json' }, logger, '1', { flushMs: 1000, diagIntervalMs: 60_000 }, () => times.shift()!);
  t.after(() => tracing.shutdown());
  for (const message of ['first', 'a minute on', 'a minute less one ms after that', 'a whole minute after']) diag.error(message);
  assert.deepEqual(lines.filter((l) => l['level'] === 'warn').map((l) => l['err']), ['first', 'a minute on', 'a whole minute after']);
});

test('a store operation that fails marks its span: STORE_UNAVAILABLE when the store is down, error otherwise; the error reaches the caller', async (t) => {
  const receiver = await startOtlpReceiver();
  t.after(() => receiver.close());
  const { logger } = capturedLogger();
  const tracing = startOtelTracing({ endpoint: receiver.url, headers: {}, protocol: 'http/json' }, logger, '1');
  class FailingStore extends MemoryStore {
    override async takeToken(): Promise<number> {
      throw new TaigaMcpError('STORE_UNAVAILABLE');
    }
    override async claimOnce(): Promise<boolean> {
      throw new Error('a bug of the store');
    }
    override sweep(): Promise<number> {
      return Promise.reject(undefined); // a store that fails with no error at all
    }
  }
  const store = tracing.traceStore(new FailingStore({ maxSessions: 10 }), 'memory');
  await tracing.toolCall({ method: 'tools/call', tool: 'x', principal: 'p', parent: undefined }, async (end) => {
    await assert.rejects(store.takeToken('k', 1, 1), { code: 'STORE_UNAVAILABLE' });
    await assert.rejects(store.claimOnce('k', 1000), { message: 'a bug of the store' });
    await assert.rejects(store.sweep(), (err) => err === undefined);
    assert.equal(await store.ready(), true);
    end('ok', undefined);
  });
  await tracing.shutdown();
  const byName = new Map(receiver.spans().map((s) => [s.name, s]));
  assert.deepEqual(
    ['store takeToken', 'store claimOnce', 'store sweep', 'store ready'].map((name) => [byName.get(name)?.attributes['error.type'], byName.get(name)?.status.code]),
    [['STORE_UNAVAILABLE', ERROR], ['error', ERROR], ['error', ERROR], [undefined, 0]],
  );
});

test('shutdown stops waiting for a collector that does not answer (an exit is never held up)', { timeout: 30_000 }, async (t) => {
  const waiting: ServerResponse[] = [];
  const { server, url } = await listen((req, res) => {
    req.resume();
    waiting.push(res);
  });
  t.after(() => {
    // Answered at last, with a refusal that is not retried (a reset would be, for seconds).
    for (const res of waiting) res.writeHead(400).end();
    return new Promise((resolve) => server.close(resolve));
  });
  // The exporter itself would wait ten minutes.
  process.env['OTEL_EXPORTER_OTLP_TRACES_TIMEOUT'] = '600000';
  t.after(() => delete process.env['OTEL_EXPORTER_OTLP_TRACES_TIMEOUT']);
  const { logger } = capturedLogger();
  const tracing = startOtelTracing({ endpoint: url, headers: {}, protocol: 'http/protobuf' }, logger, '1', { flushMs: 200, diagIntervalMs: 60_000 });
  await tracing.toolCall({ method: 'tools/call', tool: 'x', principal: 'p', parent: undefined }, async (end) => end('ok', undefined));
  await tracing.shutdown();
});
