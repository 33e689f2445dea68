import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Readable } from 'node:stream';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { CLI, startHarness, dataOf } from '../helpers/stdio-harness.js';

let emulator: Emulator;
before(async () => {
  emulator = await startEmulator();
});
after(async () => emulator.close());

const BASE_ENV = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TAIGA_') && k !== 'NODE_TEST_CONTEXT')) as Record<string, string>;
/** Asynchronous on purpose: the emulator runs in this process and must keep answering. */
function cli(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...BASE_ENV, LOG_LEVEL: 'silent', ...env }, cwd: '/', timeout: 30_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
const taiga = () => ({ TAIGA_API_URL: emulator.apiUrl, ALLOW_HTTP_TAIGA: 'true' });

test('--help and --version', async () => {
  const help = await cli(['--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /taiga-mcp check/);
  assert.match((await cli(['--version'])).stdout, /^\d+\.\d+\.\d+/);
});

test('tools lists what is enabled; read-only mode keeps only read tools', async () => {
  const all = JSON.parse((await cli(['tools', '--json'])).stdout) as Array<{ name: string; read_only: boolean }>;
  assert.ok(all.some((t) => t.name === 'delete_user_story'));
  const ro = JSON.parse((await cli(['tools', '--json'], { TAIGA_READ_ONLY: 'true' })).stdout) as Array<{ read_only: boolean }>;
  assert.ok(ro.length > 0 && ro.every((t) => t.read_only));
  assert.match((await cli(['tools'], { TAIGA_TOOLSETS: 'projects' })).stdout, /projects — /);
});

test('a bad config stops start-up with exit 2, naming the variable', async () => {
  const bad = await cli([], { SESSION_EXPIRY: 'soon' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /CONFIG_INVALID: .*SESSION_EXPIRY/);
  assert.equal(bad.stdout, '', 'nothing on the MCP channel');
  const toolset = await cli(['tools'], { TAIGA_TOOLSETS: 'nope' });
  assert.equal(toolset.status, 2);
  assert.match(toolset.stderr, /TOOLSET_UNKNOWN/);
  assert.equal((await cli(['frobnicate'])).status, 2);
  const http = await cli(['check'], { TAIGA_API_URL: 'http://taiga.example.com' });
  assert.equal(http.status, 2);
  assert.match(http.stderr, /CONFIG_INVALID: .*ALLOW_HTTP_TAIGA/);
  assert.doesNotMatch(http.stdout, /configuration is valid/);
});

test('check: reachable and credentials accepted, or says what is wrong', async () => {
  const ok = await cli(['check'], { ...taiga(), TAIGA_USERNAME: 'admin', TAIGA_PASSWORD: 'taigaadmin' });
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /credentials accepted \(user admin\)/);
  const wrong = await cli(['check'], { ...taiga(), TAIGA_USERNAME: 'admin', TAIGA_PASSWORD: 'nope' });
  assert.equal(wrong.status, 1);
  assert.match(wrong.stdout, /AUTH_FAILED/);
  assert.doesNotMatch(wrong.stdout + wrong.stderr, /nope/);
  const down = await cli(['check'], { TAIGA_API_URL: 'http://127.0.0.1:9', ALLOW_HTTP_TAIGA: 'true', REQUEST_TIMEOUT: '2' });
  assert.equal(down.status, 1);
  assert.match(down.stdout, /TAIGA_UNAVAILABLE/);
  const none = await cli(['check']);
  assert.equal(none.status, 1);
  assert.match(none.stdout, /no Taiga URL/);
});

test('with no Taiga configured, the server runs against the demo emulator and says so', async () => {
  const transport = new StdioClientTransport({ command: process.execPath, args: [CLI], env: { ...BASE_ENV, LOG_LEVEL: 'info' }, stderr: 'pipe' });
  let stderr = '';
  (transport.stderr as Readable | null)?.on('data', (c: Buffer) => (stderr += c.toString()));
  const client = new Client({ name: 'demo', version: '1' });
  await client.connect(transport);
  try {
    const result = await client.callTool({ name: 'list_projects', arguments: {} });
    assert.equal(result.isError, undefined);
    assert.match(stderr, /DEMO Taiga emulator/);
  } finally {
    await client.close();
  }
});

test('a tool hidden by config answers exactly like an unknown tool', async () => {
  const h = await startHarness({ emulator, env: { TAIGA_READ_ONLY: 'true' } });
  try {
    const names = (await h.client.listTools()).tools.map((t) => t.name);
    assert.ok(!names.includes('delete_project') && names.includes('list_projects'));
    const hidden = await h.client.callTool({ name: 'delete_project', arguments: { project_id: 1 } }).catch((e: Error) => e.message);
    const unknown = await h.client.callTool({ name: 'no_such_tool', arguments: { project_id: 1 } }).catch((e: Error) => e.message);
    assert.equal(String(hidden).replace('delete_project', 'X'), String(unknown).replace('no_such_tool', 'X'));
    assert.equal(emulator.writes().length, 0);
    dataOf(await h.call('list_projects', {}));
  } finally {
    await h.close();
  }
});
