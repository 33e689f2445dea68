import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Tool } from '@modelcontextprotocol/server';
import type * as v from 'valibot';
import type { AnyTool, PluginDefinition } from './plugin/types.js';
import { builtinPlugins } from '../plugins/index.js';
import { viewMetaOf } from './views.js';

/**
 * The tools/list entries of the built-in tools, computed by the build (tool-descriptors-write.ts)
 * rather than at every start: turning 78 valibot schemas into JSON Schemas was a tenth of the
 * cold start. A conformance test holds the file equal to what the code computes; here, a cheap
 * check of names, texts and property keys falls back to computing a descriptor that does not fit.
 */
export const PREBUILT_PATH = fileURLToPath(new URL('./tool-descriptors.json', import.meta.url));

let prebuilt: ReadonlyMap<string, Tool> | undefined;

function loadPrebuilt(): ReadonlyMap<string, Tool> {
  if (prebuilt) return prebuilt;
  try {
    prebuilt = new Map((JSON.parse(readFileSync(PREBUILT_PATH, 'utf8')) as Tool[]).map((t) => [t.name, t]));
  } catch {
    prebuilt = new Map(); // a build without the generation step (e.g. `tsc` alone): computed at start
  }
  return prebuilt;
}

const sameKeys = (props: unknown, entries: Record<string, unknown>): boolean => {
  const keys = Object.keys((props ?? {}) as object);
  return keys.length === Object.keys(entries).length && keys.every((k) => k in entries);
};

/** Whether a prebuilt descriptor still describes this tool: the drift a rebuild without regeneration could leave. */
export function fits(d: Tool, tool: AnyTool, schema: v.GenericSchema): boolean {
  const entries = (schema as unknown as { entries?: Record<string, unknown> }).entries ?? {};
  const outEntries = (tool.output as unknown as { entries?: Record<string, unknown> }).entries ?? {};
  return (
    d.title === tool.title &&
    d.description === tool.description &&
    sameKeys(d.inputSchema.properties, entries) &&
    sameKeys(d.outputSchema?.properties, outEntries) &&
    JSON.stringify(d.annotations) === JSON.stringify({ title: tool.title, ...tool.annotations }) &&
    JSON.stringify(d._meta) === JSON.stringify(viewMetaOf(tool.name))
  );
}

/** The descriptor of a tool: prebuilt for a built-in plugin's tool that fits, else computed (JSON Schema code loaded only then). */
export async function descriptorOf(tool: AnyTool, plugin: PluginDefinition, schema: v.GenericSchema): Promise<Tool> {
  const builtin = builtinPlugins.includes(plugin);
  const found = builtin ? loadPrebuilt().get(tool.name) : undefined;
  if (found && fits(found, tool, schema)) return found;
  const { describeTool } = await import('./tool-schemas.js');
  return describeTool(tool, schema, builtin);
}
