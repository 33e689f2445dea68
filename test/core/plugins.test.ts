import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as v from 'valibot';
import { checkPlugins, importPlugin } from '../../core/plugin/loader.js';
import { buildInventory } from '../../core/inventory.js';
import { definePlugin, defineTool } from '../../core/plugin/define.js';
import { validateConfig } from '../../core/config/load.js';
import { builtinPlugins } from '../../plugins/index.js';
import { buildRegistry } from '../../core/resources/registry.js';
import type { PromptDefinition, ResourceDefinition } from '../../core/plugin/types.js';
import type { TaigaMcpError } from '../../core/errors.js';

const tool = (name: string, readOnly = true) =>
  defineTool({
    name,
    title: name,
    description: `does ${name}`,
    input: v.strictObject({}),
    output: v.object({}),
    annotations: { readOnlyHint: readOnly, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    handler: async () => ({}),
  });
const plugin = (name: string, extra: Partial<Parameters<typeof definePlugin>[0]> = {}) =>
  definePlugin({ name, version: '1.0.0', core: '^1.0.0', toolset: { id: name, description: name, default: true }, tools: [tool(`${name}_read`), tool(`${name}_write`, false)], ...extra });
const code = (c: string) => (e: TaigaMcpError) => e.code === c;

test('loader: each start-up failure has its own code', () => {
  assert.throws(() => checkPlugins([plugin('a'), plugin('a')]), code('PLUGIN_DUPLICATE'));
  // The built-in plugins skip the version checks at start (they ship with this core): they pass them all.
  assert.equal(checkPlugins(builtinPlugins).length, builtinPlugins.length);
  assert.throws(() => checkPlugins([plugin('a', { core: '^2.0.0' })], undefined, new Set()), code('PLUGIN_CORE_RANGE'));
  assert.throws(() => checkPlugins([plugin('a', { core: '^2.0.0' })]), code('PLUGIN_CORE_RANGE'));
  assert.throws(() => checkPlugins([plugin('a', { dependencies: ['b'] })]), code('PLUGIN_DEPENDENCY_MISSING'));
  assert.throws(() => checkPlugins([plugin('a'), plugin('b', { tools: [tool('a_read')] })]), code('TOOL_NAME_COLLISION'));
  assert.throws(() => checkPlugins([plugin('a', { version: 'x' })]), code('PLUGIN_INVALID'));
  const noHint = { ...tool('x_y'), annotations: { readOnlyHint: true } } as unknown as ReturnType<typeof tool>;
  assert.throws(() => checkPlugins([plugin('a', { tools: [noHint] })]), code('PLUGIN_INVALID'));
});

const resource = (requires?: unknown): ResourceDefinition => ({ name: 'r', title: 'r', description: 'r', uriTemplate: 'x://{a}', read: async () => ({ data: {}, text: '' }), ...(requires !== undefined && { requires: requires as string[] }) });
const prompt = (requires?: string[]): PromptDefinition => ({ name: 'p', title: 'p', description: 'p', arguments: [], get: async () => ({ description: '', text: '' }), ...(requires && { requires }) });

test('loader: a resource or prompt stands for tools that exist', () => {
  const invalid = (pattern: RegExp) => (e: TaigaMcpError) => e.code === 'PLUGIN_INVALID' && pattern.test(e.message);
  assert.throws(() => checkPlugins([plugin('a', { resources: [resource(['a_read', 'nope'])] })]), invalid(/resource r requires unknown tool\(s\): nope/));
  assert.throws(() => checkPlugins([plugin('a', { prompts: [prompt(['nope'])] })]), invalid(/prompt p requires unknown/));
  assert.throws(() => checkPlugins([plugin('a', { resources: [resource('a_read')] })]), invalid(/requires must be an array of tool names/));
  assert.throws(() => checkPlugins([plugin('a', { resources: [resource([1])] })]), invalid(/requires must be an array/));
  assert.throws(() => checkPlugins([plugin('a', { tools: [], prompts: [prompt()] })]), invalid(/must name the tools it stands for/));
  assert.throws(() => checkPlugins([plugin('a', { tools: [], prompts: [prompt([])] })]), invalid(/must name the tools it stands for/));
  assert.equal(checkPlugins([plugin('a', { resources: [resource(['b_write'])], prompts: [prompt()] }), plugin('b')]).length, 2, "another plugin's tools may be named");
  const shipped = plugin('c');
  assert.equal(checkPlugins([plugin('a', { prompts: [prompt(['c_read'])] })], undefined, new Set([shipped])).length, 1, 'a built-in left out by plugins.disabled still names its tools');
});

test('registry: a resource or prompt is served only while every tool it stands for is enabled; by default its plugin\'s read tools', () => {
  const served = (p: ReturnType<typeof plugin>, enabled: string[]) => {
    const r = buildRegistry([p], new Set(enabled));
    return [r.templates.length, r.prompts.size];
  };
  const derived = plugin('a', { resources: [resource()], prompts: [prompt()], tools: [tool('a_read'), tool('a_list'), tool('a_write', false)] });
  assert.deepEqual(served(derived, ['a_read', 'a_list']), [1, 1]);
  assert.deepEqual(served(derived, ['a_read', 'a_write']), [0, 0]);
  const writesOnly = plugin('a', { resources: [resource()], tools: [tool('a_write', false), tool('a_delete', false)] });
  assert.deepEqual(served(writesOnly, ['a_write']), [0, 0], 'no read tool: every tool of the plugin');
  assert.deepEqual(served(writesOnly, ['a_write', 'a_delete']), [1, 0]);
  const declared = plugin('a', { resources: [resource(['a_write', 'z'])], prompts: [prompt(['a_read'])] });
  assert.deepEqual(served(declared, ['a_write', 'z']), [1, 0]);
  assert.deepEqual(served(declared, ['a_write', 'a_read']), [0, 1]);
});

test('loader: dependencies come first, cycles are refused', () => {
  const ordered = checkPlugins([plugin('b', { dependencies: ['a'] }), plugin('a')]);
  assert.deepEqual(ordered.map((p) => p.name), ['a', 'b']);
  assert.throws(() => checkPlugins([plugin('a', { dependencies: ['b'] }), plugin('b', { dependencies: ['a'] })]), code('PLUGIN_DEPENDENCY_MISSING'));
});

test('loader: a third-party plugin is imported by path; a bad one fails with a code', async () => {
  await assert.rejects(importPlugin('./no/such/plugin.js', process.cwd()), code('PLUGIN_LOAD_FAILED'));
  const loaded = await importPlugin(new URL('../../examples/custom-fields-plugin/index.js', import.meta.url).pathname, process.cwd());
  assert.equal(loaded.name, 'acme-time');
});

const tools = (over: Record<string, unknown> = {}) => validateConfig({ tools: over }).tools;
const names = (inv: ReturnType<typeof buildInventory>) => inv.enabled.map((e) => e.tool.name);

test('inventory: default, all, a list, include, exclude and read-only', () => {
  const plugins = [plugin('a'), plugin('b', { toolset: { id: 'b', description: 'b', default: false } })];
  assert.deepEqual(names(buildInventory(plugins, tools(), { loginEnabled: true })), ['a_read', 'a_write']);
  assert.equal(buildInventory(plugins, tools({ toolsets: 'all' }), { loginEnabled: true }).enabled.length, 4);
  assert.deepEqual(names(buildInventory(plugins, tools({ toolsets: ['b'] }), { loginEnabled: true })), ['b_read', 'b_write']);
  assert.deepEqual(names(buildInventory(plugins, tools({ include: ['b_read'], exclude: ['a_write'] }), { loginEnabled: true })), ['a_read', 'b_read']);
  assert.deepEqual(names(buildInventory(plugins, tools({ toolsets: 'all', readOnly: true, include: ['a_write'] }), { loginEnabled: true })), ['a_read', 'b_read']);
  assert.throws(() => buildInventory(plugins, tools({ toolsets: ['nope'] }), { loginEnabled: true }), code('TOOLSET_UNKNOWN'));
  assert.throws(() => buildInventory(plugins, tools({ exclude: ['nope'] }), { loginEnabled: true }), code('TOOL_UNKNOWN'));
});

test('inventory: login can be switched off; read-only keeps the session tools', () => {
  const inv = buildInventory(checkPlugins(builtinPlugins), tools({ readOnly: true }), { loginEnabled: false });
  const enabled = names(inv);
  assert.ok(!enabled.includes('login'));
  assert.ok(enabled.includes('session_status'));
  assert.ok(enabled.every((n) => inv.enabled.find((e) => e.tool.name === n)!.tool.annotations.readOnlyHint));
});
