import * as v from 'valibot';
import { TaigaMcpError } from '../../errors.js';
import { isPastLastPage } from '../../taiga/error-mapping.js';
import { defineTool } from '../../plugin/define.js';
import type { AnyTool, ToolContext } from '../../plugin/types.js';
import type { ProjectMetadata } from '../../resolve/project-metadata.js';
import { EMPTY_LIST_TEXT, isEmptyList, Page, PageSize, Tag, UserRef } from '../../schemas.js';
import type { WorkItemKind } from '../kind.js';
import { itemSchema, leanItem } from '../lean.js';
import { itemsTable } from '../table.js';
import { dateRange, DateRange } from '../date-range.js';
import { OneOrMany, orderBy } from '../filters.js';
import { rememberShown } from '../shown-versions.js';
import { READ } from './common.js';

type Raw = Record<string, unknown>;

/** What an item says without its project's metadata: one request per kind, never one per project. */
const COLUMNS = ['ref', 'subject', 'status', 'closed', 'assigned_to', 'due_date', 'blocked', 'id', 'version'];
const ORDER = orderBy(['created_date', 'modified_date', 'status', 'subject', 'assigned_to', 'total_voters']);
const NO_METADATA: ProjectMetadata = {
  id: 0, slug: '', name: '', members: [], sprints: [], defaults: { us_status: null, points: null },
  choices: { us_status: [], task_status: [], issue_status: [], epic_status: [], points: [], priority: [], severity: [], issue_type: [], role: [] },
};

/** Taiga's user id of "me", an id, or a username (Taiga's by_username: no project needed). */
async function userId(ctx: ToolContext, value: number | string | undefined): Promise<number> {
  if (value === undefined || (typeof value === 'string' && value.trim().toLowerCase() === 'me')) return ctx.session.userId;
  if (typeof value === 'number') return value;
  try {
    return (await ctx.taiga.get<{ id: number }>('/users/by_username', { username: value.trim() }))['id'];
  } catch (err) {
    if (err instanceof TaigaMcpError && err.code === 'NOT_FOUND') throw new TaigaMcpError('INVALID_INPUT', { message: `user: no Taiga user has the username ${JSON.stringify(value.slice(0, 60))}.`, details: { fields: { user: 'unknown username' } } });
    throw err;
  }
}

/**
 * `list_my_work`: stories, tasks and issues assigned to (or watched by) one user, across every
 * project Taiga shows them in: one list request per kind without `project` (Taiga filters by
 * permission), grouped by the project each item names. Each kind is paged by Taiga; page N is
 * page N of each kind, and has_next says whether any kind has more.
 */
export function myWorkTool(kinds: readonly WorkItemKind[]): AnyTool {
  const names = kinds.map((k) => k.plural) as [string, ...string[]];
  const item = itemSchema(COLUMNS);
  return defineTool({
    name: 'list_my_work',
    title: 'List my work',
    description: `Open ${names.join(', ')} assigned to you (or user) or watched, in all projects.`,
    input: v.strictObject({
      user: v.optional(UserRef),
      watching: v.optional(v.boolean()),
      kinds: v.optional(v.pipe(v.array(v.picklist(names)), v.minLength(1), v.maxLength(names.length))),
      closed: v.optional(v.boolean()),
      tags: v.optional(OneOrMany(Tag)),
      created: v.optional(DateRange),
      modified: v.optional(DateRange),
      order_by: v.optional(ORDER.schema),
      page: Page,
      page_size: PageSize,
    }),
    output: v.object({
      projects: v.array(v.object({ project: v.string(), ...Object.fromEntries(names.map((n) => [n, v.optional(v.array(item))])) })),
      totals: v.record(v.string(), v.nullable(v.number())),
      page: v.optional(v.number()), page_size: v.optional(v.number()), has_next: v.boolean(),
    }),
    annotations: READ,
    async handler(args, ctx) {
      const a = args as { user?: number | string; watching?: boolean; kinds?: string[]; closed?: boolean; tags?: string | string[]; created?: string; modified?: string; order_by?: string; page: number; page_size: number };
      const who = await userId(ctx, a.user);
      const chosen = kinds.filter((k) => !a.kinds || a.kinds.includes(k.plural));
      const shared = {
        ...(a.tags !== undefined && { tags: [a.tags].flat().join(',') }),
        ...(a.created !== undefined && dateRange('created_date', a.created, 'created')),
        ...(a.modified !== undefined && dateRange('modified_date', a.modified, 'modified')),
        ...(a.order_by !== undefined && { order_by: a.order_by }),
      };
      const pages = await Promise.all(chosen.map(async (kind) => {
        const whose = a.watching ? { watchers: who } : { [kind.coAssignees ? 'assigned_users' : 'assigned_to']: who };
        // A story is closed when its tasks are (is_closed); tasks and issues by their status.
        const closed = { [kind.coAssignees ? 'is_closed' : 'status__is_closed']: a.closed ?? false };
        return ctx.taiga.page<Raw>(kind.endpoint, { ...whose, ...closed, ...shared }, { page: a.page, pageSize: a.page_size }).catch((err: unknown) => {
          // Taiga answers a page past the last with a 404 (INVALID_INPUT on page): that kind has nothing on this page.
          if (a.page > 1 && isPastLastPage(err)) return { items: [] as Raw[], page: a.page, pageSize: a.page_size, total: null, hasNext: false };
          throw err;
        });
      }));
      const groups = new Map<string, Record<string, unknown[]>>();
      chosen.forEach((kind, i) => {
        for (const raw of pages[i]!.items) {
          rememberShown(ctx, kind, raw);
          const project = String((raw['project_extra_info'] as Raw | null)?.['slug'] ?? raw['project']);
          const group = groups.get(project) ?? {};
          (group[kind.plural] ??= []).push(leanItem(kind, raw, NO_METADATA, COLUMNS));
          groups.set(project, group);
        }
      });
      return {
        projects: [...groups].map(([project, lists]) => ({ project, ...lists })),
        totals: Object.fromEntries(chosen.map((k, i) => [k.plural, pages[i]!.total])),
        ...(pages.every(isEmptyList) ? { has_next: false } : { page: a.page, page_size: a.page_size, has_next: pages.some((p) => p.hasNext) }),
      };
    },
    render: (r) => {
      const out = r.projects.flatMap((p) => [`${p.project}:`, ...names.filter((n) => (p as Raw)[n]).map((n) => `${n}:\n${itemsTable((p as Raw)[n] as Raw[], COLUMNS)}`)]);
      const totals = Object.entries(r.totals).map(([k, n]) => `${k} ${n ?? '?'}`).join(', ');
      if (r.page === undefined) return EMPTY_LIST_TEXT;
      return [...out, `(page ${r.page}: ${totals}${r.has_next ? `; next: page ${r.page + 1}` : '; last page'})`].join('\n');
    },
  });
}
