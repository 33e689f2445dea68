import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CallToolResult } from '@modelcontextprotocol/server';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { newApiKey } from '../../core/http/auth/api-keys.js';
import { freePort, testRedisUrl } from '../helpers/redis-server.js';
import { installPackedPackage } from '../helpers/installed-package.js';
import { legacyHttpClient, modernHttpClient, rawRequest, startHttpMcp, type HttpMcp } from '../helpers/http-server.js';

// The documented deployment (examples/deploy/nginx.conf) with a real nginx in front of two
// instances of the installed package sharing a real Redis: MCP clients of both eras work through
// it, and keep working, sessions included, when one instance is killed.
const EXAMPLE = fileURLToPath(new URL('../../../examples/deploy/nginx.conf', import.meta.url));
let emulator: Emulator;
let instances: HttpMcp[];
let nginx: ChildProcess;
let nginxLog = '';
let lbUrl: string;
const key = newApiKey();

/** The example config with this run's ports: the only change. */
function nginxConfig(lb: number, a: number, b: number): string {
  const text = readFileSync(EXAMPLE, 'utf8');
  for (const port of ['8800', '8801', '8802']) assert.ok(text.includes(`127.0.0.1:${port}`), `the example listens on or proxies to ${port}`);
  return text.replaceAll('127.0.0.1:8800', `127.0.0.1:${lb}`).replaceAll('127.0.0.1:8801', `127.0.0.1:${a}`).replaceAll('127.0.0.1:8802', `127.0.0.1:${b}`);
}

before(async () => {
  emulator = await startEmulator();
  const redis = await testRedisUrl();
  const [lb, a, b] = await Promise.all([freePort(), freePort(), freePort()]);
  const { bin } = await installPackedPackage();
  const shared = {
    emulator,
    bin,
    env: { TAIGA_MCP_STORE_KEY: randomBytes(32).toString('base64') },
    config: { store: { kind: 'redis', url: redis, keyPrefix: `lb${randomBytes(4).toString('hex')}:` } },
    http: { publicUrl: `http://127.0.0.1:${lb}`, auth: { apiKeys: [{ sha256: key.sha256, principal: 'alice' }] } },
  };
  instances = await Promise.all([startHttpMcp({ ...shared, listen: `127.0.0.1:${a}` }), startHttpMcp({ ...shared, listen: `127.0.0.1:${b}` })]);
  const prefix = mkdtempSync(join(tmpdir(), 'taiga-mcp-nginx-'));
  mkdirSync(join(prefix, 'tmp'));
  writeFileSync(join(prefix, 'nginx.conf'), nginxConfig(lb, a, b));
  // Tests fail, never skip, without nginx: `.ci/run` installs it (apt-get install -y nginx).
  nginx = spawn('nginx', ['-p', prefix, '-c', 'nginx.conf'], { stdio: ['ignore', 'ignore', 'pipe'] });
  nginx.stderr!.on('data', (c: Buffer) => (nginxLog += c.toString()));
  const started = await new Promise<boolean>((resolve) => {
    nginx.once('error', () => resolve(false));
    nginx.once('spawn', () => resolve(true));
  });
  assert.ok(started, 'nginx is not installed: apt-get install -y nginx');
  lbUrl = `http://127.0.0.1:${lb}/mcp`;
  for (let i = 0; ; i++) {
    const up = await rawRequest(`http://127.0.0.1:${lb}/healthz`, { method: 'GET' }).catch(() => undefined);
    if (up?.status === 200) break;
    assert.ok(i < 100 && nginx.exitCode === null, `nginx did not come up: ${nginxLog}`);
    await new Promise((r) => setTimeout(r, 50));
  }
});
after(async () => {
  nginx?.kill('SIGTERM');
  await Promise.all((instances ?? []).map((i) => i.stop()));
  await emulator?.close();
});

test('through nginx: both client eras list tools and call them, progress included', async () => {
  const legacy = await legacyHttpClient(lbUrl, key.key);
  const modern = await modernHttpClient(lbUrl, key.key);
  try {
    assert.ok((await legacy.listTools()).tools.length > 30);
    const progress: number[] = [];
    const result = (await modern.callTool(
      { name: 'bulk_create_tasks', arguments: { project_id: 'project-2', tasks: [{ subject: 'a' }, { subject: 'b' }, { subject: 'c' }] } },
      { onprogress: (p) => progress.push(p.progress) },
    )) as CallToolResult;
    assert.ok(!result.isError, JSON.stringify(result.content).slice(0, 300));
    assert.ok(progress.length >= 2, 'progress came through nginx unbuffered');
  } finally {
    await legacy.close();
    await modern.close();
  }
});

test('through nginx: kill -9 one instance; every later call succeeds on the other, the login session too', { timeout: 60_000 }, async () => {
  const client = await modernHttpClient(lbUrl, key.key);
  try {
    const login = (await client.callTool({ name: 'login', arguments: { username: 'user8', password: '123123' } })) as CallToolResult;
    const sessionId = (login.structuredContent as { session_id: string }).session_id;
    for (let i = 0; i < 4; i++) assert.ok(!((await client.callTool({ name: 'list_projects', arguments: { session_id: sessionId } })) as CallToolResult).isError);
    instances[0]!.child.kill('SIGKILL');
    await instances[0]!.exited;
    const writesBefore = emulator.totalWrites;
    for (let i = 0; i < 10; i++) {
      const result = (await client.callTool({ name: 'list_projects', arguments: { session_id: sessionId } })) as CallToolResult;
      assert.ok(!result.isError, `call ${i} after the kill: ${JSON.stringify(result.content).slice(0, 200)}`);
    }
    const created = (await client.callTool({ name: 'create_task', arguments: { project_id: 'project-2', subject: 'after the kill', session_id: sessionId } })) as CallToolResult;
    assert.ok(!created.isError);
    assert.equal(emulator.totalWrites - writesBefore, 1, 'the write was sent once');
  } finally {
    await client.close();
  }
});
