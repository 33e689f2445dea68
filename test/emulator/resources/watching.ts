// watch / unwatch / watchers for objects that are not work items (sprints,
// wiki pages): the same rules as items.ts, over a lookup given by the caller.
import type { Ctx, RouteTable } from '../context.js';
import { emptyOk, type Reply } from '../http.js';
import { paginate } from '../pagination.js';
import { requireAuth, requireNotBlocked } from '../permissions.js';
import { userWatcherInfo } from '../serializers/users.js';
import type { State } from '../state.js';

export interface Watched {
  project: number;
  watchers: number[];
}

/** Users by id, in the User model's ordering (username). */
export function usersOrdered(state: State, ids: number[]) {
  const users = ids.map((id) => state.users.get(id)).filter((u) => u !== undefined);
  return users.sort((a, b) => a.username.localeCompare(b.username)).map(userWatcherInfo);
}

/** `find` does the retrieve lookup (404, then 401/403 when the caller may not view it). */
export function watchRoutes(prefix: string, find: (ctx: Ctx) => Watched): RouteTable {
  const action = (watch: boolean) => (ctx: Ctx): Reply => {
    const user = requireAuth(ctx);
    const item = find(ctx);
    requireNotBlocked(ctx.state.projects.get(item.project)!);
    item.watchers = item.watchers.filter((w) => w !== user.id);
    if (watch) item.watchers.push(user.id);
    return emptyOk();
  };
  return [
    [`${prefix}/:id/watch`, { POST: action(true) }],
    [`${prefix}/:id/unwatch`, { POST: action(false) }],
    [`${prefix}/:id/watchers`, { GET: (ctx) => paginate(ctx, usersOrdered(ctx.state, find(ctx).watchers)) }],
  ];
}
