import type { Tool } from '@modelcontextprotocol/server';
import type * as v from 'valibot';
import type { AnyTool } from './plugin/types.js';
import type { ToolCall } from './pipeline/types.js';

/** A tool the server serves: its call schema, its tools/list entry, and its composed pipeline. */
export interface EnabledTool {
  tool: AnyTool;
  plugin: string;
  schema: v.GenericSchema;
  descriptor: Tool;
  run: (call: ToolCall) => Promise<void>;
}
