import type { PluginDefinition, PromptDefinition, ResourceDefinition } from '../plugin/types.js';

export interface Template {
  readonly def: ResourceDefinition;
  readonly variables: readonly string[];
  match(uri: string): Record<string, string> | undefined;
}

/** RFC 6570 level 1, as MCP resource templates use it: each `{name}` is one decoded path segment. */
export function compileTemplate(def: ResourceDefinition): Template {
  const variables: string[] = [];
  const source = def.uriTemplate.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_m, name: string) => (variables.push(name), '([^/?#]+)'));
  const regex = new RegExp(`^${source}$`);
  return {
    def,
    variables,
    match(uri) {
      const m = regex.exec(uri);
      if (!m) return undefined;
      try {
        return Object.fromEntries(variables.map((name, i) => [name, decodeURIComponent(m[i + 1]!)]));
      } catch {
        return undefined;
      }
    },
  };
}

export interface Registry {
  readonly templates: readonly Template[];
  readonly prompts: ReadonlyMap<string, PromptDefinition>;
}

/** The served template a URI names, with its variables; undefined when none does (hidden or unknown alike). */
export function templateOf(registry: Registry, uri: string): { t: Template; vars: Record<string, string> } | undefined {
  for (const t of registry.templates) {
    const vars = t.match(uri);
    if (vars) return { t, vars };
  }
  return undefined;
}

/** The served template that completes `argument` of `uriTemplate`, if any. */
export function completerOf(registry: Registry, uriTemplate: string, argument: string): Template | undefined {
  const t = registry.templates.find((x) => x.def.uriTemplate === uriTemplate);
  return t?.def.complete && t.variables.includes(argument) ? t : undefined;
}

/** The tools a resource or prompt stands for: its `requires`, else its plugin's read-only tools (all of them if none is). */
export function requiredTools(plugin: PluginDefinition, item: ResourceDefinition | PromptDefinition): readonly string[] {
  if (item.requires !== undefined) return item.requires;
  const reads = plugin.tools.filter((t) => t.annotations.readOnlyHint);
  return (reads.length > 0 ? reads : plugin.tools).map((t) => t.name);
}

/**
 * What the loaded plugins serve besides tools: each resource and prompt only while every tool it
 * stands for is `enabled`, so that toolsets, include/exclude and read-only mode hide it as they hide
 * its tools (what is left out answers like what does not exist).
 */
export function buildRegistry(plugins: readonly PluginDefinition[], enabled: ReadonlySet<string>): Registry {
  const served = (plugin: PluginDefinition) => (item: ResourceDefinition | PromptDefinition) => requiredTools(plugin, item).every((name) => enabled.has(name));
  return {
    templates: plugins.flatMap((p) => (p.resources ?? []).filter(served(p))).map(compileTemplate),
    prompts: new Map(plugins.flatMap((p) => (p.prompts ?? []).filter(served(p))).map((pr) => [pr.name, pr])),
  };
}
