import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../emulator/index.js';
import { newApiKey } from '../../core/http/auth/api-keys.js';
import { runCli, serverEnv } from '../helpers/stdio-harness.js';
import { messageOf, rawRequest, rpc, startHttpMcp } from '../helpers/http-server.js';

// Start-up refusals, graceful shutdown with calls in flight, readiness and the ops listener.

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!condition()) {
    assert.ok(Date.now() < deadline, 'waited 15 s for the server');
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('what the start-up checks let through and what they stop, found without listening anywhere but loopback', async () => {
  const emulator = await startEmulator();
  const dir = mkdtempSync(join(tmpdir(), 'taiga-mcp-startup-'));
  let n = 0;
  const withConfig = (http: Record<string, unknown>) => {
    const file = join(dir, `${(n += 1)}.json`);
    writeFileSync(file, JSON.stringify({ http: { port: 0, ...http } }));
    return runCli(['--config', file, '--http'], serverEnv(emulator));
  };
  const auth = { apiKeys: [{ sha256: newApiKey().sha256, principal: 'ops' }] };
  // Certificate files that do not exist: a start that passes every check stops there, before listening.
  const tls = { cert: join(dir, 'absent.pem'), key: join(dir, 'absent.key') };
  const passesChecks = /CONFIG_INVALID: http\.tls\.cert: cannot read .*absent\.pem \(ENOENT\)/;
  try {
    const runs = await Promise.all([
      // A wildcard bind accepts no Host but loopback unless told the name clients use.
      ...['0.0.0.0', '::', '[::]'].map(async (host) => [host, await withConfig({ host, auth, tls }), /CONFIG_INVALID: bound to .*: set http\.publicUrl/] as const),
      ...[{ publicUrl: 'https://mcp.example.test' }, { allowedHosts: ['mcp.example.test'] }].map(async (names) => [JSON.stringify(names), await withConfig({ host: '0.0.0.0', auth, tls, ...names }), passesChecks] as const),
      // No auth is only for loopback, and a name that merely starts or ends like a loopback address is not one.
      ...['localhost', '::1', '[::1]', '127.10.200.34'].map(async (host) => [host, await withConfig({ host, tls }), passesChecks] as const),
      ...['127.0.0.1.nip.io', 'x127.0.0.1', 'localhost.example.test', '::2'].map(async (host) => [host, await withConfig({ host, tls }), /with no auth configured/] as const),
      ...[['allowedHosts', 'http://'], ['allowedOrigins', 'file:///etc']].map(async ([key, entry]) => [entry!, await withConfig({ host: '127.0.0.1', [key!]: [entry], tls }), new RegExp(`CONFIG_INVALID: http\\.${key}: ".*" is not a host name`)] as const),
    ]);
    for (const [what, run, expected] of runs) {
      assert.equal(run.code, 2, `${what}: ${run.stderr.slice(-300)}`);
      assert.match(run.stderr, expected, what);
    }
  } finally {
    await emulator.close();
  }
});

test('with no XDG_STATE_HOME the key made at start goes to ~/.local/state/taiga-mcp, made for this user only', async () => {
  const emulator = await startEmulator();
  const home = mkdtempSync(join(tmpdir(), 'taiga-mcp-home-'));
  const server = await startHttpMcp({ emulator, env: { XDG_STATE_HOME: '', HOME: home } });
  try {
    const line = server.stderr().split('\n').find((l) => l.includes('"key_file"'))!;
    const file = (JSON.parse(line) as { key_file: string }).key_file;
    assert.equal(file, join(home, '.local', 'state', 'taiga-mcp', `http-${new URL(server.mcpUrl).port}.key`));
    assert.equal(readFileSync(file, 'utf8'), `${server.localKey}\n`);
    assert.equal(statSync(join(home, '.local', 'state', 'taiga-mcp')).mode & 0o777, 0o700);
  } finally {
    await server.stop();
    await emulator.close();
  }
});

test('a non-loopback bind with no auth configured refuses to start, and so does a wildcard bind with no name for the Host check', async () => {
  const emulator = await startEmulator();
  try {
    const env = serverEnv(emulator);
    const noName = await runCli(['--http', '0.0.0.0:0'], env);
    assert.equal(noName.code, 2);
    assert.match(noName.stderr, /CONFIG_INVALID: bound to 0\.0\.0\.0: set http\.publicUrl/);
    const noAuth = await runCli(['--http', '192.0.2.10:0'], env);
    assert.equal(noAuth.code, 2);
    assert.match(noAuth.stderr, /with no auth configured/);
    const badListen = await runCli(['--http', 'localhost:99999'], env);
    assert.match(badListen.stderr, /expected \[HOST:\]PORT/);
  } finally {
    await emulator.close();
  }
});

test('SIGTERM drains: the call in flight finishes, new connections are refused, exit 0', { timeout: 30_000 }, async () => {
  const emulator = await startEmulator();
  const server = await startHttpMcp({ emulator });
  try {
    emulator.knobs.latencyMs = 1200;
    const headers = { authorization: `Bearer ${server.localKey}` };
    const reached = emulator.totalRequests;
    const inFlight = rawRequest(server.mcpUrl, { headers, body: rpc('tools/call', { name: 'get_user_story', arguments: { project_id: 1, user_story_id: 1 } }) });
    // Steps, not sleeps (a busy machine stretches any sleep): the call has reached Taiga, then the server has begun to shut down.
    await until(() => emulator.totalRequests > reached);
    server.child.kill('SIGTERM');
    await until(() => server.stderr().includes('"msg":"shutting down"'));
    await assert.rejects(rawRequest(server.mcpUrl, { headers, body: rpc('ping') }), /ECONNREFUSED|ECONNRESET|socket hang up/);
    const answer = await inFlight;
    assert.equal(answer.status, 200);
    assert.ok(!(messageOf(answer).result as { isError?: boolean }).isError, answer.body.slice(0, 300));
    assert.equal(await server.exited, 0);
  } finally {
    await server.stop();
    await emulator.close();
  }
});

test('past http.drainSeconds the server stops anyway: a call that never ends does not hold the shutdown', { timeout: 30_000 }, async () => {
  const emulator = await startEmulator();
  const server = await startHttpMcp({ emulator, http: { drainSeconds: 0.5 } });
  try {
    emulator.knobs.hangNext(1, { match: /userstories/ });
    const inFlight = rawRequest(server.mcpUrl, { headers: { authorization: `Bearer ${server.localKey}` }, body: rpc('tools/call', { name: 'get_user_story', arguments: { project_id: 1, user_story_id: 1 } }) }).catch((e: Error) => e);
    await new Promise((r) => setTimeout(r, 400));
    const stopped = Date.now();
    assert.equal(await server.stop('SIGTERM'), 0);
    assert.ok(Date.now() - stopped < 8000, `took ${Date.now() - stopped} ms`);
    await inFlight;
  } finally {
    emulator.knobs.clear();
    await emulator.close();
  }
});

test('/readyz fails while Taiga is down; the ops listener serves health and metrics without a credential, and no MCP', { timeout: 30_000 }, async () => {
  const emulator = await startEmulator();
  const server = await startHttpMcp({ emulator, http: { ops: { host: '127.0.0.1', port: 0 } } });
  try {
    const ops = server.opsUrl!;
    assert.equal((await rawRequest(`${ops}/readyz`, { method: 'GET' })).status, 200);
    const metrics = await rawRequest(`${ops}/metrics`, { method: 'GET' });
    assert.equal(metrics.status, 200);
    assert.match(metrics.body, /taiga_mcp_sessions_active|taiga_mcp_tool_calls_total/);
    assert.equal((await rawRequest(`${ops}/mcp`, { body: rpc('ping') })).status, 404);
    await emulator.close();
    await new Promise((r) => setTimeout(r, 2100)); // past the readiness cache
    const down = await rawRequest(`${ops}/readyz`, { method: 'GET' });
    assert.equal(down.status, 503);
    assert.deepEqual((JSON.parse(down.body) as { checks: unknown }).checks, { taiga: 'failing', store: 'ok' });
    assert.equal((await rawRequest(`${ops}/healthz`, { method: 'GET' })).status, 200, 'alive all the same');
  } finally {
    await server.stop();
  }
});
