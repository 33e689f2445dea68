// /epics reads: list (§8: `assigned_to` is also an exact-match field, so a
// comma list is a 400), retrieve, by_ref and the watch/vote actions.
import type { Ctx, RouteTable } from '../context.js';
import { ok, type Reply } from '../http.js';
import { paginate } from '../pagination.js';
import { epicDetail, epicListItem, epicOrder } from '../serializers/epics.js';
import type { Epic } from '../types.js';
import { epicLinkRoutes } from './epic-links.js';
import { epicWriteRoutes } from './epics-write.js';
import { commonFilters, exactBool, exactId, multi, type Pred } from './item-filters.js';
import { actionRoutes, itemById, itemByRef, mergeRoutes, visibleItems } from './items.js';
import { EPIC } from './specs.js';

export function epicFilters(ctx: Ctx): Pred<Epic>[] {
  const closed = (e: Epic) => ctx.state.choice('epic_status', e.status)?.is_closed ?? false;
  return [
    ...commonFilters<Epic>(ctx),
    ...exactId(ctx, 'assigned_to', (e: Epic) => e.assigned_to),
    ...exactBool(ctx, 'status__is_closed', closed),
    ...multi(ctx, 'owner', (e: Epic) => [e.owner]),
    ...multi(ctx, 'assigned_to', (e: Epic) => [e.assigned_to]),
    ...multi(ctx, 'status', (e: Epic) => [e.status]),
  ];
}

/** Epics have no order_by fields. */
function list(ctx: Ctx): Reply {
  const preds = epicFilters(ctx);
  const epics = visibleItems(ctx, EPIC).filter((e) => preds.every((p) => p(e))).sort(epicOrder);
  return paginate(ctx, epics.map((e) => epicListItem(ctx, e)));
}

export const epicRoutes: RouteTable = mergeRoutes(
  [
    ['/epics', { GET: list }],
    ['/epics/by_ref', { GET: (ctx) => ok(epicDetail(ctx, itemByRef(ctx, EPIC))) }],
    ['/epics/:id', { GET: (ctx) => ok(epicDetail(ctx, itemById(ctx, EPIC))) }],
  ],
  actionRoutes('/epics', EPIC),
  epicWriteRoutes,
  epicLinkRoutes,
);
