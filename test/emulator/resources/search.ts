// GET /search?project=&text= (§9.18): matches per type, each type present only
// when the caller may view it, plus `count`; not paginated. A project the
// caller cannot see answers {"count": 0}, not 401 (README #20).
import type { Ctx, RouteTable } from '../context.js';
import { notAuthenticated, notFound, ok, type Reply } from '../http.js';
import { can } from '../permissions.js';
import { epicOrder } from '../serializers/epics.js';
import { issueOrder } from '../serializers/issues.js';
import { totalPoints } from '../serializers/stories.js';
import { taskOrder } from '../serializers/tasks.js';
import type { Project, WorkItem } from '../types.js';

const MAX_RESULTS = 150;

/** Postgres-like prefix matching: every word of the text starts some token of the document; a ref matches whole. */
function matcher(text: string): (tokens: string[], ref?: number) => number {
  const words = text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  return (tokens, ref) => {
    if (!words.length) return 1;
    if (words.length === 1 && ref !== undefined && words[0] === String(ref)) return 2;
    const doc = tokens.join(' ').toLowerCase().split(/[^\p{L}\p{N}]+/u);
    return words.every((w) => doc.some((t) => t.startsWith(w))) ? 1 : 0;
  };
}

/** Ranked matches first, by id (search-resolver/search); without a text, the model's default order. */
function found<T extends WorkItem>(items: T[], match: ReturnType<typeof matcher>, order: (a: T, b: T) => number, ranked: boolean): T[] {
  return items
    .map((i) => [i, match([i.subject, i.description, ...i.tags], i.ref)] as const)
    .filter(([, rank]) => rank > 0)
    .sort((a, b) => (ranked ? b[1] - a[1] || a[0].id - b[0].id : order(a[0], b[0])))
    .slice(0, MAX_RESULTS)
    .map(([i]) => i);
}

function search(ctx: Ctx): Reply {
  const { state } = ctx;
  const project = ctx.query['project'] === undefined ? undefined : state.projects.get(Number(ctx.query['project']));
  if (!project) throw ctx.user ? notFound('') : notAuthenticated();
  const match = matcher(ctx.query['text'] ?? '');
  const ranked = (ctx.query['text'] ?? '').trim() !== '';
  const out: Record<string, unknown> = {};
  let count = 0;
  const put = (key: string, perm: string, list: () => unknown[]) => {
    if (!can(ctx, project, perm)) return;
    const items = list();
    out[key] = items;
    count += items.length;
  };
  const of = <T extends WorkItem>(map: Map<number, T>, p: Project) => [...map.values()].filter((i) => i.project === p.id);
  put('epics', 'view_epics', () => found(of(state.epics, project), match, epicOrder, ranked)
    .map((e) => ({ id: e.id, ref: e.ref, subject: e.subject, status: e.status, assigned_to: e.assigned_to })));
  put('userstories', 'view_us', () => found(of(state.stories, project), match, (a, b) => a.backlog_order - b.backlog_order || a.ref - b.ref, ranked)
    .map((s) => {
      const m = s.milestone ? state.milestones.get(s.milestone) : undefined;
      return { id: s.id, ref: s.ref, subject: s.subject, status: s.status, total_points: totalPoints(state, s), milestone_name: m?.name ?? null, milestone_slug: m?.slug ?? null };
    }));
  put('tasks', 'view_tasks', () => found(of(state.tasks, project), match, taskOrder, ranked)
    .map((t) => ({ id: t.id, ref: t.ref, subject: t.subject, status: t.status, assigned_to: t.assigned_to })));
  put('issues', 'view_issues', () => found(of(state.issues, project), match, issueOrder, ranked)
    .map((i) => ({ id: i.id, ref: i.ref, subject: i.subject, status: i.status, assigned_to: i.assigned_to })));
  put('wikipages', 'view_wiki_pages', () => [...state.wikiPages.values()]
    .filter((w) => w.project === project.id && match([w.slug.replace(/-/g, ' '), w.content]) > 0)
    .sort((a, b) => a.slug.localeCompare(b.slug))
    .slice(0, MAX_RESULTS)
    .map((w) => ({ id: w.id, slug: w.slug })));
  return ok({ ...out, count });
}

export const searchRoutes: RouteTable = [['/search', { GET: search }]];
