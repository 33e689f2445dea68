import { TaigaMcpError } from './errors.js';
import type { ToolsChoice } from './config/schema.js';
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
  /** Toolsets a found config file named that the configuration does not enable: left off. */
  readonly beyond: readonly string[];
}

/** Said when a found config file names toolsets that the configuration does not enable. */
export const BEYOND = 'the config file found in the working directory names toolsets that the environment (or --config) does not enable: they stay off';

/**
 * Turns the tools config into the enabled set.
 * `toolsets`: "default" (toolsets marked default), "all", or a list of ids, bounded by `within`
 * (a found config file's toolsets); `include` adds tools whatever their toolset; `exclude`
 * removes; `readOnly` drops every tool that is not `readOnlyHint` — last, so that include cannot
 * bring a write tool back.
 */
export function buildInventory(plugins: readonly PluginDefinition[], tools: ToolsChoice, opts: { loginEnabled: boolean }): Inventory {
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

  const select = (choice: ToolsChoice['toolsets']): Set<string> => {
    const defaults = toolsets.filter((t) => t.default).map((t) => t.id);
    if (choice === 'all') return known;
    if (choice === 'default') return new Set(defaults);
    const wanted = [...new Set(choice.map((t) => t.trim()))];
    for (const id of wanted) {
      if (id !== 'default' && !known.has(id)) throw new TaigaMcpError('TOOLSET_UNKNOWN', { message: `Unknown toolset "${id}"; known: ${[...known].join(', ')}.` });
    }
    return new Set(wanted.flatMap((id) => (id === 'default' ? defaults : [id])));
  };
  const selected = select(tools.toolsets);
  // A found config file's toolsets bound the selection (includes too); they never add to it.
  const within = tools.within === undefined ? known : select(tools.within);
  for (const name of [...tools.include, ...tools.exclude]) {
    if (!names.has(name.trim())) throw new TaigaMcpError('TOOL_UNKNOWN', { message: `Unknown tool "${name}" in tools.include/exclude.` });
  }
  const include = new Set(tools.include.map((n) => n.trim()));
  const exclude = new Set(tools.exclude.map((n) => n.trim()));
  const enabled = all.filter(({ tool, toolset }) => {
    if (!selected.has(toolset.id) && !include.has(tool.name)) return false;
    if (!within.has(toolset.id)) return false;
    if (exclude.has(tool.name)) return false;
    if (tools.readOnly && !tool.annotations.readOnlyHint) return false;
    if (!opts.loginEnabled && tool.name === 'login') return false;
    return true;
  });
  const beyond = Array.isArray(tools.within) ? [...within].filter((id) => !selected.has(id)) : [];
  return { enabled, all, toolsets, beyond };
}
