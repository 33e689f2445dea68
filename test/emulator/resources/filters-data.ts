// GET /{userstories|tasks|issues|epics}/filters_data?project= (§9.19): the
// counts behind each filter of the list. A facet is counted with every filter
// of the request applied but its own (README: the statuses facet ignores
// ?status=). A project the caller cannot see still lists its values, with
// zero counts (search-resolver/filters-data-private-anonymous).
import type { Ctx, RouteTable } from '../context.js';
import { notAuthenticated, notFound, ok, type Reply } from '../http.js';
import type { ChoiceKind, Project, UserStory, WorkItem } from '../types.js';
import { epicFilters } from './epics.js';
import { rolesOf, type Pred } from './item-filters.js';
import { canView, type KindSpec } from './items.js';
import { issueFilters } from './issues.js';
import { EPIC, ISSUE, STORY, TASK } from './specs.js';
import { storyFilters } from './story-filters.js';
import { taskFilters } from './tasks.js';

type Count<T> = (items: T[]) => Record<string, unknown>[];
type Facet<T> = [key: string, params: string[], count: (ctx: Ctx, p: Project) => Count<T>];

function choices<T extends WorkItem>(kind: ChoiceKind, value: (i: T) => number): (ctx: Ctx, p: Project) => Count<T> {
  return (ctx, p) => (items) => ctx.state.choicesOf(kind, p.id).map((c) => ({
    id: c.id, name: c.name, color: c.color, order: c.order, count: items.filter((i) => value(i) === c.id).length,
  }));
}

const photo = (gravatar: string | null) => ({ photo: null, big_photo: null, gravatar_id: gravatar });

/** Null first, then the members by full name; `withPhoto` for the facets that show avatars. */
function people<T extends WorkItem>(values: (i: T) => (number | null)[], withPhoto: boolean, onlyUsed = false) {
  return (ctx: Ctx, p: Project): Count<T> => (items) => {
    const members = ctx.state.membershipsOf(p.id).filter((m) => m.user !== null).map((m) => ctx.state.users.get(m.user!)!);
    members.sort((a, b) => a.full_name.localeCompare(b.full_name));
    const count = (id: number | null) => items.filter((i) => {
      const v = values(i);
      return id === null ? v.length === 0 || v.includes(null) : v.includes(id);
    }).length;
    const rows = [
      ...(onlyUsed ? [] : [{ id: null, full_name: '', count: count(null), ...(withPhoto ? photo(null) : {}) }]),
      ...members.map((u) => ({ id: u.id, full_name: u.full_name, count: count(u.id), ...(withPhoto ? photo(u.gravatar_id) : {}) })),
    ];
    return onlyUsed ? rows.filter((r) => r.count > 0) : rows;
  };
}

function tags<T extends WorkItem>(ctx: Ctx, p: Project): Count<T> {
  return (items) => Object.keys(p.tags_colors).sort().map((name) => ({
    name, color: p.tags_colors[name] ?? null, count: items.filter((i) => i.tags.includes(name)).length,
  }));
}

function roles<T extends WorkItem>(assignees: (i: T) => number[]) {
  return (ctx: Ctx, p: Project): Count<T> => (items) => ctx.state.rolesOf(p.id).map((r) => ({
    id: r.id, name: r.name, color: null, order: r.order, count: items.filter((i) => rolesOf(ctx, p.id, assignees(i)).includes(r.id)).length,
  }));
}

const assignedTo = <T extends WorkItem>(i: T) => (i.assigned_to ? [i.assigned_to] : []);
const storyAssignees = (s: UserStory) => [...new Set([...s.assigned_users, ...(s.assigned_to ? [s.assigned_to] : [])])];

function storyEpics(ctx: Ctx, p: Project): Count<UserStory> {
  return (items) => {
    const epics = [...ctx.state.epics.values()].filter((e) => e.project === p.id).sort((a, b) => a.epics_order - b.epics_order);
    const withEpic = (id: number) => items.filter((s) => ctx.state.epicIdsOfStory(s.id).includes(id)).length;
    return [
      { id: null, ref: null, subject: null, order: 0, count: items.filter((s) => !ctx.state.epicIdsOfStory(s.id).length).length },
      ...epics.map((e) => ({ id: e.id, ref: e.ref, subject: e.subject, order: e.epics_order, count: withEpic(e.id) })),
    ];
  };
}

function handler<T extends WorkItem>(spec: KindSpec<T>, filters: (ctx: Ctx) => Pred<T>[], facets: Facet<T>[]) {
  return (ctx: Ctx): Reply => {
    const project = ctx.state.projects.get(Number(ctx.query['project']));
    if (ctx.query['project'] === undefined || !project) throw ctx.user ? notFound('') : notAuthenticated();
    const all = [...spec.items(ctx.state).values()].filter((i) => i.project === project.id && canView(ctx, spec, i));
    const out: Record<string, unknown> = {};
    for (const [key, params, count] of facets) {
      const query = { ...ctx.query };
      for (const param of params) {
        delete query[param];
        delete query[`exclude_${param}`];
      }
      const preds = filters({ ...ctx, query });
      out[key] = count(ctx, project)(all.filter((i) => preds.every((pred) => pred(i))));
    }
    return ok(out);
  };
}

export const filtersDataRoutes: RouteTable = [
  ['/userstories/filters_data', {
    GET: handler(STORY, storyFilters, [
      ['statuses', ['status'], choices('us_status', (s) => s.status)],
      ['assigned_to', ['assigned_to'], people((s) => [s.assigned_to], false)],
      ['assigned_users', ['assigned_users'], people((s) => (storyAssignees(s).length ? storyAssignees(s) : [null]), true)],
      ['owners', ['owner'], people((s) => [s.owner], true, true)],
      ['tags', ['tags'], tags],
      ['epics', ['epic'], storyEpics],
      ['roles', ['role'], roles(storyAssignees)],
    ]),
  }],
  ['/tasks/filters_data', {
    GET: handler(TASK, taskFilters, [
      ['statuses', ['status'], choices('task_status', (t) => t.status)],
      ['assigned_to', ['assigned_to'], people((t) => [t.assigned_to], false)],
      ['owners', ['owner'], people((t) => [t.owner], false, true)],
      ['tags', ['tags'], tags],
      ['roles', ['role'], roles(assignedTo)],
    ]),
  }],
  ['/issues/filters_data', {
    GET: handler(ISSUE, issueFilters, [
      ['types', ['type'], choices('issue_type', (i) => i.type)],
      ['statuses', ['status'], choices('issue_status', (i) => i.status)],
      ['priorities', ['priority'], choices('priority', (i) => i.priority)],
      ['severities', ['severity'], choices('severity', (i) => i.severity)],
      ['assigned_to', ['assigned_to'], people((i) => [i.assigned_to], false)],
      ['owners', ['owner'], people((i) => [i.owner], false, true)],
      ['tags', ['tags'], tags],
      ['roles', ['role'], roles(assignedTo)],
    ]),
  }],
  ['/epics/filters_data', {
    GET: handler(EPIC, epicFilters, [
      ['statuses', ['status'], choices('epic_status', (e) => e.status)],
      ['assigned_to', ['assigned_to'], people((e) => [e.assigned_to], false)],
      ['owners', ['owner'], people((e) => [e.owner], false, true)],
      ['tags', ['tags'], tags],
    ]),
  }],
];
