// /tasks bulk actions (README #16): bulk_create (200, milestone_id required),
// bulk_update_milestone ({taskId: milestoneId}) and the taskboard / us order
// updates ({taskId: order}); none of them bumps `version`.
import { bodyObject, type Ctx, type RouteTable } from '../context.js';
import { ok, type Reply } from '../http.js';
import { commitCreate, recordIndirect } from '../occ.js';
import { applyOrderUpdates } from '../order.js';
import { can, denied, requireNotBlocked } from '../permissions.js';
import { taskFull } from '../serializers/tasks.js';
import { syncStoryClosed } from '../story-closing.js';
import type { Task } from '../types.js';
import { Checker } from './item-input.js';
import { visibleOr404 } from './lookup.js';
import { promoteRoute } from './promote.js';
import { TASK } from './specs.js';
import { blankTask, syncFinished } from './tasks-write.js';

interface BulkTask {
  task_id: number;
  order: number;
}

/** `bulk_tasks: [{task_id, order}]`, each field an integer. */
function bulkTasks(c: Checker): BulkTask[] | undefined {
  const raw = c.body['bulk_tasks'];
  if (!Array.isArray(raw)) return void c.fail('bulk_tasks', 'This field is required.');
  const items = raw as Record<string, unknown>[];
  if (items.some((i) => !Number.isInteger(Number(i?.['task_id'])) || !Number.isInteger(Number(i?.['order'])))) {
    return void c.fail('bulk_tasks', 'Invalid data');
  }
  return items.map((i) => ({ task_id: Number(i['task_id']), order: Number(i['order']) }));
}

function bulkCreate(ctx: Ctx): Reply {
  const { state } = ctx;
  const c = new Checker(ctx, bodyObject(ctx));
  const project = c.projectId();
  const milestone = c.int('milestone_id');
  const statusId = c.int('status_id', false);
  const storyId = c.int('us_id', false);
  const lines = c.lines('bulk_tasks');
  if (project && milestone !== undefined && state.milestones.get(milestone)?.project !== project.id) c.fail('milestone_id', 'Invalid milestone id.');
  if (project && statusId !== undefined && state.choice('task_status', statusId)?.project !== project.id) c.fail('status_id', 'Invalid task status id.');
  const story = storyId === undefined ? undefined : state.stories.get(storyId);
  if (project && storyId !== undefined && (story?.project !== project.id || (milestone !== undefined && story.milestone !== milestone))) {
    c.fail('us_id', 'Invalid user story id.');
  }
  c.done();
  if (!can(ctx, project!, TASK.perms.add)) denied(ctx);
  requireNotBlocked(project!);
  const created = lines!.map((subject) => {
    const t: Task = { ...blankTask(ctx, project!), subject, milestone: milestone!, user_story: storyId ?? null };
    if (statusId !== undefined) t.status = statusId;
    if (story) t.milestone = story.milestone;
    syncFinished(ctx, t);
    t.id = state.nextId('task');
    t.ref = state.nextRef(project!.id);
    state.tasks.set(t.id, t);
    commitCreate(ctx, 'task', t, {});
    return t;
  });
  syncStoryClosed(state, storyId);
  return ok(created.map((t) => taskFull(ctx, t)));
}

function bulkUpdateMilestone(ctx: Ctx): Reply {
  const { state } = ctx;
  const c = new Checker(ctx, bodyObject(ctx));
  const project = c.projectId();
  const milestoneId = c.int('milestone_id');
  const items = bulkTasks(c);
  if (project && milestoneId !== undefined && state.milestones.get(milestoneId)?.project !== project.id) {
    c.fail('milestone_id', "The milestone isn't valid for the project");
  }
  if (project && items?.some((i) => state.tasks.get(i.task_id)?.project !== project.id)) c.fail('bulk_tasks', 'All the tasks must be from the same project');
  c.done();
  visibleOr404(ctx, project);
  const milestone = state.milestones.get(milestoneId!);
  visibleOr404(ctx, milestone && state.projects.get(milestone.project));
  if (!can(ctx, project!, TASK.perms.modify)) denied(ctx);
  const inSprint = [...state.tasks.values()].filter((t) => t.milestone === milestoneId);
  const base = new Map(inSprint.map((t) => [t.id, t.taskboard_order]));
  for (const i of items!) base.set(i.task_id, i.order);
  const orders = applyOrderUpdates(base, new Map(items!.map((i) => [i.task_id, i.order])));
  for (const [id, order] of orders) state.tasks.get(id)!.taskboard_order = order;
  const out: Record<string, number> = {};
  for (const i of items!) {
    const t = state.tasks.get(i.task_id)!;
    t.milestone = milestoneId!;
    out[String(t.id)] = milestoneId!;
    recordIndirect(ctx, 'task', t);
  }
  return ok(out);
}

/** bulk_update_taskboard_order / bulk_update_us_order: {project_id, status_id?, us_id?, milestone_id?, bulk_tasks}. */
function bulkUpdateOrder(attr: 'taskboard_order' | 'us_order') {
  return (ctx: Ctx): Reply => {
    const { state } = ctx;
    const c = new Checker(ctx, bodyObject(ctx));
    const project = c.projectId();
    const statusId = c.int('status_id', false);
    const storyId = c.int('us_id', false);
    const milestoneId = c.int('milestone_id', false);
    const items = bulkTasks(c);
    if (project && statusId !== undefined && state.choice('task_status', statusId)?.project !== project.id) {
      c.fail('status_id', 'Invalid task status id. The status must belong to the same project.');
    }
    const story = storyId === undefined ? undefined : state.stories.get(storyId);
    if (project && storyId !== undefined && (story?.project !== project.id || (milestoneId !== undefined && story.milestone !== milestoneId))) {
      c.fail('us_id', 'Invalid user story id. The user story must belong to the same project.');
    }
    if (project && milestoneId !== undefined && state.milestones.get(milestoneId)?.project !== project.id) {
      c.fail('milestone_id', 'Invalid milestone id. The milestone must belong to the same project.');
    }
    const fits = (t: Task | undefined) => !!t && t.project === project?.id && (statusId === undefined || t.status === statusId) &&
      (storyId === undefined || t.user_story === storyId) && (milestoneId === undefined || t.milestone === milestoneId);
    if (project && items && !items.every((i) => fits(state.tasks.get(i.task_id)))) {
      c.fail('bulk_tasks', 'Invalid task ids. All tasks must belong to the same project and, if it exists, to the same status, user story and/or milestone.');
    }
    c.done();
    visibleOr404(ctx, project);
    if (!can(ctx, project!, TASK.perms.modify)) denied(ctx);
    requireNotBlocked(project!);
    // taiga-back reads the story as `user_story_id`, which the validator calls `us_id`: the story never narrows the list.
    const scope = [...state.tasks.values()].filter((t) => t.project === project!.id && (statusId === undefined || t.status === statusId) &&
      (milestoneId === undefined || t.milestone === milestoneId));
    const orders = applyOrderUpdates(new Map(scope.map((t) => [t.id, t[attr]])), new Map(items!.map((i) => [i.task_id, i.order])));
    for (const [id, order] of orders) state.tasks.get(id)![attr] = order;
    return ok(Object.fromEntries([...orders].map(([id, order]) => [String(id), order])));
  };
}

export const taskBulkRoutes: RouteTable = [
  ['/tasks/bulk_create', { POST: bulkCreate }],
  ['/tasks/bulk_update_milestone', { POST: bulkUpdateMilestone }],
  ['/tasks/bulk_update_taskboard_order', { POST: bulkUpdateOrder('taskboard_order') }],
  ['/tasks/bulk_update_us_order', { POST: bulkUpdateOrder('us_order') }],
  promoteRoute('/tasks', TASK),
];
