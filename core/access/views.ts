import type { Prompt, ResourceTemplateType, Tool } from '@modelcontextprotocol/server';
import type { EnabledTool } from '../enabled-tool.js';
import type { Inventory } from '../inventory.js';
import type { PluginDefinition } from '../plugin/types.js';
import { buildRegistry, type Registry } from '../resources/registry.js';
import { ViewResources } from '../views.js';
import type { Grant, Refusal } from './grant.js';

/** What one grant is served: its tools, and the resources, prompts and views that stand for them. */
export interface AccessView {
  readonly tools: ReadonlyMap<string, EnabledTool>;
  readonly descriptors: readonly Tool[];
  readonly registry: Registry;
  readonly templates: readonly ResourceTemplateType[];
  readonly prompts: readonly Prompt[];
  /** The unlisted tools serving this registry's resources and prompts. */
  readonly internal: ReadonlyMap<string, EnabledTool>;
  readonly views: ViewResources;
  /** Why the grant refuses a tool the server enables (undefined: it does not, or the server has no such tool). */
  refusal(name: string): Refusal | undefined;
}

interface ViewSources {
  readonly inventory: Inventory;
  readonly plugins: readonly PluginDefinition[];
  /** Every tool the server enables. */
  readonly tools: ReadonlyMap<string, EnabledTool>;
  readonly internalFor: (registry: Registry) => ReadonlyMap<string, EnabledTool>;
}

function viewOf(src: ViewSources, grant: Grant | undefined): AccessView {
  const refusals = new Map<string, Refusal>();
  if (grant) {
    for (const { tool, toolset } of src.inventory.enabled) {
      const refusal = src.tools.has(tool.name) ? grant.refusal(tool, toolset.id) : undefined;
      if (refusal) refusals.set(tool.name, refusal);
    }
  }
  const tools = new Map([...src.tools].filter(([name]) => !refusals.has(name)));
  // The same rule as the server's own toolsets: a resource or prompt is served while every tool it stands for is.
  const registry = buildRegistry(src.plugins, new Set(tools.keys()));
  return {
    tools,
    descriptors: [...tools.values()].map((t) => t.descriptor),
    registry,
    templates: registry.templates.map(({ def }) => ({ uriTemplate: def.uriTemplate, name: def.name, title: def.title, description: def.description, mimeType: 'application/json' })),
    prompts: [...registry.prompts.values()].map((p) => ({ name: p.name, title: p.title, description: p.description, arguments: [...p.arguments] })),
    internal: src.internalFor(registry),
    views: new ViewResources((name) => tools.has(name)),
    refusal: (name) => refusals.get(name),
  };
}

/**
 * The view of each grant, made at its first request and kept: grants are few (one per API-key
 * configuration, one per combination of the configured scopes a token holds).
 */
export function accessViews(src: ViewSources): (grant: Grant | undefined) => AccessView {
  const full = viewOf(src, undefined);
  const byKey = new Map<string, AccessView>();
  return (grant) => {
    if (!grant) return full;
    let view = byKey.get(grant.key);
    if (!view) byKey.set(grant.key, (view = viewOf(src, grant)));
    return view;
  };
}
