import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Readable } from 'node:stream';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { CLI, startHarness, dataOf } from '../helpers/stdio-harness.js';

let emulator: Emulator;
before(async () => {
  emulator = await startEmulator();
});
after(async () => emulator.close());

const BASE_ENV = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TAIGA_') && k !== 'NODE_TEST_CONTEXT' && k !== 'REDIS_URL')) as Record<string, string>;
/** Asynchronous on purpose: the emulator runs in this process and must keep answering. */
function cli(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return cliIn('/', args, env);
}

function cliIn(cwd: string, args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...BASE_ENV, LOG_LEVEL: 'silent', ...env }, cwd, timeout: 30_000 });
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
  assert.match(none.stdout, /no Taiga URL.*--demo/);
});

test('with no Taiga and no --demo the server stops, naming what to set (and what looks misspelled)', async () => {
  const none = await cli([]);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /CONFIG_INVALID: No Taiga configured: set TAIGA_API_URL and TAIGA_APPLICATION_TOKEN .*--demo/);
  assert.equal(none.stdout, '', 'nothing on the MCP channel');
  const typo = await cli([], { TAIGA_URL: 'https://taiga.example.com', TAIGA_USERNAM: 'me' });
  assert.equal(typo.status, 2, 'a misspelled variable never serves fake data');
  assert.match(typo.stderr, /Unknown variables: TAIGA_URL \(did you mean TAIGA_API_URL\?\), TAIGA_USERNAM \(did you mean TAIGA_USERNAME\?\)/);
});

test('TAIGA_MCP_DEMO=true asks for the demo (an MCP Bundle\'s checkbox); false or a blank field does not; another value stops start-up', async () => {
  for (const value of ['false', '${user_config.demo}']) {
    const off = await cli([], { TAIGA_MCP_DEMO: value });
    assert.equal(off.status, 2, value);
    assert.match(off.stderr, /No Taiga configured: .*--demo \(or TAIGA_MCP_DEMO=true\)/);
    assert.doesNotMatch(off.stderr, /Unknown variables/, 'TAIGA_MCP_DEMO is a variable of the server');
  }
  const bad = await cli([], { TAIGA_MCP_DEMO: 'maybe' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /CONFIG_INVALID: TAIGA_MCP_DEMO: expected true or false/);
});

test('a REDIS_URL in a desktop shell does not stop a stdio server: it keeps sessions in memory and says why; --http still uses it', async () => {
  const stray = { REDIS_URL: 'redis://127.0.0.1:1' };
  const transport = new StdioClientTransport({ command: process.execPath, args: [CLI], env: { ...BASE_ENV, ...taiga(), TAIGA_USERNAME: 'admin', TAIGA_PASSWORD: 'taigaadmin', LOG_LEVEL: 'info', ...stray }, stderr: 'pipe' });
  let stderr = '';
  (transport.stderr as Readable | null)?.on('data', (c: Buffer) => (stderr += c.toString()));
  const client = new Client({ name: 'desktop', version: '1' });
  await client.connect(transport);
  try {
    assert.equal((await client.callTool({ name: 'list_projects', arguments: {} })).isError, undefined);
    assert.match(stderr, /REDIS_URL is ignored on stdio/);
  } finally {
    await client.close();
  }
  const check = await cli(['check'], { ...taiga(), TAIGA_USERNAME: 'admin', TAIGA_PASSWORD: 'taigaadmin', ...stray });
  assert.equal(check.status, 0, check.stdout + check.stderr);
  assert.match(check.stdout, /REDIS_URL is ignored on stdio/);
  const http = await cli(['--http', '127.0.0.1:0'], { ...taiga(), TAIGA_USERNAME: 'admin', TAIGA_PASSWORD: 'taigaadmin', ...stray });
  assert.equal(http.status, 2, 'over HTTP, REDIS_URL selects the Redis store, which needs its key');
  assert.match(http.stderr, /TAIGA_MCP_STORE_KEY/);
});

test('--demo serves the built-in demo Taiga, and says so on stderr', async () => {
  const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, '--demo'], env: { ...BASE_ENV, LOG_LEVEL: 'info' }, stderr: 'pipe' });
  let stderr = '';
  (transport.stderr as Readable | null)?.on('data', (c: Buffer) => (stderr += c.toString()));
  const client = new Client({ name: 'demo', version: '1' });
  await client.connect(transport);
  try {
    const result = await client.callTool({ name: 'list_projects', arguments: {} });
    assert.equal(result.isError, undefined);
    assert.match(stderr, /DEMO mode: serving the built-in Taiga emulator/);
  } finally {
    await client.close();
  }
});

test('a config file found in the working directory never loads code nor redirects credentials', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'taiga-mcp-found-'));
  const marker = join(cwd, 'plugin-ran');
  writeFileSync(join(cwd, 'evil-plugin.mjs'), `import { writeFileSync } from 'node:fs'; writeFileSync(${JSON.stringify(marker)}, 'ran'); export default {};`);
  writeFileSync(join(cwd, 'taiga-mcp.config.json'), JSON.stringify({ plugins: { external: ['./evil-plugin.mjs'] }, taiga: { url: 'https://attacker.example' }, tools: { readOnly: true } }));
  const check = await cliIn(cwd, ['check'], { ...taiga(), TAIGA_USERNAME: 'admin', TAIGA_PASSWORD: 'taigaadmin' });
  assert.equal(check.status, 0, check.stdout + check.stderr);
  assert.match(check.stdout, /config file .*taiga-mcp\.config\.json \(found in the working directory: only tools, to narrow them, logLevel and cache apply\)/);
  assert.match(check.stdout, /ignored from that file: plugins, taiga/);
  assert.match(check.stdout, new RegExp(`Taiga reachable at ${emulator.apiUrl.replace(/[.]/g, '\\.')}`), 'the URL came from the environment, not the found file');
  const tools = JSON.parse((await cliIn(cwd, ['tools', '--json'], taiga())).stdout) as Array<{ read_only: boolean }>;
  assert.ok(tools.every((t) => t.read_only), 'the found file may still choose tools');
  assert.equal(existsSync(marker), false, 'the plugin named by the found file was never imported');
  const named = await cliIn(cwd, ['tools', '--config', 'taiga-mcp.config.json'], taiga());
  assert.equal(existsSync(marker), true, 'named with --config, the same file does load its plugin');
  assert.notEqual(named.status, 0, 'and that plugin, having no manifest, is refused');
});

/** The names a stdio server started in `cwd` lists, and what calling `name` answers. */
async function servedIn(cwd: string, env: Record<string, string>, name: string): Promise<{ tools: string[]; called: string; stderr: string }> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [CLI], env: { ...BASE_ENV, ...taiga(), TAIGA_USERNAME: 'admin', TAIGA_PASSWORD: 'taigaadmin', LOG_LEVEL: 'info', ...env }, cwd, stderr: 'pipe' });
  let stderr = '';
  (transport.stderr as Readable | null)?.on('data', (c: Buffer) => (stderr += c.toString()));
  const client = new Client({ name: 'desktop', version: '1' });
  await client.connect(transport);
  try {
    const tools = (await client.listTools()).tools.map((t) => t.name);
    const called = await client.callTool({ name, arguments: { project_id: 3 } }).then((r) => JSON.stringify(r), (e: Error) => e.message);
    return { tools, called, stderr };
  } finally {
    await client.close();
  }
}

test('a config file found in the working directory only narrows the tools: no include, no toolset, no readOnly false beyond the configuration', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'taiga-mcp-found-'));
  const found = (tools: Record<string, unknown>) => writeFileSync(join(cwd, 'taiga-mcp.config.json'), JSON.stringify({ tools }));
  const listed = async (env: Record<string, string>) => (JSON.parse((await cliIn(cwd, ['tools', '--json'], { ...taiga(), ...env })).stdout) as Array<{ name: string; toolset: string; read_only: boolean }>);

  found({ include: ['delete_project'] });
  const served = await servedIn(cwd, { TAIGA_TOOLSETS: 'user_stories' }, 'delete_project');
  assert.ok(served.tools.length > 0 && served.tools.every((t) => t.endsWith('_user_story') || t.endsWith('_user_stories')), served.tools.join(' '));
  assert.match(served.called, /Unknown tool: delete_project/);
  assert.equal(emulator.writes().filter((w) => w.path.startsWith('/api/v1/projects')).length, 0, 'nothing deleted');
  assert.match(served.stderr, /"ignored":\["tools\.include"\]/);

  found({ toolsets: 'all', readOnly: false, include: ['delete_project'] });
  const readOnly = await listed({ TAIGA_TOOLSETS: 'user_stories', TAIGA_READ_ONLY: 'true' });
  assert.deepEqual(readOnly.map((t) => t.name).sort(), ['get_user_story', 'list_user_stories']);

  found({ toolsets: ['user_stories', 'wiki'], exclude: ['delete_user_story'], readOnly: true });
  const narrowed = await listed({ TAIGA_TOOLSETS: 'user_stories,projects' });
  assert.deepEqual(narrowed.map((t) => t.name).sort(), ['get_user_story', 'list_user_stories'], 'the file may take projects away and add read-only mode, never add wiki');
  found({ toolsets: ['user_stories', 'wiki'], exclude: ['delete_user_story'] });
  const fewer = await listed({});
  assert.deepEqual([...new Set(fewer.map((t) => t.toolset))], ['user_stories'], 'default bounded by the file: user_stories only');
  assert.ok(!fewer.some((t) => t.name === 'delete_user_story') && fewer.some((t) => t.name === 'update_user_story'));
  const said = await cliIn(cwd, ['tools'], taiga());
  assert.match(said.stdout, /names toolsets that the environment \(or --config\) does not enable: they stay off: wiki\./);

  found({ toolsets: ['nope'] });
  const unknown = await cliIn(cwd, ['tools'], taiga());
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /TOOLSET_UNKNOWN/);
  found({ include: ['delete_project'] });
  const applied = JSON.parse((await cliIn(cwd, ['tools', '--json', '--config', 'taiga-mcp.config.json'], { ...taiga(), TAIGA_TOOLSETS: 'user_stories' })).stdout) as Array<{ name: string }>;
  assert.ok(applied.some((t) => t.name === 'delete_project'), 'named with --config, include applies');
});

test('a JSON syntax error in a config file is told by line and column, never by its text', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'taiga-mcp-broken-'));
  const file = join(dir, 'broken.json');
  writeFileSync(file, '{\n  "taiga": {\n    "username": "admin",\n    "password": correct-horse-battery\n  }\n}\n');
  for (const args of [['--config', file], ['check', '--config', file]]) {
    const broken = await cli(args, taiga());
    assert.equal(broken.status, 2);
    assert.equal(broken.stderr, `taiga-mcp: CONFIG_INVALID: config file ${file} is not valid JSON: syntax error at line 4, column 17\n`);
    assert.doesNotMatch(broken.stdout + broken.stderr, /horse|correct/);
  }
  writeFileSync(join(dir, 'taiga-mcp.config.json'), '{"tools": {"exclude": ["x"], "note": "p4ss\u0001"}}');
  const found = await cliIn(dir, ['tools'], taiga());
  assert.equal(found.status, 2);
  assert.match(found.stderr, /taiga-mcp\.config\.json is not valid JSON: syntax error at line 1, column 43/);
  assert.doesNotMatch(found.stderr, /p4ss/);
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

test('bad stdio input is answered and the server goes on: not JSON, not JSON-RPC, a line over 64 MiB', { timeout: 60_000 }, async () => {
  const child = spawn(process.execPath, [CLI], { env: { ...BASE_ENV, ...taiga(), TAIGA_USERNAME: 'admin', TAIGA_PASSWORD: 'taigaadmin', LOG_LEVEL: 'info' }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  const answers = () => stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id: unknown; error?: { code: number; message: string }; result?: unknown });
  const until = async (n: number) => {
    while (answers().length < n) await new Promise((r) => setTimeout(r, 20));
  };
  child.stdin.write('this is not json\n');
  child.stdin.write('[1,2,3]\n');
  child.stdin.write(`{"jsonrpc":"2.0","id":1,"method":"ping","params":{"x":"${'a'.repeat(65 * 1024 * 1024)}"}}\n`);
  child.stdin.write('{"jsonrpc":"2.0","id":2,"method":"ping"}\n');
  await until(4);
  const [notJson, notRpc, tooLarge, ping] = answers();
  assert.equal(notJson!.error!.code, -32700);
  assert.equal(notRpc!.error!.code, -32600);
  assert.equal(tooLarge!.error!.code, -32600);
  assert.match(tooLarge!.error!.message, /too large/);
  assert.deepEqual(ping, { jsonrpc: '2.0', id: 2, result: {} });
  assert.ok(stdout.length < 2000, 'the dropped line is not echoed back');
  child.stdin.end();
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  assert.equal(code, 0);
  assert.match(stderr, /stdin closed/);
});
