import type { ResourceDefinition, ToolContext } from '../plugin/types.js';
import { capitalised, type WorkItemKind } from './kind.js';
import { withArticle } from '../render/english.js';
import { loadItem } from './access.js';
import { detailOf, detailText } from './tools/common.js';

type Raw = Record<string, unknown>;

/** The slugs of the caller's projects, for completing `{project}`. */
export async function projectSlugs(ctx: ToolContext): Promise<string[]> {
  const { items } = await ctx.taiga.page<Raw>('/projects', { member: ctx.session.userId, order_by: 'user_order' }, { page: 1, pageSize: 100 });
  return items.map((p) => String(p['slug']));
}

/** `taiga://projects/{project}/<segment>/{ref}`: an item by its ref, as get_ shows it. */
export function itemResource(kind: WorkItemKind, segment: string): ResourceDefinition {
  return {
    name: kind.name,
    title: capitalised(kind.label),
    description: `${capitalised(withArticle(kind.label))} by project slug and ref.`,
    uriTemplate: `taiga://projects/{project}/${segment}/{ref}`,
    // Completion lists the caller's projects, then the kind's items.
    requires: [`get_${kind.name}`, `list_${kind.plural}`, 'list_projects'],
    async read({ project, ref }, ctx) {
      const data = await detailOf(ctx, kind, await loadItem(ctx, kind, `#${ref!.replace(/^#/, '')}`, project));
      return { data, text: detailText(kind)(data) };
    },
    async complete(variable, typed, vars, ctx) {
      if (variable === 'project') return projectSlugs(ctx);
      if (!vars['project']) return [];
      const project = await ctx.resolve.projectId(vars['project']);
      const { items } = await ctx.taiga.page<Raw>(kind.endpoint, { project, ...(typed && { q: typed }) }, { page: 1, pageSize: 100 });
      return items.map((i) => String(i['ref']));
    },
  };
}
