import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Client as ModernClient, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { newApiKey } from '../../core/http/auth/api-keys.js';
import { dataOf, errorOf, startHarness } from '../helpers/stdio-harness.js';
import { messageOf, rawRequest, rpc, startHttpMcp } from '../helpers/http-server.js';
import { testRedisUrl } from '../helpers/redis-server.js';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../helpers/otlp-receiver.js';

// The built server, spawned over stdio and over HTTP with tracing configured the two ways an
// operator does it (OTEL_* variables; telemetry.otlp in the config file), exporting to a real
// OTLP/HTTP receiver on loopback in both protocols; every check reads what went over the wire.

let emulator: Emulator;
before(async () => {
  emulator = await startEmulator();
});
after(async () => {
  await emulator.close();
});

const hexId = (bytes: number): string => randomBytes(bytes).toString('hex');
const traceparent = (traceId: string, spanId: string): string => `00-${traceId}-${spanId}-01`;
const digest = (principal: string): string => createHash('sha256').update(principal).digest('hex').slice(0, 16);

const SERVER = 2;
const CLIENT = 3;
const INTERNAL = 1;
const ERROR = 2;

const JWT = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/;
const SECRET_WORDS = ['taigaadmin', '123123'];

/** The one tool span of `traceId` named `name`, and the spans whose parent it is. */
function callOf(spans: ReceivedSpan[], traceId: string, name: string): { call: ReceivedSpan; children: ReceivedSpan[] } | undefined {
  const call = spans.find((s) => s.traceId === traceId && s.name === name);
  return call && { call, children: spans.filter((s) => s.parentSpanId === call.spanId) };
}

/** What an exporter sent, bodies only (the collector's own key is meant to be in the headers). */
const bodies = (receiver: OtlpReceiver): string => Buffer.concat(receiver.requests.map((r) => r.body)).toString('latin1');

/** OpenTelemetry as Node's module loader names it with NODE_DEBUG=esm: the bundle's chunk, or the unbundled module and packages. */
const OTEL_CHUNK = /taiga-mcp-otel-\w+\.mjs|\/tracing\/otel\.js|@opentelemetry/;

test('off (no endpoint, or OTEL_SDK_DISABLED): the server never loads OpenTelemetry', async () => {
  const envs: Array<Record<string, string>> = [{}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9', OTEL_SDK_DISABLED: 'true' }];
  for (const env of envs) {
    const h = await startHarness({ emulator, env: { ...env, NODE_DEBUG: 'esm' } });
    try {
      dataOf(await h.client.callTool({ name: 'get_user_story', arguments: { user_story_id: 3 } }) as CallToolResult);
    } finally {
      await h.close();
    }
    // The lazy chunk of the first Taiga request shows that the loader's lines are there to read.
    assert.match(h.stderr(), /ESM \d+: .*undici/);
    assert.doesNotMatch(h.stderr(), OTEL_CHUNK, JSON.stringify(env));
  }
});

function assertNoSecrets(sent: string, extra: string[]): void {
  for (const word of SECRET_WORDS) assert.doesNotMatch(sent, new RegExp(`(?<!\\w)${word}(?!\\w)`), `password ${word} exported`);
  assert.doesNotMatch(sent, JWT, 'a Taiga token exported');
  assert.doesNotMatch(sent, /Bearer |Application /, 'an Authorization value exported');
  for (const text of extra) assert.ok(!sent.includes(text), `${text.slice(0, 12)}… exported`);
}

test('stdio, http/protobuf from OTEL_* variables: a call with a _meta traceparent is one trace, tool → Taiga requests and store operations', async (t) => {
  const receiver = await startOtlpReceiver();
  t.after(() => receiver.close());
  const h = await startHarness({
    emulator,
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-collector-key=collector%20key',
      OTEL_SERVICE_NAME: 'taiga-mcp-under-test',
      TAIGA_TOOLSETS: 'all',
      NODE_DEBUG: 'esm',
    },
    // The person behind the agent declines a deletion.
    elicitation: async () => ({ action: 'decline' }),
  });
  const [traceId, parentId] = [hexId(16), hexId(8)];
  const subject = `Zebra quartz ${hexId(6)}`;
  const filename = `quartz-${hexId(6)}.txt`;
  let sessionId = '';
  try {
    const call = (name: string, args: Record<string, unknown>, meta?: Record<string, string>) => h.client.callTool({ name, arguments: args, ...(meta && { _meta: meta }) }) as Promise<CallToolResult>;
    dataOf(await call('get_user_story', { user_story_id: 3 }, { traceparent: traceparent(traceId, parentId), tracestate: 'vendor=abc' }));
    assert.equal(errorOf(await call('get_user_story', { user_story_id: 999_999 }, { traceparent: traceparent(traceId, hexId(8)) })).code, 'NOT_FOUND');
    // Not W3C Trace Context (an all-zero trace id is invalid): the call starts a trace of its own.
    dataOf(await call('list_projects', {}, { traceparent: `00-${'0'.repeat(32)}-${parentId}-01` }));
    sessionId = dataOf<{ session_id: string }>(await call('login', { username: 'user2', password: '123123' })).session_id;
    dataOf(await call('create_user_story', { session_id: sessionId, project_id: 1, subject, description: `${subject} described` }));
    // The file's URL holds its name (and, on a real Taiga, an access token).
    const { id } = dataOf<{ id: number }>(await call('upload_attachment', { kind: 'user_story', item_id: 3, content_base64: Buffer.from(subject).toString('base64'), filename }));
    assert.ok((await call('download_attachment', { kind: 'user_story', attachment_id: id })).content.some((c) => c.type === 'resource'));
    await h.client.readResource({ uri: 'taiga://projects/project-1/user-stories/5' });
    assert.equal(errorOf(await call('delete_user_story', { user_story_id: '#1', project_id: 'project-1' })).code, 'DECLINED');
  } finally {
    await h.close();
  }
  assert.match(h.stderr(), OTEL_CHUNK, 'OpenTelemetry is loaded when configured');
  // The server flushed its spans as it exited (the client closed stdin).
  const spans = await receiver.waitFor((s) => (s.some((x) => x.name === 'tools/call create_user_story') ? s : undefined));
  assert.ok(receiver.requests.every((r) => r.path === '/v1/traces' && r.contentType === 'application/x-protobuf'), 'protobuf, to /v1/traces under the endpoint');
  assert.ok(receiver.requests.every((r) => r.headers['x-collector-key'] === 'collector key'), 'the configured header, percent-decoded');

  const found = callOf(spans, traceId, 'tools/call get_user_story');
  assert.ok(found, 'the call is in the caller\'s trace');
  const { call, children } = found;
  assert.equal(call.parentSpanId, parentId, 'the _meta traceparent is the parent');
  assert.equal(call.traceState, 'vendor=abc');
  assert.equal(call.kind, SERVER);
  assert.deepEqual(
    { ...call.attributes },
    { 'mcp.method.name': 'tools/call', 'gen_ai.tool.name': 'get_user_story', 'taiga_mcp.principal_digest': digest('local'), 'taiga_mcp.outcome': 'ok', 'taiga_mcp.project.id': 1 },
  );
  assert.equal(call.resource['service.name'], 'taiga-mcp-under-test', 'OTEL_SERVICE_NAME');
  assert.equal(typeof call.resource['service.version'], 'string');

  const taiga = new URL(emulator.url);
  const server = { 'server.address': taiga.hostname, 'server.port': Number(taiga.port) };
  const get = children.find((s) => s.name === 'GET /userstories/{id}');
  assert.ok(get, `a Taiga request is a child of the call: ${children.map((c) => c.name).join(', ')}`);
  assert.equal(get.kind, CLIENT);
  assert.deepEqual(get.attributes, { 'http.request.method': 'GET', 'url.template': '/userstories/{id}', ...server, 'http.response.status_code': 200 });
  assert.ok(children.some((s) => s.name === 'POST /auth' && s.attributes['http.response.status_code'] === 200), 'the login with the configured credentials is one of them');
  const bucket = children.find((s) => s.name === 'store takeToken');
  assert.ok(bucket, 'the rate limit\'s store operation is a child of the call');
  assert.equal(bucket.kind, INTERNAL);
  assert.deepEqual(bucket.attributes, { 'taiga_mcp.store.kind': 'memory', 'taiga_mcp.store.operation': 'takeToken' });
  for (const child of children) assert.equal(child.traceId, traceId);

  const missing = callOf(spans, traceId, 'tools/call get_user_story' ) && spans.find((s) => s.traceId === traceId && s.name === 'tools/call get_user_story' && s.spanId !== call.spanId);
  assert.ok(missing, 'the failed call is in the same trace');
  assert.deepEqual([missing.attributes['taiga_mcp.outcome'], missing.attributes['error.type'], missing.status.code, missing.status.message], ['NOT_FOUND', 'NOT_FOUND', ERROR, '']);
  const notFound = spans.find((s) => s.parentSpanId === missing.spanId && s.name === 'GET /userstories/{id}');
  assert.deepEqual([notFound?.attributes['http.response.status_code'], notFound?.attributes['error.type'], notFound?.status.code], [404, '404', ERROR]);

  const fresh = spans.find((s) => s.name === 'tools/call list_projects');
  assert.ok(fresh && fresh.parentSpanId === '' && /^[0-9a-f]{32}$/.test(fresh.traceId) && fresh.traceId !== '0'.repeat(32), 'an invalid traceparent is ignored: a new root span');

  const created = spans.find((s) => s.name === 'tools/call create_user_story')!;
  assert.equal(created.attributes['taiga_mcp.project.id'], 1);
  assert.ok(spans.some((s) => s.parentSpanId === created.spanId && s.name === 'POST /userstories'));
  assert.ok(spans.some((s) => s.parentSpanId === created.spanId && s.name === 'store touchSession'), 'the session look-up');
  const download = spans.find((s) => s.name === 'tools/call download_attachment')!;
  const file = spans.find((s) => s.parentSpanId === download.spanId && s.name.endsWith('/{file}'));
  assert.deepEqual([file?.name, file?.attributes], ['GET /{file}', { 'http.request.method': 'GET', 'url.template': '/{file}', ...server, 'http.response.status_code': 200 }]);

  // Asking the person first is no failure; their refusal is.
  const deletions = spans.filter((s) => s.name === 'tools/call delete_user_story').map((s) => [s.attributes['taiga_mcp.outcome'], s.status.code, s.attributes['error.type']]);
  assert.deepEqual(deletions.sort(), [['DECLINED', ERROR, 'DECLINED'], ['input_required', 0, undefined]]);

  // A resource read is a span of its own method, its Taiga requests its children; no tool name of ours.
  const read = spans.find((s) => s.name === 'resources/read');
  assert.deepEqual(read && { ...read.attributes }, { 'mcp.method.name': 'resources/read', 'taiga_mcp.principal_digest': digest('local'), 'taiga_mcp.outcome': 'ok', 'taiga_mcp.project.id': 1 });
  assert.ok(spans.some((s) => s.parentSpanId === read!.spanId && s.name === 'GET /userstories/by_ref'), 'the read\'s Taiga request');

  // Every route is a template: no id, no query.
  for (const s of spans.filter((x) => x.kind === CLIENT)) assert.doesNotMatch(String(s.attributes['url.template']), /\d|\?/, s.name);
  assertNoSecrets(bodies(receiver), [sessionId, subject, filename, 'collector key', '"local"']);
});

test('HTTP, http/json from telemetry.otlp in the config, Redis store: the traceparent header or the _meta one is the parent', async (t) => {
  const receiver = await startOtlpReceiver();
  t.after(() => receiver.close());
  const alice = newApiKey();
  const principal = `alice-${hexId(4)}`;
  const server = await startHttpMcp({
    emulator,
    env: { TAIGA_MCP_STORE_KEY: randomBytes(32).toString('base64') },
    config: {
      store: { kind: 'redis', url: await testRedisUrl(), keyPrefix: `t${hexId(4)}:` },
      telemetry: { otlp: { endpoint: `${receiver.url}/v1/traces`, protocol: 'http/json', headers: { 'x-collector-key': 'from-config' } } },
    },
    http: { auth: { apiKeys: [{ sha256: alice.sha256, principal }] } },
  });
  const [headerTrace, metaTrace, modernTrace] = [hexId(16), hexId(16), hexId(16)];
  const [headerParent, metaParent, modernParent] = [hexId(8), hexId(8), hexId(8)];
  try {
    const post = async (body: string, headers: Record<string, string> = {}) => {
      const answer = await rawRequest(server.mcpUrl, { headers: { authorization: `Bearer ${alice.key}`, ...headers }, body });
      const result = messageOf(answer).result as { isError?: boolean } | undefined;
      assert.equal(result?.isError, undefined, answer.body.slice(0, 300));
    };
    // A 2025-era request with the header.
    await post(rpc('tools/call', { name: 'get_user_story', arguments: { user_story_id: 3 } }), { traceparent: traceparent(headerTrace, headerParent) });
    // _meta names the request's own parent: it wins over a header (which a proxy may have set).
    await post(rpc('tools/call', { name: 'get_user_story', arguments: { user_story_id: 3 }, _meta: { traceparent: traceparent(metaTrace, metaParent) } }), { traceparent: traceparent(hexId(16), hexId(8)) });
    // A 2026-07-28 client, with the header on its requests.
    const client = new ModernClient({ name: 'tracing', version: '1.0.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    await client.connect(new StreamableHTTPClientTransport(new URL(server.mcpUrl), { requestInit: { headers: { authorization: `Bearer ${alice.key}`, traceparent: traceparent(modernTrace, modernParent) } } }));
    assert.equal((await client.callTool({ name: 'list_projects', arguments: {} })).isError, undefined);
    await client.close();
  } finally {
    // SIGTERM: the server drains, closes, and flushes its spans before it exits.
    assert.equal(await server.stop('SIGTERM'), 0);
  }
  const spans = await receiver.waitFor((s) => (s.some((x) => x.traceId === modernTrace) ? s : undefined));
  assert.ok(receiver.requests.every((r) => r.contentType === 'application/json' && r.headers['x-collector-key'] === 'from-config'));

  const byHeader = callOf(spans, headerTrace, 'tools/call get_user_story');
  assert.equal(byHeader?.call.parentSpanId, headerParent, 'the traceparent header is the parent');
  const byMeta = callOf(spans, metaTrace, 'tools/call get_user_story');
  assert.equal(byMeta?.call.parentSpanId, metaParent, '_meta is the parent, over the header');
  const modern = callOf(spans, modernTrace, 'tools/call list_projects');
  assert.equal(modern?.call.parentSpanId, modernParent, 'a 2026-07-28 request too');
  for (const { call, children } of [byHeader!, byMeta!, modern!]) {
    assert.equal(call.attributes['taiga_mcp.principal_digest'], digest(principal));
    const store = children.find((s) => s.name === 'store takeToken');
    assert.deepEqual(store && { kind: store.kind, attributes: store.attributes }, { kind: CLIENT, attributes: { 'taiga_mcp.store.kind': 'redis', 'taiga_mcp.store.operation': 'takeToken', 'db.system.name': 'redis' } });
  }
  assert.ok(byHeader!.children.some((s) => s.name === 'GET /userstories/{id}'));
  assert.ok(modern!.children.some((s) => s.name === 'GET /projects'));
  assertNoSecrets(bodies(receiver), [principal, alice.key, 'from-config']);
});
