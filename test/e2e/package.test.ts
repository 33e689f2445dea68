import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Readable } from 'node:stream';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { startEmulator, type Emulator } from '../emulator/index.js';

/**
 * The published package on its own: packed, installed from the tarball into an empty folder, and
 * run from there, so that nothing in the repository (the test tree, dist/test) can make it work.
 */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const run = promisify(execFile);
const BASE_ENV = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TAIGA_') && !k.startsWith('npm_') && k !== 'NODE_TEST_CONTEXT' && k !== 'REDIS_URL')) as Record<string, string>;

let emulator: Emulator;
let dir: string;
let bin: string;

before(async () => {
  emulator = await startEmulator();
  dir = mkdtempSync(join(tmpdir(), 'taiga-mcp-installed-'));
  // dist/ is built already; --ignore-scripts keeps `prepare` from rebuilding it under the running tests.
  const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT, env: BASE_ENV, maxBuffer: 64 * 1024 * 1024 });
  const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'empty-folder', version: '1.0.0', private: true }));
  await run('npm', ['install', join(dir, filename), '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts'], { cwd: dir, env: BASE_ENV, maxBuffer: 64 * 1024 * 1024 });
  bin = join(dir, 'node_modules', '.bin', 'taiga-mcp');
});
after(async () => emulator.close());

function installed(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(bin, args, { cwd: dir, env: { ...BASE_ENV, LOG_LEVEL: 'silent', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

test('the package ships the demo, not the test tree', () => {
  const pkg = join(dir, 'node_modules', 'taiga-mcp');
  assert.ok(existsSync(join(pkg, 'dist', 'demo', 'emulator', 'index.js')));
  assert.equal(existsSync(join(pkg, 'dist', 'test')), false);
  assert.equal(existsSync(join(pkg, 'test')), false);
});

test('--help, tools and check run from the installed copy', { timeout: 60_000 }, async () => {
  const help = await installed(['--help']);
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /taiga-mcp --demo/);
  const tools = await installed(['tools']);
  assert.equal(tools.status, 0, tools.stderr);
  assert.match(tools.stdout, /list_user_stories/);
  const none = await installed(['check']);
  assert.equal(none.status, 1);
  assert.match(none.stdout, /no Taiga URL configured/);
  const ok = await installed(['check'], { TAIGA_API_URL: emulator.url, ALLOW_HTTP_TAIGA: 'true', TAIGA_USERNAME: 'admin', TAIGA_PASSWORD: 'taigaadmin' });
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /credentials accepted \(user admin\)/);
});

test('with nothing configured the installed server stops and says what to set; --demo serves the demo', { timeout: 60_000 }, async () => {
  const bare = await installed([]);
  assert.equal(bare.status, 2);
  assert.match(bare.stderr, /No Taiga configured: set TAIGA_API_URL/);
  assert.doesNotMatch(bare.stderr, /Cannot find module/);

  const transport = new StdioClientTransport({ command: bin, args: ['--demo'], cwd: dir, env: { ...BASE_ENV, LOG_LEVEL: 'info' }, stderr: 'pipe' });
  let stderr = '';
  (transport.stderr as Readable | null)?.on('data', (c: Buffer) => (stderr += c.toString()));
  const client = new Client({ name: 'installed-demo', version: '1' });
  await client.connect(transport);
  try {
    const result = await client.callTool({ name: 'list_user_stories', arguments: { project_id: 'project-1', page_size: 3 } });
    assert.equal(result.isError, undefined, JSON.stringify(result.content));
    assert.match(stderr, /DEMO mode/);
    // The MCP Apps views ship built: the item view's page, with its script inlined.
    const view = await client.readResource({ uri: 'ui://taiga-mcp/item' });
    assert.match(String((view.contents[0] as { text?: string }).text), /^<!doctype html>[\s\S]*<script>[\s\S]{100000,}<\/script><\/body><\/html>/);
  } finally {
    await client.close();
  }
});
