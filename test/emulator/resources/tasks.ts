// /tasks reads: list (filters and ordering of §8), retrieve, by_ref, and the
// watch/vote actions; the writes live in tasks-write.ts and tasks-bulk.ts.
import type { Ctx, RouteTable } from '../context.js';
import { ok, type Reply } from '../http.js';
import { paginate } from '../pagination.js';
import { taskDetail, taskListItem, taskOrder } from '../serializers/tasks.js';
import type { Task } from '../types.js';
import {
  commonFilters, dateFilters, exactBool, exactId, fullNameOf, multi, ordering, rolesOf, type Pred,
} from './item-filters.js';
import { actionRoutes, itemById, itemByRef, mergeRoutes, visibleItems } from './items.js';
import { TASK } from './specs.js';
import { taskBulkRoutes } from './tasks-bulk.js';
import { taskWriteRoutes } from './tasks-write.js';

export function taskFilters(ctx: Ctx): Pred<Task>[] {
  const closed = (t: Task) => ctx.state.choice('task_status', t.status)?.is_closed ?? false;
  return [
    ...commonFilters<Task>(ctx),
    ...exactId(ctx, 'user_story', (t: Task) => t.user_story),
    ...exactId(ctx, 'milestone', (t: Task) => t.milestone),
    ...exactBool(ctx, 'status__is_closed', closed),
    ...multi(ctx, 'role', (t: Task) => rolesOf(ctx, t.project, t.assigned_to ? [t.assigned_to] : [])),
    ...multi(ctx, 'owner', (t: Task) => [t.owner]),
    ...multi(ctx, 'assigned_to', (t: Task) => [t.assigned_to]),
    ...multi(ctx, 'status', (t: Task) => [t.status]),
    ...dateFilters(ctx, 'finished_date', (t: Task) => t.finished_date),
  ];
}

function list(ctx: Ctx): Reply {
  const preds = taskFilters(ctx);
  const cmp = ordering<Task>(ctx, {
    project: (t) => t.project, milestone: (t) => t.milestone, status: (t) => ctx.state.choice('task_status', t.status)?.order ?? 0, created_date: (t) => t.created_date,
    modified_date: (t) => t.modified_date, assigned_to: (t) => fullNameOf(ctx, t.assigned_to), us_order: (t) => t.us_order,
    subject: (t) => t.subject, total_voters: (t) => t.voters.length,
  }, taskOrder);
  const tasks = visibleItems(ctx, TASK).filter((t) => preds.every((p) => p(t))).sort(cmp);
  return paginate(ctx, tasks.map((t) => taskListItem(ctx, t)));
}

export const taskRoutes: RouteTable = mergeRoutes(
  [
    ['/tasks', { GET: list }],
    ['/tasks/by_ref', { GET: (ctx) => ok(taskDetail(ctx, itemByRef(ctx, TASK))) }],
    ['/tasks/:id', { GET: (ctx) => ok(taskDetail(ctx, itemById(ctx, TASK))) }],
  ],
  actionRoutes('/tasks', TASK),
  taskWriteRoutes,
  taskBulkRoutes,
);
