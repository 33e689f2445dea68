// /tasks writes: create, PUT/PATCH (OCC) and delete. A task's story imposes
// its sprint, cross-project ids are 400 WrongArguments (README #8), and task
// changes close or reopen the story (README #12).
import type { Ctx, RouteTable } from '../context.js';
import { noContent, ok, wrongArguments, type Reply } from '../http.js';
import { applyOrderUpdates, extraOrders, ordersHeader } from '../order.js';
import { taskFull } from '../serializers/tasks.js';
import { syncStoryClosed } from '../story-closing.js';
import type { Project, Task } from '../types.js';
import type { Checker } from './item-input.js';
import { createItem, deleteItem, readCommon, updateItem, type WriteHooks } from './item-write.js';
import { TASK } from './specs.js';

/** set_finished_date_when_edit_task: finished_date follows the status. */
export function syncFinished(ctx: Ctx, t: Task): void {
  const closed = ctx.state.choice('task_status', t.status)?.is_closed ?? false;
  if (closed && !t.finished_date) t.finished_date = new Date().toISOString();
  if (!closed && t.finished_date) t.finished_date = null;
}

export function blankTask(ctx: Ctx, project: Project): Task {
  const now = new Date();
  return {
    id: 0, project: project.id, ref: 0, subject: '', description: '', status: project.defaults.task_status!, owner: ctx.user?.id ?? null,
    assigned_to: null, tags: [], watchers: [], voters: [], is_blocked: false, blocked_note: '', external_reference: null,
    created_date: now.toISOString(), modified_date: now.toISOString(), version: 1, due_date: null, due_date_reason: '',
    user_story: null, milestone: null, us_order: now.getTime(), taskboard_order: now.getTime(), is_iocaine: false, finished_date: null,
  };
}

function read(ctx: Ctx, c: Checker, project: Project | undefined, creating: boolean): (t: Task) => void {
  const common = readCommon<Task>(ctx, c, project, creating);
  const status = c.choice('status', 'task_status');
  const story = c.pk('user_story', (id) => ctx.state.stories.has(id));
  const milestone = c.pk('milestone', (id) => ctx.state.milestones.has(id));
  const dueDate = c.dueDate();
  const reason = c.text('due_date_reason');
  const iocaine = c.flag('is_iocaine');
  const usOrder = c.integer('us_order');
  const boardOrder = c.integer('taskboard_order');
  return (t) => {
    common(t);
    if (status !== undefined) t.status = status ?? ctx.state.projects.get(t.project)!.defaults.task_status!;
    if (story !== undefined) t.user_story = story;
    if (milestone !== undefined) t.milestone = milestone;
    if (dueDate !== undefined) t.due_date = dueDate;
    if (reason !== undefined) t.due_date_reason = reason;
    if (iocaine !== undefined) t.is_iocaine = iocaine;
    if (usOrder !== undefined) t.us_order = usOrder;
    if (boardOrder !== undefined) t.taskboard_order = boardOrder;
    // pre_save: the story's sprint wins, even over an explicit milestone (tasks/create-with-user-story-milestone-null).
    if (t.user_story) t.milestone = ctx.state.stories.get(t.user_story)?.milestone ?? null;
    syncFinished(ctx, t);
  };
}

function check(ctx: Ctx, t: Task): void {
  const { state } = ctx;
  const story = t.user_story ? state.stories.get(t.user_story) : undefined;
  if (t.milestone && state.milestones.get(t.milestone)?.project !== t.project) {
    throw wrongArguments("You don't have permissions to set this sprint to this task.");
  }
  if (story && story.project !== t.project) throw wrongArguments("You don't have permissions to set this user story to this task.");
  if (state.choice('task_status', t.status)?.project !== t.project) {
    throw wrongArguments("You don't have permissions to set this status to this task.");
  }
  if (t.milestone && story && story.milestone !== t.milestone) throw wrongArguments("You don't have permissions to set this sprint to this task.");
}

export const TASK_HOOKS: WriteHooks<Task> = {
  spec: TASK, read, blank: blankTask, check, blockedFirst: true,
  remap: [['status', 'task_status', 'slug']],
  dropOnMove: [
    ['milestone', (ctx, id, pid) => ctx.state.milestones.get(id)?.project === pid],
    ['user_story', (ctx, id, pid) => ctx.state.stories.get(id)?.project === pid],
  ],
};

function create(ctx: Ctx): Reply {
  const task = createItem(ctx, TASK_HOOKS);
  syncStoryClosed(ctx.state, task.user_story);
  return ok(taskFull(ctx, task), 201);
}

/** PUT resets what it does not send (README #11). */
function reset(t: Task, project: Project): void {
  Object.assign(t, {
    status: project.defaults.task_status!, user_story: null, milestone: null, assigned_to: null, tags: [], description: '',
    is_blocked: false, blocked_note: '', is_iocaine: false, due_date: null, due_date_reason: '',
  });
}

/** Re-orders the siblings when the PATCH moved the task in a us_order or taskboard list. */
function reorder(ctx: Ctx, t: Task, attr: 'us_order' | 'taskboard_order', scope: (x: Task) => boolean): Map<number, number> {
  const base = new Map([...ctx.state.tasks.values()].filter((x) => x.project === t.project && scope(x)).map((x) => [x.id, x[attr]]));
  const moved = applyOrderUpdates(base, new Map([[t.id, t[attr]], ...extraOrders(ctx.headers['set-orders'])]));
  for (const [id, order] of moved) ctx.state.tasks.get(id)![attr] = order;
  return moved;
}

function update(ctx: Ctx): Reply {
  const before = structuredClone(TASK.items(ctx.state).get(Number(ctx.params['id'])) ?? null);
  const task = updateItem(ctx, TASK_HOOKS, reset);
  const orders = new Map<number, number>();
  if (before && (before.user_story !== task.user_story || before.us_order !== task.us_order)) {
    for (const [id, o] of reorder(ctx, task, 'us_order', (x) => task.user_story === null || x.user_story === task.user_story)) orders.set(id, o);
  }
  if (before && (before.user_story !== task.user_story || before.status !== task.status || before.taskboard_order !== task.taskboard_order)) {
    const scope = (x: Task) => (task.user_story === null || x.user_story === task.user_story) && x.status === task.status &&
      (task.milestone === null || x.milestone === task.milestone);
    for (const [id, o] of reorder(ctx, task, 'taskboard_order', scope)) orders.set(id, o);
  }
  syncStoryClosed(ctx.state, before?.user_story);
  syncStoryClosed(ctx.state, task.user_story);
  return ok(taskFull(ctx, task), 200, { 'Taiga-Info-Order-Updated': ordersHeader(orders) });
}

function destroy(ctx: Ctx): Reply {
  const task = deleteItem(ctx, TASK);
  syncStoryClosed(ctx.state, task.user_story);
  return noContent();
}

export const taskWriteRoutes: RouteTable = [
  ['/tasks', { POST: create }],
  ['/tasks/:id', { PUT: update, PATCH: update, DELETE: destroy }],
];
