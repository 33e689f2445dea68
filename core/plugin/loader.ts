import { pathToFileURL } from 'node:url';
import { isAbsolute, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { TaigaMcpError } from '../errors.js';
import { CORE_VERSION } from '../version.js';
import type { AnyTool, PluginDefinition } from './types.js';
import { requiredTools } from '../resources/registry.js';

const TOOL_NAME = /^[a-z][a-z0-9_]{0,63}$/;

/** semver (18 modules, and regexes built as it loads) is loaded only to check a third-party plugin. */
let semverModule: typeof import('semver') | undefined;
const semver = (): typeof import('semver') => (semverModule ??= createRequire(import.meta.url)('semver') as typeof import('semver'));
const HINTS = ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const;

/**
 * Checks plugins in Fastify's order, each failure with its own code:
 * contract → duplicate name → core range → dependencies → tool names → the tools resources and prompts stand for.
 * Returns them ordered so that every plugin comes after its dependencies.
 * `shipped` plugins (the built-in ones, which ship with this core) skip the version checks: a test
 * holds them to the full check.
 */
export function checkPlugins(plugins: readonly PluginDefinition[], coreVersion = CORE_VERSION, shipped: ReadonlySet<PluginDefinition> = new Set()): PluginDefinition[] {
  plugins.forEach((p) => checkContract(p, shipped.has(p)));
  const byName = new Map<string, PluginDefinition>();
  for (const p of plugins) {
    if (byName.has(p.name)) throw new TaigaMcpError('PLUGIN_DUPLICATE', { message: `Two plugins are named "${p.name}".` });
    byName.set(p.name, p);
  }
  for (const p of plugins) {
    if (shipped.has(p)) continue;
    if (!semver().validRange(p.core) || !semver().satisfies(coreVersion, p.core)) {
      throw new TaigaMcpError('PLUGIN_CORE_RANGE', { message: `Plugin "${p.name}" needs core ${p.core}; this is core ${coreVersion}.` });
    }
  }
  for (const p of plugins) {
    for (const dep of p.dependencies ?? []) {
      if (!byName.has(dep)) throw new TaigaMcpError('PLUGIN_DEPENDENCY_MISSING', { message: `Plugin "${p.name}" needs plugin "${dep}", which is not enabled.` });
    }
  }
  const owner = new Map<string, string>();
  for (const p of plugins) {
    for (const t of p.tools) {
      const other = owner.get(t.name);
      if (other) throw new TaigaMcpError('TOOL_NAME_COLLISION', { message: `Tool "${t.name}" is defined by both "${other}" and "${p.name}".` });
      owner.set(t.name, p.name);
    }
  }
  // A built-in plugin left out by plugins.disabled still names its tools: what needs them is hidden, not refused.
  const known = new Set([...owner.keys(), ...[...shipped].flatMap((p) => p.tools.map((t) => t.name))]);
  plugins.forEach((p) => checkRequires(p, known));
  return topoSort(plugins, byName);
}

/** Each resource and prompt stands for tools that exist (see ServedOnlyWith in types.ts). */
function checkRequires(p: PluginDefinition, known: ReadonlySet<string>): void {
  for (const item of [...(p.resources ?? []), ...(p.prompts ?? [])]) {
    const bad = (why: string) => new TaigaMcpError('PLUGIN_INVALID', { message: `Plugin "${p.name}": ${'uriTemplate' in item ? 'resource' : 'prompt'} ${String(item.name)} ${why}` });
    if (item.requires !== undefined && (!Array.isArray(item.requires) || !item.requires.every((n) => typeof n === 'string'))) throw bad('requires must be an array of tool names');
    const required = requiredTools(p, item);
    if (required.length === 0) throw bad('must name the tools it stands for in requires (the plugin has none)');
    const unknown = required.filter((n) => !known.has(n));
    if (unknown.length > 0) throw bad(`requires unknown tool(s): ${unknown.join(', ')}`);
  }
}

function checkContract(p: PluginDefinition, shipped: boolean): void {
  const bad = (why: string) => new TaigaMcpError('PLUGIN_INVALID', { message: `Plugin "${String(p?.name)}": ${why}` });
  if (!p || typeof p.name !== 'string' || !p.name) throw bad('name is missing');
  if (typeof p.version !== 'string' || (!shipped && !semver().valid(p.version))) throw bad('version must be a semver version');
  if (typeof p.core !== 'string') throw bad('core must be a semver range');
  if (!p.toolset || typeof p.toolset.id !== 'string') throw bad('toolset is missing');
  if (!Array.isArray(p.tools)) throw bad('tools must be an array');
  p.tools.forEach((t: AnyTool) => {
    if (!t || typeof t.name !== 'string' || !TOOL_NAME.test(t.name)) throw bad(`tool name ${JSON.stringify(t?.name)} must be snake_case`);
    if (!t.title || !t.description) throw bad(`tool ${t.name} needs a title and a description`);
    if (!t.input || (t.input.type !== 'object' && t.input.type !== 'strict_object')) throw bad(`tool ${t.name} input must be a valibot object schema`);
    if (!t.output) throw bad(`tool ${t.name} needs an output schema`);
    if (typeof t.handler !== 'function') throw bad(`tool ${t.name} needs a handler`);
    for (const hint of HINTS) if (typeof t.annotations?.[hint] !== 'boolean') throw bad(`tool ${t.name} must set annotations.${hint}`);
  });
}

function topoSort(plugins: readonly PluginDefinition[], byName: Map<string, PluginDefinition>): PluginDefinition[] {
  const out: PluginDefinition[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (p: PluginDefinition) => {
    if (state.get(p.name) === 'done') return;
    if (state.get(p.name) === 'visiting') throw new TaigaMcpError('PLUGIN_DEPENDENCY_MISSING', { message: `Plugin "${p.name}" is part of a dependency cycle.` });
    state.set(p.name, 'visiting');
    for (const dep of p.dependencies ?? []) visit(byName.get(dep)!);
    state.set(p.name, 'done');
    out.push(p);
  };
  plugins.forEach(visit);
  return out;
}

/** Loads a third-party plugin by package name or file path; its default export is the manifest. */
export async function importPlugin(specifier: string, cwd: string): Promise<PluginDefinition> {
  const target = specifier.startsWith('.') || isAbsolute(specifier) ? pathToFileURL(resolve(cwd, specifier)).href : specifier;
  let mod: Record<string, unknown>;
  try {
    mod = (await import(target)) as Record<string, unknown>;
  } catch (err) {
    throw new TaigaMcpError('PLUGIN_LOAD_FAILED', { message: `Plugin "${specifier}" could not be imported: ${(err as Error).message}`, cause: err });
  }
  const plugin = (mod['default'] ?? mod['plugin']) as PluginDefinition | undefined;
  if (!plugin) throw new TaigaMcpError('PLUGIN_INVALID', { message: `Plugin "${specifier}" has no default export.` });
  return plugin;
}
