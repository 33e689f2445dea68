import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Readable } from 'node:stream';
import { getMcpConfigForManifest, type McpbManifestAny } from '@anthropic-ai/mcpb';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { dataOf, errorOf } from '../helpers/stdio-harness.js';
import { mcpb, readPackageJson } from '../build/mcpb.js';
import { ENV_KEYS, OTHER_ENV } from '../../core/config/schema.js';

/**
 * The MCP Bundle as a desktop client installs it: built once by the `npm run mcpb` script into a
 * temporary folder, unpacked with `mcpb unpack`, and its server started exactly as the manifest's
 * `server.mcp_config` says, for each way a person may fill the form.
 */
const SCRIPT = fileURLToPath(new URL('../build/mcpb.js', import.meta.url));
const DIST = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);
const pkg = readPackageJson();

type McpConfig = { command: string; args: string[]; env: Record<string, string> };
type Manifest = McpbManifestAny & { server: { mcp_config: McpConfig } };
type Form = Record<string, string | boolean>;

let emulator: Emulator;
let work: string;
let bundle: string;
let unpacked: string;
let manifest: Manifest;

before(async () => {
  emulator = await startEmulator();
  work = mkdtempSync(join(tmpdir(), 'taiga-mcp-mcpb-'));
  await run(process.execPath, [SCRIPT, '--out-dir', work, '--stage', join(work, 'stage')], { maxBuffer: 16 * 1024 * 1024 });
  bundle = join(work, `${pkg.name}-${pkg.version}.mcpb`);
  unpacked = join(work, 'installed');
  mcpb(['unpack', bundle, unpacked]);
  manifest = JSON.parse(readFileSync(join(unpacked, 'manifest.json'), 'utf8')) as Manifest;
});
after(async () => emulator.close());

/**
 * `mcp_config` resolved as the client does: `${__dirname}` is where the bundle is installed, a field
 * filled in is its value (a checkbox "true" or "false"), and a field left blank stays the literal
 * `${user_config.<name>}` (what Claude Desktop and mcpb's resolver were measured to pass on).
 */
function resolveAsClient(form: Form): McpConfig {
  const fill = (text: string) =>
    text.replaceAll('${__dirname}', unpacked).replace(/\$\{user_config\.([^}]+)\}/g, (placeholder, key: string) => (form[key] === undefined || form[key] === '' ? placeholder : String(form[key])));
  const config = manifest.server.mcp_config;
  return { command: config.command, args: config.args.map(fill), env: Object.fromEntries(Object.entries(config.env).map(([k, v]) => [k, fill(v)])) };
}

interface Installed { client: Client; stderr(): string; call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>; close(): Promise<void> }

/** The bundle's server started as the client would, from a working folder of its own, driven over stdio. */
async function install(form: Form): Promise<Installed> {
  const { command, args, env } = resolveAsClient(form);
  const transport = new StdioClientTransport({ command, args, env, cwd: mkdtempSync(join(work, 'cwd-')), stderr: 'pipe' });
  let stderr = '';
  (transport.stderr as Readable | null)?.on('data', (c: Buffer) => (stderr += c.toString()));
  const client = new Client({ name: 'desktop', version: '1' });
  await client.connect(transport);
  return {
    client,
    stderr: () => stderr,
    call: async (name, a = {}) => (await client.callTool({ name, arguments: a })) as CallToolResult,
    close: () => client.close(),
  };
}

const taiga = (): Form => ({ taiga_url: emulator.url, allow_http: true });
const files = (dir: string): string[] => readdirSync(dir, { recursive: true }).map(String).filter((f) => statSync(join(dir, f)).isFile()).map((f) => f.split(sep).join('/')).sort();

test('npm run mcpb packs a valid bundle of the server, its chunks and the demo Taiga, and nothing else', (t) => {
  t.diagnostic(`${relative(work, bundle)}: ${Math.round(statSync(bundle).size / 1024)} KiB, ${files(unpacked).length} files`);
  assert.match(mcpb(['validate', join(unpacked, 'manifest.json')]), /Manifest schema validation passes/);
  const inside = files(unpacked);
  const server = inside.filter((f) => f.startsWith('server/'));
  assert.deepEqual(inside.filter((f) => !f.startsWith('server/')), ['icon.png', 'manifest.json', 'package.json']);
  for (const f of server) {
    assert.match(f, /^server\/(core\/(taiga-mcp(-[\w-]+)?\.mjs|tool-descriptors\.json|views\/\w+\.html)|demo\/emulator\/[\w/-]+\.js)$/, `${f} has no place in the bundle`);
    assert.deepEqual(readFileSync(join(unpacked, f)), readFileSync(join(DIST, f.slice('server/'.length))), `${f} is the built file`);
  }
  // The HTTP server and the Redis client are never loaded on stdio: left out.
  const code = server.filter((f) => f.endsWith('.mjs')).map((f) => readFileSync(join(unpacked, f), 'utf8')).join('\n');
  assert.ok(/^\/\/ node_modules\/undici\/index\.js$/m.test(code), 'undici is bundled: the bundle has no node_modules');
  assert.equal(code.match(/^\/\/ node_modules\/(@redis\/client|prom-client|jose)\//m)?.[0], undefined);
  const png = readFileSync(join(unpacked, 'icon.png'));
  assert.deepEqual([png.subarray(1, 4).toString(), png.readUInt32BE(16), png.readUInt32BE(20)], ['PNG', 512, 512]);
});

test('the manifest is generated from the code: package.json, the tools the server lists, and a form that maps to its variables', async () => {
  assert.deepEqual([manifest.manifest_version, manifest.name, manifest.version, manifest.description, manifest.license], ['0.4', pkg.name, pkg.version, pkg.description, pkg.license]);
  assert.deepEqual(manifest.compatibility, { platforms: ['darwin', 'win32', 'linux'], runtimes: { node: pkg.engines.node } });
  assert.deepEqual(manifest.server, { type: 'node', entry_point: 'server/core/taiga-mcp.mjs', mcp_config: manifest.server.mcp_config });
  const listed = await run(process.execPath, [join(unpacked, manifest.server.entry_point), 'tools', '--all', '--json'], { env: {}, maxBuffer: 16 * 1024 * 1024 });
  const tools = (JSON.parse(listed.stdout) as Array<{ name: string; description: string }>).map(({ name, description }) => ({ name, description }));
  assert.ok(tools.length > 70);
  assert.deepEqual(manifest.tools, tools);

  const form = manifest.user_config!;
  assert.deepEqual(Object.keys(form), ['taiga_url', 'application_token', 'username', 'password', 'toolsets', 'read_only', 'demo', 'allow_http']);
  assert.deepEqual(Object.keys(form).filter((k) => form[k]!.sensitive), ['application_token', 'username', 'password']);
  for (const [key, field] of Object.entries(form)) {
    assert.equal(field.required, false, key);
    assert.equal(typeof field.default, field.type, `${key} has a default of its type, so that a blank field is not a placeholder`);
  }
  const known = new Set<string>([...Object.keys(ENV_KEYS), ...OTHER_ENV]);
  assert.deepEqual(Object.entries(manifest.server.mcp_config.env).map(([name, value]) => [known.has(name), value]), Object.keys(form).map((key) => [true, `\${user_config.${key}}`]));
});

test('the placeholders resolve as mcpb itself (the code Claude Desktop uses) resolves them', async () => {
  const filled: Form = { taiga_url: 'https://taiga.example.com', application_token: 't', username: 'u', password: 'p', toolsets: 'all', read_only: true, demo: false, allow_http: false };
  const theirs = await getMcpConfigForManifest({ manifest, extensionPath: unpacked, systemDirs: {}, userConfig: filled, pathSeparator: '/' });
  assert.deepEqual(theirs && { command: theirs.command, args: theirs.args, env: theirs.env }, resolveAsClient(filled));
});

test('the demo, chosen in the form, serves the built-in Taiga with every other field blank', async () => {
  const app = await install({ demo: true });
  try {
    const projects = dataOf<{ items: Array<{ slug: string }> }>(await app.call('list_projects'));
    assert.ok(projects.items.some((p) => p.slug === 'project-1'));
    assert.match(app.stderr(), /DEMO mode/);
    assert.doesNotMatch(app.stderr(), /unknown TAIGA_\* environment variables/);
    // Claude Desktop shows MCP Apps views: their pages are in the bundle.
    const view = await app.client.readResource({ uri: 'ui://taiga-mcp/item' });
    assert.match(String((view.contents[0] as { text?: string }).text), /^<!doctype html>/);
  } finally {
    await app.close();
  }
});

test('a Taiga URL and an application token: calls and writes are that user\'s, every toolset on', async () => {
  const token = emulator.applicationToken('user2');
  const app = await install({ ...taiga(), application_token: token, toolsets: 'all' });
  try {
    assert.equal((await app.client.listTools()).tools.length, manifest.tools!.length);
    const story = dataOf<{ id: number; assigned_to: string }>(await app.call('create_user_story', { project_id: 'project-1', subject: 'Filed from the bundle', assigned_to: 'me' }));
    const owner = dataOf<{ owner: string }>(await app.call('get_user_story', { user_story_id: story.id })).owner;
    assert.deepEqual([owner, story.assigned_to], ['user2', 'user2']);
  } finally {
    await app.close();
  }
});

test('username and password, read-only: only reading tools, and they work', async () => {
  const app = await install({ ...taiga(), username: 'admin', password: 'taigaadmin', read_only: true });
  try {
    const names = (await app.client.listTools()).tools.map((t) => t.name);
    assert.ok(names.includes('list_user_stories') && !names.includes('create_user_story') && !names.includes('list_wiki_pages'), names.join());
    const stories = dataOf<{ total: number }>(await app.call('list_user_stories', { project_id: 'project-1' }));
    assert.ok(stories.total > 0);
    await assert.rejects(app.call('create_user_story', { project_id: 'project-1', subject: 'no' }), /Unknown tool: create_user_story/);
  } finally {
    await app.close();
  }
});

test('optional fields left blank reach the server as placeholders and count as unset: no credential is sent', async () => {
  const { env } = resolveAsClient(taiga());
  assert.equal(env['TAIGA_APPLICATION_TOKEN'], '${user_config.application_token}', 'the case measured on Claude Desktop');
  const app = await install(taiga());
  try {
    const before = emulator.totalRequests;
    const names = (await app.client.listTools()).tools.map((t) => t.name);
    assert.ok(names.includes('create_user_story') && !names.includes('list_wiki_pages'), 'default toolsets, not read-only');
    assert.equal(errorOf(await app.call('list_projects')).code, 'AUTH_REQUIRED');
    assert.equal(emulator.totalRequests, before, 'nothing reached Taiga with a placeholder for a token');
  } finally {
    await app.close();
  }
});

test('with the whole form blank the server stops and says what to set', async () => {
  const { command, args, env } = resolveAsClient({});
  const child = spawn(command, args, { env: { PATH: process.env['PATH'] ?? '', ...env }, cwd: work, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(status, 2, stderr);
  assert.match(stderr, /No Taiga configured: set TAIGA_API_URL .*TAIGA_MCP_DEMO=true/);
});
