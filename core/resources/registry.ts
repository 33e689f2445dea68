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

/** What the enabled plugins serve besides tools. Read-only mode keeps them: they only read. */
export function buildRegistry(plugins: readonly PluginDefinition[]): Registry {
  return {
    templates: plugins.flatMap((p) => p.resources ?? []).map(compileTemplate),
    prompts: new Map(plugins.flatMap((p) => p.prompts ?? []).map((pr) => [pr.name, pr])),
  };
}
