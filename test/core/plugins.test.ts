import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as v from 'valibot';
import { checkPlugins, importPlugin } from '../../core/plugin/loader.js';
import { buildInventory } from '../../core/inventory.js';
import { definePlugin, defineTool } from '../../core/plugin/define.js';
import { validateConfig } from '../../core/config/load.js';
import { builtinPlugins } from '../../plugins/index.js';
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
