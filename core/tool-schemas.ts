import type * as v from 'valibot';
import { toJsonSchema } from '@valibot/to-json-schema';
import type { Tool } from '@modelcontextprotocol/server';
import type { AnyTool } from './plugin/types.js';
import { callSchema } from './call-schema.js';
import { viewMetaOf } from './views.js';

export { callSchema, SessionIdField } from './call-schema.js';

type Json = Record<string, unknown>;

/**
 * Keywords that only the server needs: it enforces them (the bad-input matrix proves it), and
 * advertising them would cost tokens in every agent on every turn. `additionalProperties: false`
 * is one of them: every input schema is a strict object, and an unknown field is an INVALID_INPUT
 * that names it (five tokens a tool, issue 16 "The budget").
 */
const SERVER_ONLY = new Set(['$schema', 'minLength', 'maxLength', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minItems', 'maxItems', 'minProperties', 'maxProperties', 'pattern', 'default', 'propertyNames']);

/**
 * The compact form of a JSON Schema that a tool advertises: server-only bounds dropped, and a union
 * of plain types written as `"type": [..]` rather than an `anyOf` of objects.
 */
export function advertise(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(advertise);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Json = {};
  for (const [key, value] of Object.entries(schema as Json)) {
    if (SERVER_ONLY.has(key) || (key === 'required' && Array.isArray(value) && value.length === 0)) continue;
    const shown = key === 'properties' ? Object.fromEntries(Object.entries(value as Json).map(([k, s]) => [k, advertise(s)])) : typeof value === 'object' ? advertise(value) : value;
    // A map's value type too (points: {"Back": "3"}): said once in the instructions, checked by the server.
    if (key === 'additionalProperties' && (shown === false || isEmptyObject(shown) || isPlainType(shown))) continue;
    out[key] = shown;
  }
  oneOrList(out);
  // An enum of strings says its type; dates are YYYY-MM-DD, said once in the instructions.
  if (Array.isArray(out['enum']) && out['enum'].every((e) => typeof e === 'string') && out['type'] === 'string') delete out['type'];
  const branches = out['anyOf'];
  const formats = Array.isArray(branches) ? new Set(branches.map((b: Json) => b['format']).filter((f) => f !== undefined)) : new Set();
  if (Array.isArray(branches) && branches.every(isPlainType) && formats.size <= 1) {
    const types = [...new Set(branches.flatMap((b: Json) => (Array.isArray(b['type']) ? b['type'] : [b['type']])))];
    delete out['anyOf'];
    out['type'] = types.includes('number') ? types.filter((t) => t !== 'integer') : types;
    // `format` constrains strings only, so it may stand beside the null of a nullable date.
    if (formats.size === 1) out['format'] = [...formats][0];
  }
  if (out['format'] === 'date') delete out['format'];
  return out;
}

/**
 * "One value or a list of such values" (the list filters): the scalar's types plus "array", the
 * list's items left unsaid (the instructions say it once); the server still checks each item.
 */
function oneOrList(out: Json): void {
  const branches = out['anyOf'];
  if (!Array.isArray(branches) || branches.length !== 2) return;
  const [one, many] = branches as Json[];
  if (!isPlainType(one) || one['format'] !== undefined || many?.['type'] !== 'array' || Object.keys(many).some((k) => k !== 'type' && k !== 'items')) return;
  if (JSON.stringify(many['items']) !== JSON.stringify(one)) return;
  delete out['anyOf'];
  out['type'] = [...(Array.isArray(one['type']) ? one['type'] : [one['type']]), 'array'];
}

const isEmptyObject = (value: unknown): boolean => !!value && typeof value === 'object' && Object.keys(value).length === 0;

const isPlainType = (s: unknown): s is Json =>
  !!s && typeof s === 'object' && Object.keys(s).every((k) => k === 'type' || k === 'format') && (typeof (s as Json)['type'] === 'string' || Array.isArray((s as Json)['type']));

export function jsonSchemaOf(schema: v.GenericSchema): Record<string, unknown> {
  return advertise(toJsonSchema(schema, { errorMode: 'ignore' })) as Record<string, unknown>;
}

/**
 * The tools/list entry of a tool. A built-in tool shown by an MCP Apps view links to it in `_meta`
 * (core/views.ts); a third-party tool never does, whatever its name: the views read the built-in outputs.
 */
export function describeTool(tool: AnyTool, schema: v.GenericSchema = callSchema(tool), builtin = true): Tool {
  const meta = builtin ? viewMetaOf(tool.name) : undefined;
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: jsonSchemaOf(schema) as Tool['inputSchema'],
    outputSchema: jsonSchemaOf(tool.output) as Tool['outputSchema'],
    annotations: { title: tool.title, ...tool.annotations },
    ...(meta && { _meta: meta }),
  };
}
