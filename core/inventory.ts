import { TaigaMcpError } from './errors.js';
import type { Config } from './config/schema.js';
import type { AnyTool, PluginDefinition, ToolsetDefinition } from './plugin/types.js';

export interface InventoryEntry {
  tool: AnyTool;
  plugin: PluginDefinition;
  toolset: ToolsetDefinition;
}

export interface Inventory {
  /** Enabled tools, in plugin order. What is not here is neither listed nor callable. */
  readonly enabled: readonly InventoryEntry[];
  /** Every tool of every loaded plugin, enabled or not (for `taiga-mcp tools --all`). */
  readonly all: readonly InventoryEntry[];
  readonly toolsets: readonly ToolsetDefinition[];
}

/**
 * Turns the tools config into the enabled set.
 * `toolsets`: "default" (toolsets marked default), "all", or a list of ids; `include` adds
 * tools whatever their toolset; `exclude` removes; `readOnly` drops every tool that is
 * not `readOnlyHint` — last, so that include cannot bring a write tool back.
 */
export function buildInventory(plugins: readonly PluginDefinition[], tools: Config['tools'], opts: { loginEnabled: boolean }): Inventory {
  const toolsets = [...new Map(plugins.flatMap((p) => [p.toolset, ...(p.toolsets ?? [])]).map((t) => [t.id, t])).values()];
  const toolsetOf = (plugin: PluginDefinition, tool: AnyTool): ToolsetDefinition => {
    if (tool.toolset === undefined) return plugin.toolset;
    const found = [plugin.toolset, ...(plugin.toolsets ?? [])].find((t) => t.id === tool.toolset);
    if (!found) throw new TaigaMcpError('PLUGIN_INVALID', { message: `Plugin "${plugin.name}": tool ${tool.name} names toolset "${tool.toolset}", which the plugin does not declare.` });
    return found;
  };
  const all: InventoryEntry[] = plugins.flatMap((plugin) => plugin.tools.map((tool) => ({ tool, plugin, toolset: toolsetOf(plugin, tool) })));
  const known = new Set(toolsets.map((t) => t.id));
  const names = new Set(all.map((e) => e.tool.name));

  let selected: Set<string>;
  if (tools.toolsets === 'all') selected = known;
  else if (tools.toolsets === 'default') selected = new Set(toolsets.filter((t) => t.default).map((t) => t.id));
  else {
    const wanted = [...new Set(tools.toolsets.map((t) => t.trim()))];
    for (const id of wanted) {
      if (id !== 'default' && !known.has(id)) throw new TaigaMcpError('TOOLSET_UNKNOWN', { message: `Unknown toolset "${id}"; known: ${[...known].join(', ')}.` });
    }
    selected = new Set(wanted.flatMap((id) => (id === 'default' ? toolsets.filter((t) => t.default).map((t) => t.id) : [id])));
  }
  for (const name of [...tools.include, ...tools.exclude]) {
    if (!names.has(name.trim())) throw new TaigaMcpError('TOOL_UNKNOWN', { message: `Unknown tool "${name}" in tools.include/exclude.` });
  }
  const include = new Set(tools.include.map((n) => n.trim()));
  const exclude = new Set(tools.exclude.map((n) => n.trim()));
  const enabled = all.filter(({ tool, toolset }) => {
    if (!selected.has(toolset.id) && !include.has(tool.name)) return false;
    if (exclude.has(tool.name)) return false;
    if (tools.readOnly && !tool.annotations.readOnlyHint) return false;
    if (!opts.loginEnabled && tool.name === 'login') return false;
    return true;
  });
  return { enabled, all, toolsets };
}
