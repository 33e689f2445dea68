import * as v from 'valibot';
import { defineTool } from '../../../core/plugin/define.js';
import { IdOrName, Page, PageSize, pageFields, PagingOutput, ProjectRef, Version } from '../../../core/schemas.js';
import { deleteItem, DESTRUCTIVE, loadItem, pagingText, READ, WRITE, writeItem } from '../../../core/work-items/index.js';
import { quote } from '../../../core/render/untrusted.js';
import { checkMentions } from '../../../core/resolve/mentions.js';
import { Content, leanPage, PageDetailOutput, PageOutput, pageText, PageWriteOutput, Slug, WIKI_PAGE, writtenPage } from '../wiki-access.js';

type Raw = Record<string, unknown>;
const Link = v.object({ id: v.number(), title: v.string(), href: v.string() });
const target = (args: { wiki_page_id: number | string; project_id?: number | string | undefined; version?: number | undefined }) => ({ value: args.wiki_page_id, project: args.project_id, version: args.version });

export const listWikiPages = defineTool({
  name: 'list_wiki_pages',
  title: 'List wiki pages',
  description: 'Wiki pages of a project (without their content) and the sidebar links.',
  input: v.strictObject({ project_id: ProjectRef, page: Page, page_size: PageSize }),
  output: v.object({ items: v.array(PageOutput), links: v.array(Link), ...PagingOutput }),
  annotations: READ,
  async handler({ project_id, page, page_size }, ctx) {
    const project = await ctx.resolve.projectId(project_id);
    const [pages, links, meta] = await Promise.all([
      ctx.taiga.page<Raw>('/wiki', { project }, { page, pageSize: page_size }),
      ctx.taiga.all<Raw>('/wiki-links', { project }),
      ctx.resolve.project(project),
    ]);
    return {
      items: pages.items.map((p) => leanPage(p, meta)),
      links: links.items.map((l) => ({ id: l['id'] as number, title: String(l['title']), href: String(l['href']) })),
      ...pageFields(pages),
    };
  },
  render: (r) => [...r.items.map(pageText), ...r.links.map((l) => `link id=${l.id} ${quote(l.title)} → ${quote(l.href)}`), pagingText(r)].join('\n'),
});

export const getWikiPage = defineTool({
  name: 'get_wiki_page',
  title: 'Get wiki page',
  description: 'One wiki page with its content, by slug (with project_id) or id.',
  input: v.strictObject({ wiki_page_id: IdOrName, project_id: v.optional(ProjectRef) }),
  output: PageDetailOutput,
  annotations: READ,
  async handler(args, ctx) {
    const raw = await loadItem(ctx, WIKI_PAGE, args.wiki_page_id, args.project_id);
    return leanPage(raw, await ctx.resolve.project(raw['project'] as number), true);
  },
  render: pageText,
});

export const createWikiPage = defineTool({
  name: 'create_wiki_page',
  title: 'Create wiki page',
  description: 'Create a wiki page (Markdown content).',
  input: v.strictObject({ project_id: ProjectRef, slug: Slug, content: v.optional(Content) }),
  output: PageWriteOutput,
  annotations: WRITE,
  async handler({ project_id, slug, content }, ctx) {
    const project = await ctx.resolve.projectId(project_id);
    return writtenPage(await ctx.taiga.post<Raw>('/wiki', { project, slug, ...(content !== undefined && { content: await checkMentions(ctx, project, content, 'content') }) }));
  },
  render: (p) => `Created ${pageText(p)}`,
});

export const updateWikiPage = defineTool({
  name: 'update_wiki_page',
  title: 'Update wiki page',
  description: 'Replace the content of a wiki page.',
  input: v.strictObject({ wiki_page_id: IdOrName, project_id: v.optional(ProjectRef), version: v.optional(Version), content: Content }),
  output: PageWriteOutput,
  annotations: WRITE,
  async handler(args, ctx) {
    return writtenPage(await writeItem(ctx, WIKI_PAGE, target(args), async (page) => ({ content: await checkMentions(ctx, page['project'] as number, args.content, 'content') })));
  },
  render: (p) => `Updated ${pageText(p)}`,
});

export const deleteWikiPage = defineTool({
  name: 'delete_wiki_page',
  title: 'Delete wiki page',
  description: 'Delete a wiki page.',
  input: v.strictObject({ wiki_page_id: IdOrName, project_id: v.optional(ProjectRef), version: v.optional(Version) }),
  output: v.object({ status: v.literal('deleted'), id: v.number(), slug: v.string() }),
  annotations: DESTRUCTIVE,
  confirmation: 'handler',
  async handler(args, ctx) {
    const page = await deleteItem(ctx, WIKI_PAGE, target(args));
    return { status: 'deleted' as const, id: page['id'] as number, slug: String(page['slug']) };
  },
  render: (r) => `Deleted wiki page ${quote(r.slug)} (id ${r.id}).`,
});
