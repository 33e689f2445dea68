import type { PluginDefinition, AnyTool } from '../plugin/types.js';
import { callSchema, describeTool } from '../tool-schemas.js';

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
  if (tool.input.type !== 'strict_object') say('input must refuse unknown fields (strictObject)');
  for (const key of ['anyOf', 'oneOf', 'allOf']) {
    if (key in input) say(`inputSchema has a top-level ${key}; many clients reject it`);
    if (descriptor.outputSchema && key in descriptor.outputSchema) say(`outputSchema has a top-level ${key}`);
  }
  for (const path of unbounded(callSchema(tool), 'input')) say(`${path} has no upper bound (maxLength / maxEntries) the server could enforce`);
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

type Node = { type?: string; pipe?: Node[]; wrapped?: Node; options?: Node[]; item?: Node; value?: Node; entries?: Record<string, Node> };

/**
 * Every string, array and record of the input must carry an upper bound in its valibot pipe: the
 * server enforces it even though tools/list does not advertise it (tool-schemas.ts `advertise`).
 */
function unbounded(schema: Node, path: string): string[] {
  const base = schema.pipe?.[0] ?? schema;
  const actions = (schema.pipe ?? []).slice(1).map((a) => a.type);
  const bounded = actions.includes('max_length') || actions.includes('max_entries');
  const out: string[] = [];
  switch (base.type) {
    case 'string':
      if (!bounded) out.push(path);
      break;
    case 'array':
      if (!bounded) out.push(path);
      out.push(...unbounded(base.item!, `${path}[]`));
      break;
    case 'record':
      if (!bounded) out.push(path);
      out.push(...unbounded(base.value!, `${path}.*`));
      break;
    case 'object':
    case 'strict_object':
    case 'loose_object':
      for (const [key, entry] of Object.entries(base.entries ?? {})) out.push(...unbounded(entry, `${path}.${key}`));
      break;
    case 'optional':
    case 'nullable':
    case 'nullish':
      out.push(...unbounded(base.wrapped!, path));
      break;
    case 'union':
      for (const option of base.options ?? []) out.push(...unbounded(option, path));
      break;
  }
  return out;
}
