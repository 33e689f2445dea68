import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Readable } from 'node:stream';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { ROOT } from '../helpers/stdio-harness.js';
import { CORE_VERSION } from '../../core/version.js';
import { installPackedPackage, USER_ENV } from '../helpers/installed-package.js';

/** The published package on its own, run from where it was installed (see installPackedPackage). */
const run = promisify(execFile);

let emulator: Emulator;
let dir: string;
let bin: string;
let packed: string[];

before(async () => {
  emulator = await startEmulator();
  ({ dir, bin, files: packed } = await installPackedPackage());
});
after(async () => emulator.close());

/** A third-party plugin as the README shows one, with its test through the test kit. */
const PLUGIN_SOURCE = `import * as v from 'valibot';
import { definePlugin, defineTool, ProjectRef, quote } from 'taiga-mcp';
import { assertPluginConforms, createTestClient, dataOf, startTestTaiga } from 'taiga-mcp/testing';

const sprintNames = defineTool({
  name: 'acme_sprint_names',
  title: 'Sprint names',
  description: 'Names of the sprints of a project.',
  input: v.strictObject({ project_id: ProjectRef }),
  output: v.object({ names: v.array(v.string()) }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ project_id }, { resolve }) {
    const meta = await resolve.project(await resolve.projectId(project_id));
    return { names: meta.sprints.map((s) => s.name) };
  },
  render: (r) => r.names.map(quote).join(', '),
});
const plugin = definePlugin({
  name: 'acme-sprints', version: '1.0.0', core: '^1.1.0', dependencies: ['projects'],
  toolset: { id: 'acme_sprints', description: 'ACME sprints', default: false },
  tools: [sprintNames],
});

assertPluginConforms(plugin);
const taiga = await startTestTaiga();
const kit = await createTestClient({ plugins: [plugin], config: { taiga: { url: taiga.url, allowHttp: true, username: 'admin', password: 'taigaadmin' }, tools: { toolsets: ['acme_sprints'] } } });
try {
  process.stdout.write(JSON.stringify(dataOf<{ names: string[] }>(await kit.call('acme_sprint_names', { project_id: 'project-1' }))));
} finally {
  await kit.close();
  await taiga.close();
}
`;

function installed(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(bin, args, { cwd: dir, env: { ...USER_ENV, LOG_LEVEL: 'silent', ...env } });
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

test('the package holds what its entry points load: no tests, build scripts, unbundled CLI, declarations of internals or maps of unshipped sources', () => {
  for (const path of ['package.json', 'README.md', 'config/taiga-mcp.schema.json', 'dist/core/taiga-mcp.mjs', 'dist/core/taiga-mcp.mjs.map', 'dist/core/tool-descriptors.json', 'dist/core/index.js', 'dist/core/index.d.ts', 'dist/core/testing/index.d.ts', 'dist/demo/emulator/index.js']) {
    assert.ok(packed.includes(path), `${path} is shipped`);
  }
  const chunks = readFileSync(join(ROOT, 'dist/core/taiga-mcp.mjs'), 'utf8').match(/\.\/taiga-mcp-[\w-]+\.mjs/g) ?? [];
  assert.ok(chunks.length > 3 && chunks.every((c) => packed.includes(`dist/core/${c.slice(2)}`)), 'the chunks the bundle imports');
  const internals = ['dist/core/cli.js', 'dist/core/cli-commands.js', 'dist/core/http/serve.js', 'dist/core/http/serve.d.ts', 'dist/core/sessions/redis-store.d.ts', 'dist/plugins/index.d.ts', 'dist/core/tool-descriptors-write.js', 'dist/core/config/write-schema.js'];
  assert.deepEqual(internals.filter((path) => packed.includes(path)), []);
  assert.deepEqual(packed.filter((path) => path.startsWith('dist/test/') || path.endsWith('.js.map')), []);
});

/**
 * Every module a declaration of the installed package imports, as tsc's resolution trace tells it,
 * with what it resolved to (undefined: not resolved). tsc skips checking declaration files here
 * (checking the SDK's and zod's costs seconds), and a declaration it does not find silently
 * becomes `any` then, so the trace is where a missing one shows.
 */
function importsOfPackageDeclarations(trace: string): Array<{ specifier: string; from: string; to: string | undefined }> {
  const block = /======== Resolving module '([^']+)' from '([^']+)'\. ========[\s\S]*?======== Module name '\1' was (?:successfully resolved to '([^']+)'|not resolved)/g;
  return [...trace.matchAll(block)].map((m) => ({ specifier: m[1]!, from: m[2]!, to: m[3] })).filter((r) => r.from.includes(`${join('node_modules', 'taiga-mcp')}`));
}

test('a plugin written against the installed package type-checks (strict) and runs; every declaration its types reach is in the package', { timeout: 120_000 }, async () => {
  writeFileSync(join(dir, 'plugin.ts'), PLUGIN_SOURCE);
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const types = join(ROOT, 'node_modules', '@types');
  const compiled = await run(process.execPath, [tsc, '--strict', '--skipLibCheck', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2023', '--types', 'node', '--typeRoots', types, '--outDir', 'out', '--traceResolution', 'plugin.ts'], { cwd: dir, env: USER_ENV, maxBuffer: 256 * 1024 * 1024 })
    .catch((err: { stdout: string }) => assert.fail(err.stdout.split('\n').filter((line) => line.includes('error TS')).join('\n')));
  const imports = importsOfPackageDeclarations(compiled.stdout);
  assert.ok(imports.length > 50, `${imports.length} imports traced`);
  // node:* modules are declared by @types/node, not resolved to a file.
  assert.deepEqual(imports.filter((i) => !i.specifier.startsWith('node:') && !/\.d\.[mc]?ts$/.test(i.to ?? '')), []);
  const out = await run(process.execPath, ['out/plugin.js'], { cwd: dir, env: USER_ENV });
  assert.deepEqual(JSON.parse(out.stdout), { names: ['Sprint 2026-9-27'] });
});

test('npm publish --dry-run has nothing to correct in package.json', { timeout: 120_000 }, async () => {
  // Offline, towards a registry that is not there: the dry run packs and checks, and sends nothing.
  const publish = await run('npm', ['publish', '--dry-run', '--ignore-scripts', '--offline', '--registry', 'http://127.0.0.1:9/'], { cwd: ROOT, env: USER_ENV, maxBuffer: 64 * 1024 * 1024 });
  const warnings = publish.stderr.split('\n').filter((line) => line.startsWith('npm warn') && !/requires you to be logged in/.test(line));
  assert.deepEqual(warnings, []);
  assert.match(publish.stdout, /^\+ taiga-mcp@\d+\.\d+\.\d+$/m);
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

  const transport = new StdioClientTransport({ command: bin, args: ['--demo'], cwd: dir, env: { ...USER_ENV, LOG_LEVEL: 'info' }, stderr: 'pipe' });
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

// A third-party plugin through the installed command: what only such a plugin loads (semver for its
// core range, the schema describer for a tool the build did not describe, the import of the plugin
// next to the bundle's own copy of the API) runs as it ships.
const PLUGIN = (core: string) => `import * as v from 'valibot';
import { definePlugin, defineTool, ProjectRef, TaigaMcpError } from 'taiga-mcp';
export default definePlugin({
  name: 'acme-names', version: '1.0.0', core: ${JSON.stringify(core)},
  toolset: { id: 'acme', description: 'ACME', default: true },
  tools: [defineTool({
    name: 'acme_project_name', title: 'Project name', description: 'The name of a project.',
    input: v.strictObject({ project_id: ProjectRef }),
    output: v.object({ name: v.string() }),
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    async handler({ project_id }, ctx) {
      const id = await ctx.resolve.projectId(project_id);
      if (id === 7) throw new TaigaMcpError('PERMISSION_DENIED', { message: 'ACME keeps project 7 to itself.' });
      return { name: (await ctx.taiga.get('/projects/' + id)).name };
    },
  })],
});
`;

test('a third-party plugin loads into the installed command and serves its tool; one for another core stops start-up', { timeout: 60_000 }, async () => {
  writeFileSync(join(dir, 'acme.mjs'), PLUGIN('^1.1.0'));
  writeFileSync(join(dir, 'acme-old.mjs'), PLUGIN('^0.9.0'));
  writeFileSync(join(dir, 'acme.json'), JSON.stringify({ plugins: { external: ['./acme.mjs'] } }));
  writeFileSync(join(dir, 'acme-old.json'), JSON.stringify({ plugins: { external: ['./acme-old.mjs'] } }));
  const taiga = { TAIGA_API_URL: emulator.url, ALLOW_HTTP_TAIGA: 'true', TAIGA_USERNAME: 'admin', TAIGA_PASSWORD: 'taigaadmin' };

  const old = await installed(['--config', 'acme-old.json'], taiga);
  assert.equal(old.status, 2, old.stderr);
  assert.ok(old.stderr.includes(`PLUGIN_CORE_RANGE: Plugin "acme-names" needs core ^0.9.0; this is core ${CORE_VERSION}.`), old.stderr);

  const transport = new StdioClientTransport({ command: bin, args: ['--config', 'acme.json'], cwd: dir, env: { ...USER_ENV, ...taiga, LOG_LEVEL: 'warn' }, stderr: 'pipe' });
  let stderr = '';
  (transport.stderr as Readable | null)?.on('data', (c: Buffer) => (stderr += c.toString()));
  const client = new Client({ name: 'installed-plugin', version: '1' });
  await client.connect(transport);
  try {
    const tool = (await client.listTools()).tools.find((t) => t.name === 'acme_project_name');
    assert.deepEqual(tool?.inputSchema.required, ['project_id'], stderr);
    const named = await client.callTool({ name: 'acme_project_name', arguments: { project_id: 'project-1' } });
    assert.deepEqual(named.structuredContent, { name: 'Project Example 1' }, JSON.stringify(named.content));
    // The plugin's TaigaMcpError (its copy of the API, not the bundle's) keeps its code.
    const refused = await client.callTool({ name: 'acme_project_name', arguments: { project_id: 7 } });
    assert.match((refused.content as Array<{ text: string }>)[0]!.text, /"code":"PERMISSION_DENIED","message":"ACME keeps project 7 to itself\."/);
  } finally {
    await client.close();
  }
});
