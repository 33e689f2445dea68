// /userstories reads: list (filters, only_ref, headers), retrieve, by_ref,
// watchers/voters and the watch/vote actions.
import type { Ctx, RouteTable } from '../context.js';
import { ok, type Reply } from '../http.js';
import { paginate } from '../pagination.js';
import { storyDetail, storyListItem } from '../serializers/stories.js';
import type { UserStory } from '../types.js';
import { actionRoutes, canView, itemById, itemByRef, mergeRoutes } from './items.js';
import { STORY } from './specs.js';
import { storyComparator, storyFilters } from './story-filters.js';
import { storyWriteRoutes } from './userstories-write.js';
import { bulkRoutes } from './userstories-bulk.js';
import { orderRoutes } from './userstories-order.js';

export function canViewStory(ctx: Ctx, s: UserStory): boolean {
  return canView(ctx, STORY, s);
}

function list(ctx: Ctx): Reply {
  const preds = storyFilters(ctx);
  const stories = [...ctx.state.stories.values()]
    .filter((s) => canViewStory(ctx, s) && preds.every((p) => p(s)))
    .sort(storyComparator(ctx));
  const headers: Record<string, string> = {};
  const projectId = Number(ctx.query['project']);
  if (ctx.query['project'] !== undefined && ctx.state.projects.has(projectId)) {
    const withoutSwimlane = ctx.state.storiesOf(projectId).some((s) => s.swimlane === null);
    headers['Taiga-Info-Userstories-Without-Swimlane'] = withoutSwimlane ? 'true' : 'false';
    if (ctx.query['milestone'] === 'null') {
      headers['Taiga-Info-Backlog-Total-Userstories'] = String(stories.length);
    }
  }
  const onlyRef = ctx.query['only_ref'] !== undefined;
  return paginate(ctx, stories.map((s) => (onlyRef ? { id: s.id, ref: s.ref } : storyListItem(ctx, s))), headers);
}

export const storyRoutes: RouteTable = mergeRoutes(
  [
    ['/userstories', { GET: list }],
    ['/userstories/by_ref', { GET: (ctx) => ok(storyDetail(ctx, itemByRef(ctx, STORY), true)) }],
    ['/userstories/:id', { GET: (ctx) => ok(storyDetail(ctx, itemById(ctx, STORY), true)) }],
  ],
  actionRoutes('/userstories', STORY),
  storyWriteRoutes,
  bulkRoutes,
  orderRoutes,
);
