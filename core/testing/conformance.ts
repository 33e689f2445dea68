import type { PluginDefinition, AnyTool } from '../plugin/types.js';
import { describeTool } from '../tool-schemas.js';

const NAME = /^[a-z][a-z0-9_]{0,63}$/;
const MAX_DESCRIPTION = 300;

/**
 * Problems that make a tool a bad citizen of tools/list. Empty when the tool conforms.
 * The same checks run over the built-in tools in this repository's own tests.
 */
export function toolProblems(tool: AnyTool): string[] {
  const problems: string[] = [];
  const say = (p: string) => problems.push(`${tool.name}: ${p}`);
  if (!NAME.test(tool.name)) say('name must be snake_case, at most 64 characters');
  if (!tool.title) say('title is missing');
  if (!tool.description) say('description is missing');
  if (tool.description.length > MAX_DESCRIPTION) say(`description longer than ${MAX_DESCRIPTION} characters`);
  for (const hint of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const) {
    if (typeof tool.annotations?.[hint] !== 'boolean') say(`annotations.${hint} must be a boolean`);
  }
  if (/^(list|get)_/.test(tool.name) && (!tool.annotations.readOnlyHint || tool.annotations.destructiveHint)) say('list_/get_ tools must be read-only and not destructive');
  if (tool.annotations.readOnlyHint && tool.annotations.destructiveHint) say('a read-only tool cannot be destructive');
  let descriptor;
  try {
    descriptor = describeTool(tool);
  } catch (err) {
    say(`schema cannot be converted to JSON Schema: ${(err as Error).message}`);
    return problems;
  }
  const input = descriptor.inputSchema as Record<string, unknown>;
  if (input['type'] !== 'object') say('inputSchema must be an object');
  if (input['additionalProperties'] !== false) say('inputSchema must refuse unknown fields (strictObject)');
  for (const key of ['anyOf', 'oneOf', 'allOf']) {
    if (key in input) say(`inputSchema has a top-level ${key}; many clients reject it`);
    if (descriptor.outputSchema && key in descriptor.outputSchema) say(`outputSchema has a top-level ${key}`);
  }
  for (const path of unboundedStrings(input, 'input')) say(`${path} is a string without maxLength (or enum)`);
  for (const path of unboundedArrays(input, 'input')) say(`${path} is an array without maxItems`);
  return problems;
}

export function pluginProblems(plugin: PluginDefinition): string[] {
  const problems: string[] = [];
  if (!plugin.name) problems.push('plugin name is missing');
  if (!plugin.toolset?.id) problems.push(`${plugin.name}: toolset is missing`);
  const seen = new Set<string>();
  for (const tool of plugin.tools) {
    if (seen.has(tool.name)) problems.push(`${plugin.name}: tool ${tool.name} is defined twice`);
    seen.add(tool.name);
    problems.push(...toolProblems(tool));
  }
  return problems;
}

/** Throws one error listing every problem of the plugin (for node:test, vitest, jest…). */
export function assertPluginConforms(plugin: PluginDefinition): void {
  const problems = pluginProblems(plugin);
  if (problems.length > 0) throw new Error(`plugin ${plugin.name} does not conform:\n- ${problems.join('\n- ')}`);
}

function walk(schema: unknown, path: string, visit: (node: Record<string, unknown>, path: string) => void): void {
  if (!schema || typeof schema !== 'object') return;
  const node = schema as Record<string, unknown>;
  visit(node, path);
  for (const [key, child] of Object.entries((node['properties'] as Record<string, unknown>) ?? {})) walk(child, `${path}.${key}`, visit);
  if (node['items']) walk(node['items'], `${path}[]`, visit);
  for (const key of ['anyOf', 'oneOf', 'allOf']) {
    for (const branch of (node[key] as unknown[]) ?? []) walk(branch, path, visit);
  }
}

function unboundedStrings(schema: unknown, root: string): string[] {
  const out: string[] = [];
  walk(schema, root, (node, path) => {
    if (node['type'] === 'string' && node['maxLength'] === undefined && node['enum'] === undefined && node['const'] === undefined && node['format'] !== 'date') out.push(path);
  });
  return out;
}

function unboundedArrays(schema: unknown, root: string): string[] {
  const out: string[] = [];
  walk(schema, root, (node, path) => {
    if (node['type'] === 'array' && node['maxItems'] === undefined) out.push(path);
  });
  return out;
}
