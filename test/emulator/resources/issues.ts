// /issues reads: list (filters and ordering of §8, newest first by default),
// retrieve, by_ref and the watch/vote actions; writes are in issues-write.ts.
import type { Ctx, RouteTable } from '../context.js';
import { ok, type Reply } from '../http.js';
import { paginate } from '../pagination.js';
import { issueDetail, issueListItem, issueOrder } from '../serializers/issues.js';
import type { Issue } from '../types.js';
import { commonFilters, dateFilters, exactBool, exactId, fullNameOf, multi, ordering, rolesOf, type Pred } from './item-filters.js';
import { actionRoutes, itemById, itemByRef, mergeRoutes, visibleItems } from './items.js';
import { issueWriteRoutes } from './issues-write.js';
import { ISSUE } from './specs.js';

export function issueFilters(ctx: Ctx): Pred<Issue>[] {
  const closed = (i: Issue) => ctx.state.choice('issue_status', i.status)?.is_closed ?? false;
  return [
    ...commonFilters<Issue>(ctx),
    ...exactId(ctx, 'milestone', (i: Issue) => i.milestone),
    ...exactBool(ctx, 'status__is_closed', closed),
    ...multi(ctx, 'role', (i: Issue) => rolesOf(ctx, i.project, i.assigned_to ? [i.assigned_to] : [])),
    ...multi(ctx, 'owner', (i: Issue) => [i.owner]),
    ...multi(ctx, 'assigned_to', (i: Issue) => [i.assigned_to]),
    ...multi(ctx, 'status', (i: Issue) => [i.status]),
    ...multi(ctx, 'type', (i: Issue) => [i.type]),
    ...multi(ctx, 'severity', (i: Issue) => [i.severity]),
    ...multi(ctx, 'priority', (i: Issue) => [i.priority]),
    ...dateFilters(ctx, 'finished_date', (i: Issue) => i.finished_date),
  ];
}

/** Priorities and the like sort by their `order`, as Django orders a foreign key by its model's ordering. */
function choiceOrder(ctx: Ctx, kind: 'priority' | 'severity' | 'issue_type' | 'issue_status', id: number): number {
  return ctx.state.choice(kind, id)?.order ?? 0;
}

function list(ctx: Ctx): Reply {
  const preds = issueFilters(ctx);
  const cmp = ordering<Issue>(ctx, {
    type: (i) => choiceOrder(ctx, 'issue_type', i.type), project: (i) => i.project, status: (i) => choiceOrder(ctx, 'issue_status', i.status),
    severity: (i) => choiceOrder(ctx, 'severity', i.severity), priority: (i) => choiceOrder(ctx, 'priority', i.priority),
    created_date: (i) => i.created_date, modified_date: (i) => i.modified_date, owner: (i) => fullNameOf(ctx, i.owner),
    assigned_to: (i) => fullNameOf(ctx, i.assigned_to), subject: (i) => i.subject, total_voters: (i) => i.voters.length, ref: (i) => i.ref,
  }, issueOrder);
  const issues = visibleItems(ctx, ISSUE).filter((i) => preds.every((p) => p(i))).sort(cmp);
  return paginate(ctx, issues.map((i) => issueListItem(ctx, i)));
}

export const issueRoutes: RouteTable = mergeRoutes(
  [
    ['/issues', { GET: list }],
    ['/issues/by_ref', { GET: (ctx) => ok(issueDetail(ctx, itemByRef(ctx, ISSUE))) }],
    ['/issues/:id', { GET: (ctx) => ok(issueDetail(ctx, itemById(ctx, ISSUE))) }],
  ],
  actionRoutes('/issues', ISSUE),
  issueWriteRoutes,
);
