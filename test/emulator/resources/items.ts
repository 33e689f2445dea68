// What the epic, story, task and issue endpoints share: the lookups and
// their 401/403/404 rules (§6), by_ref, and the watch/vote actions.
import type { Ctx, RouteTable } from '../context.js';
import { emptyOk, notFoundModel, rawError, type Reply } from '../http.js';
import type { HistoryKind } from '../history.js';
import { paginate } from '../pagination.js';
import { can, denied, missingForWrite, requireAuth, requireNotBlocked } from '../permissions.js';
import { userWatcherInfo } from '../serializers/users.js';
import type { State } from '../state.js';
import type { Project, WorkItem } from '../types.js';
import { parseId } from './lookup.js';

export interface KindSpec<T extends WorkItem> {
  kind: Exclude<HistoryKind, 'wiki'>;
  /** The model class name of 404 messages ("No Task matches the given query."). */
  model: string;
  items: (state: State) => Map<number, T>;
  perms: { view: string; add: string; modify: string; comment: string; delete: string };
}

export function canView<T extends WorkItem>(ctx: Ctx, spec: KindSpec<T>, item: T): boolean {
  const p = ctx.state.projects.get(item.project);
  return !!p && can(ctx, p, spec.perms.view);
}

/** Items the caller may see: lists are permission-filtered, never 401/403. */
export function visibleItems<T extends WorkItem>(ctx: Ctx, spec: KindSpec<T>): T[] {
  return [...spec.items(ctx.state).values()].filter((i) => canView(ctx, spec, i));
}

/** Retrieve: an unfiltered lookup (404 "No X matches…"), then 401 anonymous / 403 authenticated. */
export function visibleItem<T extends WorkItem>(ctx: Ctx, spec: KindSpec<T>, item: T | undefined): T {
  if (!item) throw notFoundModel(spec.model);
  if (!canView(ctx, spec, item)) denied(ctx);
  return item;
}

export function itemById<T extends WorkItem>(ctx: Ctx, spec: KindSpec<T>): T {
  return visibleItem(ctx, spec, spec.items(ctx.state).get(parseId(ctx)));
}

/** Update/delete: a missing or invisible object is 404 for a superuser only (§6). */
export function writableItem<T extends WorkItem>(ctx: Ctx, spec: KindSpec<T>): T {
  const item = spec.items(ctx.state).get(parseId(ctx));
  if (!item || !canView(ctx, spec, item)) missingForWrite(ctx);
  return item;
}

export function projectOf(ctx: Ctx, item: WorkItem): Project {
  return ctx.state.projects.get(item.project)!;
}

/** `by_ref?ref=&project=|project__slug=`: a retrieve filtered by ref and project; bare-string 400s. */
export function itemByRef<T extends WorkItem>(ctx: Ctx, spec: KindSpec<T>): T {
  const { query, state } = ctx;
  if (query['ref'] === undefined) throw rawError(400, 'ref param is needed');
  if (query['project'] === undefined && query['project__slug'] === undefined) throw rawError(400, 'project or project__slug param is needed');
  const inProject = (item: T) =>
    (query['project'] === undefined || String(item.project) === query['project']) &&
    (query['project__slug'] === undefined || state.projects.get(item.project)?.slug === query['project__slug']);
  const item = [...spec.items(state).values()].find((i) => String(i.ref) === query['ref'] && inProject(i));
  return visibleItem(ctx, spec, item);
}

const add = (list: number[], id: number) => (list.includes(id) ? list : [...list, id]);
const remove = (list: number[], id: number) => list.filter((x) => x !== id);

/** watch/unwatch/upvote/downvote: authenticated, view permission, not blocked; 200 empty. */
function action<T extends WorkItem>(spec: KindSpec<T>, apply: (item: T, userId: number) => void) {
  return (ctx: Ctx): Reply => {
    const user = requireAuth(ctx);
    const item = itemById(ctx, spec);
    requireNotBlocked(projectOf(ctx, item));
    apply(item, user.id);
    return emptyOk();
  };
}

function people<T extends WorkItem>(spec: KindSpec<T>, pick: (item: T) => number[]) {
  return (ctx: Ctx): Reply => {
    const item = itemById(ctx, spec);
    const users = pick(item).map((id) => ctx.state.users.get(id)).filter((u) => u !== undefined);
    users.sort((a, b) => a.username.localeCompare(b.username)); // the User model's ordering
    return paginate(ctx, users.map(userWatcherInfo));
  };
}

export function actionRoutes<T extends WorkItem>(prefix: string, spec: KindSpec<T>): RouteTable {
  return [
    [`${prefix}/:id/watch`, { POST: action(spec, (i, u) => (i.watchers = add(i.watchers, u))) }],
    [`${prefix}/:id/unwatch`, { POST: action(spec, (i, u) => (i.watchers = remove(i.watchers, u))) }],
    [`${prefix}/:id/upvote`, { POST: action(spec, (i, u) => (i.voters = add(i.voters, u))) }],
    [`${prefix}/:id/downvote`, { POST: action(spec, (i, u) => (i.voters = remove(i.voters, u))) }],
    [`${prefix}/:id/watchers`, { GET: people(spec, (i) => i.watchers) }],
    [`${prefix}/:id/voters`, { GET: people(spec, (i) => i.voters) }],
  ];
}

/** Merges route tables that share templates (read, write and bulk handlers live in separate files). */
export function mergeRoutes(...tables: RouteTable[]): RouteTable {
  const out: RouteTable = [];
  for (const [template, handlers] of tables.flat()) {
    const existing = out.find(([t]) => t === template);
    if (existing) existing[1] = { ...existing[1], ...handlers };
    else out.push([template, { ...handlers }]);
  }
  return out;
}
