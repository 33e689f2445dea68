import * as v from 'valibot';
import { toJsonSchema } from '@valibot/to-json-schema';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { AnyTool } from './plugin/types.js';

/** Shared by every tool that needs a session; optional when default credentials are configured. */
export const SessionIdField = v.optional(
  v.pipe(v.string(), v.minLength(1), v.maxLength(128), v.description('From login. Omit to use the configured account.')),
);

/** The schema a tool is validated against: its own fields, session_id, and nothing else. */
export function callSchema(tool: AnyTool): v.GenericSchema {
  const entries = tool.auth === 'none' ? tool.input.entries : { ...tool.input.entries, session_id: SessionIdField };
  return v.strictObject(entries);
}

export function jsonSchemaOf(schema: v.GenericSchema): Record<string, unknown> {
  // `$schema` is dropped: MCP defaults to 2020-12 and the draft-07 URI only costs tokens.
  const { $schema: _ignored, ...rest } = toJsonSchema(schema, { errorMode: 'ignore' }) as Record<string, unknown>;
  return rest;
}

/** The tools/list entry of a tool. */
export function describeTool(tool: AnyTool, schema: v.GenericSchema = callSchema(tool)): Tool {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: jsonSchemaOf(schema) as Tool['inputSchema'],
    outputSchema: jsonSchemaOf(tool.output) as Tool['outputSchema'],
    annotations: { title: tool.title, ...tool.annotations },
  };
}
