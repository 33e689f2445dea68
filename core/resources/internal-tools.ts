import * as v from 'valibot';
import { TaigaMcpError } from '../errors.js';
import { defineTool } from '../plugin/define.js';
import type { AnyTool, ToolAnnotations } from '../plugin/types.js';
import { completerOf, templateOf, type Registry } from './registry.js';
import { quote, word } from '../render/untrusted.js';

const READ: ToolAnnotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true };
const Uri = v.pipe(v.string(), v.maxLength(2048));
const Str = v.pipe(v.string(), v.maxLength(500));
const MAX_LISTED = 200;

/** What an unknown or hidden resource answers. */
export const noResource = (uri: string) => new TaigaMcpError('NOT_FOUND', { message: `No resource ${quote(uri.slice(0, 200))}.`, details: { uri: uri.slice(0, 200) } });
export const noPrompt = (name: string) => new TaigaMcpError('NOT_FOUND', { message: `No prompt ${quote(name.slice(0, 100))}.` });

/**
 * Resources, completions and prompts run through the same pipeline as tools (errors, logs, auth,
 * rate limit, validation): as these internal tools, which are never listed nor callable by name.
 */
export function internalTools(registry: Registry): AnyTool[] {
  const find = (uri: string) => {
    const found = templateOf(registry, uri);
    if (!found) throw noResource(uri);
    return found;
  };
  return [
    defineTool({
      name: 'mcp_resources_list', title: 'resources/list', description: 'internal', annotations: READ,
      input: v.strictObject({}),
      output: v.object({ resources: v.array(v.object({ uri: v.string(), name: v.string(), title: v.optional(v.string()) })) }),
      async handler(_args, ctx) {
        const lists = await Promise.all(registry.templates.map((t) => t.def.list?.(ctx) ?? Promise.resolve([])));
        return { resources: lists.flat().slice(0, MAX_LISTED) };
      },
    }),
    defineTool({
      name: 'mcp_resources_read', title: 'resources/read', description: 'internal', annotations: READ,
      input: v.strictObject({ uri: Uri }),
      output: v.object({ uri: v.string(), data: v.unknown(), text: v.string() }),
      async handler({ uri }, ctx) {
        const { t, vars } = find(uri);
        return { uri, ...(await t.def.read(vars, ctx)) };
      },
    }),
    defineTool({
      name: 'mcp_complete', title: 'completion/complete', description: 'internal', annotations: READ,
      input: v.strictObject({ uriTemplate: Uri, argument: Str, value: Str, context: v.optional(v.pipe(v.record(Str, Str), v.maxEntries(20)), {}) }),
      output: v.object({ values: v.array(v.string()) }),
      async handler({ uriTemplate, argument, value, context }, ctx) {
        const t = completerOf(registry, uriTemplate, argument);
        if (!t) return { values: [] };
        const values = await t.def.complete!(argument, value, context, ctx);
        // A completion is put into a URI as it is, so it cannot be quoted: only what is a bare word() is offered.
        return { values: values.filter((x) => word(x) === x && x.toLowerCase().startsWith(value.toLowerCase())).slice(0, 100) };
      },
    }),
    defineTool({
      name: 'mcp_prompts_get', title: 'prompts/get', description: 'internal', annotations: READ,
      input: v.strictObject({ name: Str, arguments: v.optional(v.pipe(v.record(Str, v.pipe(v.string(), v.maxLength(2000))), v.maxEntries(20)), {}) }),
      output: v.object({ description: v.string(), text: v.string() }),
      async handler({ name, arguments: args }, ctx) {
        const prompt = registry.prompts.get(name);
        if (!prompt) throw noPrompt(name);
        const missing = prompt.arguments.filter((a) => a.required && !args[a.name]?.trim()).map((a) => a.name);
        if (missing.length) throw new TaigaMcpError('INVALID_INPUT', { message: `Missing argument(s): ${missing.join(', ')}.`, details: { fields: Object.fromEntries(missing.map((m) => [m, 'required'])) } });
        return prompt.get(args, ctx);
      },
    }),
  ];
}
