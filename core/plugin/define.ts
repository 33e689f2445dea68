import type { AnyTool, PluginDefinition, ToolDefinition, ToolInputSchema, ToolOutputSchema } from './types.js';

/** Identity function that types a tool; it registers nothing. */
export function defineTool<I extends ToolInputSchema, O extends ToolOutputSchema>(tool: ToolDefinition<I, O>): AnyTool {
  return tool as AnyTool;
}

/** Identity function that types a plugin manifest; the core registers what config enables. */
export function definePlugin(plugin: PluginDefinition): PluginDefinition {
  return plugin;
}
