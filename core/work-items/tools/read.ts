import * as v from 'valibot';
import { defineTool } from '../../plugin/define.js';
import type { AnyTool } from '../../plugin/types.js';
import { EMPTY_LIST_TEXT, IdOrName, Page, PageSize, PagingOutput, ProjectRef } from '../../schemas.js';
import { capitalised, idArg, type WorkItemKind } from '../kind.js';
import { itemSchema, leanItem } from '../lean.js';
import { customEntries, customItemEntries, customOf, customPageEntries, customTable, listPage, pageFacts, type CustomArgs } from '../custom-columns.js';
import { scanText } from '../custom-scan.js';
import { loadItem } from '../access.js';
import { excludeSchema, toTaigaQuery } from '../filters.js';
import { rememberShown } from '../shown-versions.js';
import { detailOf, detailSchema, detailText, READ } from './common.js';
import { linkPattern, webLink } from '../../web-links.js';

type Raw = Record<string, unknown>;

export function listTool(kind: WorkItemKind): AnyTool {
  const filters = Object.fromEntries(Object.entries(kind.filters).map(([name, f]) => [name, v.optional(f.schema)]));
  const exclude = excludeSchema(kind);
  if (exclude) filters['exclude'] = v.optional(exclude);
  return defineTool({
    name: `list_${kind.plural}`,
    title: `List ${kind.labelPlural}`,
    description: `${capitalised(kind.labelPlural)} of a project; filters combine.`,
    input: v.strictObject({ project_id: ProjectRef, ...filters, page: Page, page_size: PageSize, ...customEntries(kind) }),
    output: v.object({ items: v.array(v.object({ ...itemSchema(kind.list).entries, ...customItemEntries })), ...PagingOutput, ...customPageEntries, url: v.optional(v.string()) }),
    annotations: READ,
    async handler(args, ctx) {
      const { project_id, page, page_size, columns, custom, ...rest } = args as Raw & CustomArgs & { project_id: number | string; page: number | string; page_size: number };
      const project = await ctx.resolve.projectId(project_id);
      const query = await toTaigaQuery(ctx, kind, project, rest);
      const [result, meta] = await Promise.all([listPage(ctx, kind, project, query, { page, pageSize: page_size }, { columns, custom }), ctx.resolve.project(project)]);
      for (const raw of result.raws) rememberShown(ctx, kind, raw);
      const url = result.raws.length > 0 ? linkPattern(ctx, kind.name, meta.slug) : undefined;
      return { items: result.raws.map((raw) => ({ ...leanItem(kind, raw, meta, kind.list), ...customOf(result, raw) })), ...pageFacts(result), ...(url && { url }) };
    },
    render: (r) => [customTable(r.items, kind.list, r.columns), r.scanned ? scanText({ ...r, scanned: r.scanned }) : pagingText(r), r.url && `links: ${r.url}`].filter(Boolean).join('\n'),
  });
}

/** The web link at the end of an item's first line (a link is one token: see front-url.ts). */
const withLink = (text: string, url: string | undefined): string => {
  if (!url) return text;
  const [line, ...rest] = text.split('\n');
  return [`${line} ${url}`, ...rest].join('\n');
};

export function pagingText(r: { items: unknown[]; page?: number; total: number | null; has_next: boolean }): string {
  if (r.page === undefined) return EMPTY_LIST_TEXT;
  return `(page ${r.page}: ${r.items.length} of ${r.total ?? '?'}${r.has_next ? `; next: page ${r.page + 1}` : '; last page'})`;
}

export function getTool(kind: WorkItemKind): AnyTool {
  return defineTool({
    name: `get_${kind.name}`,
    title: `Get ${kind.label}`,
    description: `One ${kind.label} with its description.`,
    input: v.strictObject({ [idArg(kind)]: IdOrName, project_id: v.optional(ProjectRef), full: v.optional(v.boolean()) }),
    output: v.object({ ...detailSchema(kind).entries, url: v.optional(v.string()), raw: v.optional(v.record(v.string(), v.unknown())) }),
    annotations: READ,
    async handler(args, ctx) {
      const raw = await loadItem(ctx, kind, args[idArg(kind)] as number | string, args['project_id'] as number | string | undefined);
      const url = webLink(ctx, kind.name, (await ctx.resolve.project(raw['project'] as number)).slug, raw['ref'] as number);
      return { ...(await detailOf(ctx, kind, raw)), ...(url && { url }), ...(args['full'] === true && { raw }) };
    },
    render: (r) => withLink(detailText(kind)(r), r['url'] as string | undefined),
  });
}
