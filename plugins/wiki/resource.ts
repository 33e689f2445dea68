import type { ResourceDefinition } from '../../core/plugin/types.js';
import { loadItem, projectSlugs } from '../../core/work-items/index.js';
import { leanPage, pageText, WIKI_PAGE } from './wiki-access.js';

type Raw = Record<string, unknown>;

/** `taiga://projects/{project}/wiki/{slug}`: a wiki page as get_wiki_page shows it. */
export const wikiResource: ResourceDefinition = {
  name: 'wiki_page',
  title: 'Wiki page',
  description: 'A wiki page by project slug and page slug.',
  uriTemplate: 'taiga://projects/{project}/wiki/{slug}',
  requires: ['get_wiki_page', 'list_wiki_pages', 'list_projects'],
  async read({ project, slug }, ctx) {
    const raw = await loadItem(ctx, WIKI_PAGE, slug!, project);
    const data = leanPage(raw, await ctx.resolve.project(raw['project'] as number), true);
    return { data, text: pageText(data) };
  },
  async complete(variable, _typed, vars, ctx) {
    if (variable === 'project') return projectSlugs(ctx);
    if (!vars['project']) return [];
    const { items } = await ctx.taiga.page<Raw>('/wiki', { project: await ctx.resolve.projectId(vars['project']) }, { page: 1, pageSize: 100 });
    return items.map((p) => String(p['slug']));
  },
};
