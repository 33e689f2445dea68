import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/server';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { legacyHttpClient, messageOf, modernHttpClient, rawRequest, rpc, startHttpMcp, type HttpMcp } from '../helpers/http-server.js';

// Streamable HTTP on a loopback bind with no auth configured: the key made at start, both
// protocol eras, progress over SSE, DNS-rebinding protection, bounded bodies, health and metrics.
let emulator: Emulator;
let server: HttpMcp;
const stateHome = mkdtempSync(join(tmpdir(), 'taiga-mcp-state-'));
let port: number;
/** Where the key of the port would go, planted beforehand as a link to a file that must stay as it is. */
let plantedLink: { file: string; target: string };

/** A port free a moment ago (the key file's name holds the port, so it is chosen before the server starts). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port: free } = probe.address() as AddressInfo;
  await new Promise((r) => probe.close(r));
  return free;
}

before(async () => {
  emulator = await startEmulator();
  port = await freePort();
  mkdirSync(join(stateHome, 'taiga-mcp'), { mode: 0o700 });
  plantedLink = { file: join(stateHome, 'taiga-mcp', `http-${port}.key`), target: join(stateHome, 'elsewhere.txt') };
  writeFileSync(plantedLink.target, 'not for the key\n', { mode: 0o644 });
  symlinkSync(plantedLink.target, plantedLink.file);
  server = await startHttpMcp({
    emulator,
    listen: `127.0.0.1:${port}`,
    env: { XDG_STATE_HOME: stateHome },
    http: { allowedHosts: ['Alt.Example.TEST:8443', 'FE80::1', '[FD00::B]:8443'], allowedOrigins: ['https://app.example.test'] },
  });
});
after(async () => {
  await server.stop();
  await emulator.close();
});

const key = () => server.localKey!;
const authed = (extra: Record<string, string> = {}) => ({ authorization: `Bearer ${key()}`, ...extra });

test('with no auth configured on loopback, a key is made and written to a file only the user can read; the log shows its path, never the key', () => {
  assert.match(key(), /^tmcp_[\w-]{43}$/);
  const line = server.stderr().split('\n').find((l) => l.includes('key_file'))!;
  const file = (JSON.parse(line) as { key_file: string }).key_file;
  assert.equal(file, plantedLink.file, 'in $XDG_STATE_HOME/taiga-mcp, named by the port');
  assert.ok(lstatSync(file).isFile(), 'a file of its own, not the link that was there');
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.equal(readFileSync(plantedLink.target, 'utf8'), 'not for the key\n', 'nothing written through the link');
  assert.equal(statSync(plantedLink.target).mode & 0o777, 0o644);
  assert.ok(!server.stderr().includes(key()), 'the key is not in the log');
});

test('a 2025-era client and a 2026-07-28 client both work over HTTP, with the same answers', async () => {
  const legacy = await legacyHttpClient(server.mcpUrl, key());
  const modern = await modernHttpClient(server.mcpUrl, key());
  try {
    assert.equal(modern.getNegotiatedProtocolVersion(), '2026-07-28');
    const [a, b] = await Promise.all([legacy.listTools(), modern.listTools()]);
    assert.deepEqual(b.tools.map((t) => t.name), a.tools.map((t) => t.name));
    const args = { project_id: 'project-1', user_story_id: '#1' };
    const [x, y] = (await Promise.all([legacy.callTool({ name: 'get_user_story', arguments: args }), modern.callTool({ name: 'get_user_story', arguments: args })])) as [CallToolResult, CallToolResult];
    assert.deepEqual(y.structuredContent, x.structuredContent);
    assert.equal((x.structuredContent as { ref: number }).ref, 1);
  } finally {
    await legacy.close();
    await modern.close();
  }
});

test('progress streams back on the request\'s own SSE response', async () => {
  const modern = await modernHttpClient(server.mcpUrl, key());
  try {
    const progress: number[] = [];
    const result = (await modern.callTool(
      { name: 'bulk_create_tasks', arguments: { project_id: 'project-1', tasks: [{ subject: 'one' }, { subject: 'two' }, { subject: 'three' }] } },
      { onprogress: (p) => progress.push(p.progress) },
    )) as CallToolResult;
    assert.ok(!result.isError, JSON.stringify(result.content).slice(0, 300));
    // The last notification may be lost by the SDK clients (upstream race, typescript-sdk#2580).
    assert.ok(progress.length >= 2, `progress seen: ${progress.join(',')}`);
  } finally {
    await modern.close();
  }
});

test('a forged Host or Origin is refused with 403 (DNS-rebinding protection); a request without Origin passes', async () => {
  const body = rpc('tools/list');
  const forgedHost = await rawRequest(server.mcpUrl, { headers: authed({ host: 'evil.example' }), body });
  assert.equal(forgedHost.status, 403);
  assert.equal(messageOf(forgedHost).error?.message, 'Forbidden: the Host evil.example is not accepted by this server (http.allowedHosts)');
  const forgedOrigin = await rawRequest(server.mcpUrl, { headers: authed({ origin: 'https://evil.example' }), body });
  assert.equal(forgedOrigin.status, 403);
  assert.equal(messageOf(forgedOrigin).error?.message, 'Forbidden: the Origin evil.example is not accepted by this server (http.allowedOrigins)');
  const local = await rawRequest(server.mcpUrl, { headers: authed({ origin: server.origin }), body: rpc('ping') });
  assert.equal(local.status, 200);
});

test('Host: the loopback names and the configured ones (any case, any port, IPv6 bare or bracketed) pass; the rest is 403', async () => {
  const ping = (host: string, origin?: string) => rawRequest(server.mcpUrl, { headers: authed({ host, ...(origin && { origin }) }), body: rpc('ping') });
  for (const host of ['localhost', `LocalHost:${port}`, '127.0.0.1', '[::1]', `[::1]:${port}`, 'alt.example.test', 'ALT.example.test:80', '[fe80::1]:8443', '[fd00::b]']) {
    assert.equal((await ping(host)).status, 200, host);
  }
  for (const host of ['0.0.0.0', 'localhost.', 'alt.example.test.evil', '[fe80::2]', '127.0.0.2', '1.0.0.127']) assert.equal((await ping(host)).status, 403, host);
  for (const origin of ['https://app.example.test', 'http://localhost:5173', 'http://[::1]', 'https://alt.example.test']) assert.equal((await ping('localhost', origin)).status, 200, origin);
  for (const origin of ['https://app.example.test.evil', 'null', 'http://0.0.0.0:8787', 'https://evil.example/https://localhost', 'http://localhost/evil']) {
    assert.equal((await ping('localhost', origin)).status, 403, origin);
  }
});

test('a Host that is not a host name, a target that is not a path: 400, never 500, and nothing of them said back whole', async () => {
  const long = 'h'.repeat(3000);
  const badHost = 'Bad Request: the Host header is missing or is not a host name and port';
  const notOrigin = 'Forbidden: the Origin header is not an origin';
  const notPath = 'Bad Request: the request target is not a path';
  const cases: Array<[Record<string, string>, string | undefined, number, string]> = [
    [{ host: 'evil.com@localhost' }, undefined, 400, badHost],
    [{ host: `localhost:${port}/x` }, undefined, 400, badHost],
    [{ host: 'localhost:99999' }, undefined, 400, badHost],
    [{ host: 'local host' }, undefined, 400, badHost],
    [{ host: '[1::2::3]' }, undefined, 400, badHost],
    [{ host: long }, undefined, 403, `Forbidden: the Host ${'h'.repeat(100)}… is not accepted by this server (http.allowedHosts)`],
    [{ host: 'h'.repeat(100) }, undefined, 403, `Forbidden: the Host ${'h'.repeat(100)} is not accepted by this server (http.allowedHosts)`],
    [{ origin: `https://${long}` }, undefined, 403, `Forbidden: the Origin ${'h'.repeat(100)}… is not accepted by this server (http.allowedOrigins)`],
    [{ origin: 'https://evil.com@localhost' }, undefined, 403, notOrigin],
    [{ origin: 'https://local host' }, undefined, 403, notOrigin],
    [{}, `http://evil.com@localhost:${port}/mcp`, 400, notPath],
    [{}, `http://localhost:${port}/mcp`, 400, notPath],
  ];
  for (const [headers, target, status, message] of cases) {
    const answer = await rawRequest(server.mcpUrl, { headers: authed(headers), body: rpc('ping'), ...(target && { target }) });
    const what = JSON.stringify({ headers, target }).slice(0, 120);
    assert.equal(answer.status, status, `${what}: ${answer.body.slice(0, 200)}`);
    assert.deepEqual(JSON.parse(answer.body), { jsonrpc: '2.0', error: { code: -32000, message }, id: null }, what);
  }
  assert.ok(!server.stderr().includes('h'.repeat(300)), 'no long header in the log');
  // HTTP/1.0 may leave Host out (Node requires it of HTTP/1.1 only).
  const noHost = await new Promise<string>((resolve, reject) => {
    let text = '';
    const socket = connect(port, '127.0.0.1', () => socket.end(`POST /mcp HTTP/1.0\r\nAuthorization: Bearer ${key()}\r\nContent-Type: application/json\r\nContent-Length: ${rpc('ping').length}\r\n\r\n${rpc('ping')}`));
    socket.on('data', (c: Buffer) => (text += c.toString())).on('end', () => resolve(text)).on('error', reject);
  });
  assert.match(noHost, /^HTTP\/1\.1 400 /);
});

test('the MCP headers the SDK repeats in its errors are bounded before it', async () => {
  for (const [header, limit] of [['mcp-protocol-version', 40], ['mcp-method', 128], ['mcp-name', 1024]] as const) {
    const answer = await rawRequest(server.mcpUrl, { headers: authed({ [header]: 'v'.repeat(5000) }), body: rpc('tools/call', { name: 'list_projects', arguments: {} }) });
    assert.equal(answer.status, 400, header);
    assert.deepEqual(JSON.parse(answer.body), { jsonrpc: '2.0', error: { code: -32000, message: `Bad Request: the ${header} header is longer than ${limit} characters` }, id: null });
  }
  // Up to the limit the SDK gets it (ping names nothing that Mcp-Name would mirror).
  const atLimit = await rawRequest(server.mcpUrl, { headers: authed({ 'mcp-name': 'n'.repeat(1024) }), body: rpc('ping') });
  assert.equal(atLimit.status, 200, atLimit.body.slice(0, 200));
  const normal = await rawRequest(server.mcpUrl, { headers: authed({ 'mcp-protocol-version': '2025-06-18' }), body: rpc('ping') });
  assert.equal(normal.status, 200, normal.body);
});

test('no credential or a wrong key → 401 with a Bearer challenge; nothing reaches Taiga', async () => {
  const before = emulator.totalRequests;
  const none = await rawRequest(server.mcpUrl, { body: rpc('tools/call', { name: 'list_projects', arguments: {} }) });
  assert.equal(none.status, 401);
  assert.equal(none.headers['www-authenticate'], 'Bearer realm="taiga-mcp"');
  const wrong = await rawRequest(server.mcpUrl, { headers: { authorization: 'Bearer tmcp_not-the-key' }, body: rpc('tools/call', { name: 'list_projects', arguments: {} }) });
  assert.equal(wrong.status, 401);
  assert.equal(wrong.headers['www-authenticate'], 'Bearer realm="taiga-mcp", error="invalid_token", error_description="the key is not known"');
  assert.equal(emulator.totalRequests, before);
});

test('bad bodies get short JSON-RPC errors: not JSON -32700, not JSON-RPC -32600, bad params -32602, too large 413', async () => {
  const notJson = await rawRequest(server.mcpUrl, { headers: authed(), body: '{"jsonrpc": "2.0", ' });
  assert.deepEqual([notJson.status, messageOf(notJson).error?.code], [400, -32700]);
  const notRpc = await rawRequest(server.mcpUrl, { headers: authed(), body: '[1, 2]' });
  assert.deepEqual([notRpc.status, messageOf(notRpc).error?.code], [400, -32600]);
  const badParams = await rawRequest(server.mcpUrl, { headers: authed(), body: rpc('tools/call', { name: 'list_projects', arguments: [1, 2] }, 0) });
  const message = messageOf(badParams);
  assert.deepEqual([message.id, message.error?.code], [0, -32602]);
  assert.ok(message.error!.message.length < 120, message.error!.message);
  const huge = await rawRequest(server.mcpUrl, { headers: authed(), body: Buffer.alloc(5 * 1024 * 1024, 0x20) });
  assert.equal(huge.status, 413);
  const after = await rawRequest(server.mcpUrl, { headers: authed(), body: rpc('ping', {}, 'still-here') });
  assert.equal(messageOf(after).id, 'still-here');
});

test('/healthz and /readyz answer without a credential; /metrics needs one and counts calls by tool and outcome', async () => {
  assert.equal((await rawRequest(`${server.origin}/healthz`, { method: 'GET' })).status, 200);
  const ready = await rawRequest(`${server.origin}/readyz`, { method: 'GET' });
  assert.equal(ready.status, 200);
  assert.deepEqual((JSON.parse(ready.body) as { checks: unknown }).checks, { taiga: 'ok', store: 'ok' });
  assert.equal((await rawRequest(`${server.origin}/metrics`, { method: 'GET' })).status, 401);
  const metrics = await rawRequest(`${server.origin}/metrics`, { method: 'GET', headers: authed() });
  assert.equal(metrics.status, 200);
  assert.match(metrics.body, /taiga_mcp_tool_calls_total\{tool="get_user_story",outcome="ok"\} [1-9]/);
  assert.match(metrics.body, /taiga_mcp_taiga_requests_total\{method="GET",status="200"\} [1-9]/);
  assert.match(metrics.body, /taiga_mcp_tool_call_duration_seconds_bucket/);
  assert.equal((await rawRequest(`${server.origin}/nope`, { method: 'GET', headers: authed() })).status, 404);
});
