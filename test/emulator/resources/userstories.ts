// /userstories reads: list (filters, only_ref, headers), retrieve, by_ref,
// watchers/voters and the watch/vote actions.
import type { Ctx, RouteTable } from '../context.js';
import { emptyOk, notFound, notFoundModel, ok, rawError, type Reply } from '../http.js';
import { paginate } from '../pagination.js';
import { can, denied, requireAuth, requireNotBlocked } from '../permissions.js';
import { storyDetail, storyListItem } from '../serializers/stories.js';
import { userWatcherInfo } from '../serializers/users.js';
import type { UserStory } from '../types.js';
import { parseId } from './lookup.js';
import { storyComparator, storyFilters } from './story-filters.js';
import { storyWriteRoutes } from './userstories-write.js';
import { bulkRoutes } from './userstories-bulk.js';

export function canViewStory(ctx: Ctx, s: UserStory): boolean {
  const p = ctx.state.projects.get(s.project);
  return !!p && can(ctx, p, 'view_us');
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

/** Retrieve: unfiltered lookup, then 401 anonymous / 403 authenticated when not visible. */
export function visibleStory(ctx: Ctx, s: UserStory | undefined): UserStory {
  if (!s) throw notFoundModel('UserStory');
  if (!canViewStory(ctx, s)) denied(ctx);
  return s;
}

function retrieve(ctx: Ctx): Reply {
  return ok(storyDetail(ctx, visibleStory(ctx, ctx.state.stories.get(parseId(ctx))), true));
}

function byRef(ctx: Ctx): Reply {
  const { query, state } = ctx;
  if (query['ref'] === undefined) throw rawError(400, 'ref param is needed');
  if (query['project'] === undefined && query['project__slug'] === undefined) throw rawError(400, 'project or project__slug param is needed');
  const project =
    query['project'] !== undefined ? state.projects.get(Number(query['project'])) : [...state.projects.values()].find((p) => p.slug === query['project__slug']);
  if (!project) throw notFound('');
  const story = state.storiesOf(project.id).find((s) => String(s.ref) === query['ref']);
  return ok(storyDetail(ctx, visibleStory(ctx, story), true));
}

/** watch/unwatch/upvote/downvote: authenticated, view permission, not blocked; 200 empty. */
function storyAction(apply: (s: UserStory, userId: number) => void) {
  return (ctx: Ctx): Reply => {
    const user = requireAuth(ctx);
    const s = visibleStory(ctx, ctx.state.stories.get(parseId(ctx)));
    requireNotBlocked(ctx.state.projects.get(s.project)!);
    apply(s, user.id);
    return emptyOk();
  };
}

const add = (list: number[], id: number) => (list.includes(id) ? list : [...list, id]);
const remove = (list: number[], id: number) => list.filter((x) => x !== id);

function people(pick: (s: UserStory) => number[]) {
  return (ctx: Ctx): Reply => {
    const s = visibleStory(ctx, ctx.state.stories.get(parseId(ctx)));
    const users = pick(s).map((id) => ctx.state.users.get(id)).filter((u) => u !== undefined);
    return paginate(ctx, users.map(userWatcherInfo));
  };
}

export const storyRoutes: RouteTable = [
  ['/userstories', { GET: list }],
  ['/userstories/by_ref', { GET: byRef }],
  ['/userstories/:id', { GET: retrieve }],
  ['/userstories/:id/watch', { POST: storyAction((s, u) => (s.watchers = add(s.watchers, u))) }],
  ['/userstories/:id/unwatch', { POST: storyAction((s, u) => (s.watchers = remove(s.watchers, u))) }],
  ['/userstories/:id/upvote', { POST: storyAction((s, u) => (s.voters = add(s.voters, u))) }],
  ['/userstories/:id/downvote', { POST: storyAction((s, u) => (s.voters = remove(s.voters, u))) }],
  ['/userstories/:id/watchers', { GET: people((s) => s.watchers) }],
  ['/userstories/:id/voters', { GET: people((s) => s.voters) }],
];

// The write and bulk handlers live in their own files; merge them into the same templates.
for (const [template, handlers] of [...storyWriteRoutes, ...bulkRoutes]) {
  const existing = storyRoutes.find(([t]) => t === template);
  if (existing) Object.assign(existing[1], handlers);
  else storyRoutes.push([template, handlers]);
}
