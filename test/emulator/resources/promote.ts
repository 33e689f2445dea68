// POST /{tasks,issues}/{id}/promote_to_user_story {project_id}: creates a
// story from the item and answers with the list of new refs. The issue stays
// (its generated_user_stories lists the story); the task is deleted.
import { bodyObject, type Ctx, type RouteTable } from '../context.js';
import { fieldErrors, ok, type Reply } from '../http.js';
import { recordIndirect } from '../occ.js';
import { can, denied, requireAuth } from '../permissions.js';
import { syncStoryClosed } from '../story-closing.js';
import type { Issue, Task } from '../types.js';
import { itemById, type KindSpec } from './items.js';
import { createStoryRecord } from './userstories-write.js';

function promote(spec: KindSpec<Task> | KindSpec<Issue>) {
  return (ctx: Ctx): Reply => {
    const body = bodyObject(ctx);
    const raw = body['project_id'];
    if (raw === undefined || raw === null || raw === '') throw fieldErrors({ project_id: ['This field is required.'] });
    if (!/^\d+$/.test(String(raw))) throw fieldErrors({ project_id: ['Enter a whole number.'] });
    const project = ctx.state.projects.get(Number(raw));
    if (!project) throw fieldErrors({ project_id: ["There's no project with that id"] });
    requireAuth(ctx);
    // Issues need add_us; tasks only view_tasks (promote_to_us_perms).
    if (!can(ctx, project, spec.kind === 'issue' ? 'add_us' : 'view_tasks')) denied(ctx);
    const item = itemById(ctx, spec as KindSpec<Task | Issue>);
    const fromTask = spec.kind === 'task';
    const task = item as Task;
    const story = createStoryRecord(ctx, ctx.state.projects.get(item.project)!, {
      owner: item.owner, subject: item.subject, description: item.description, tags: [...item.tags], milestone: item.milestone,
      assigned_users: item.assigned_to ? [item.assigned_to] : [], watchers: [...item.watchers],
      generated_from_issue: fromTask ? null : item.id, from_task_ref: fromTask ? `Task #${item.ref}` : null,
      ...(fromTask ? { due_date: task.due_date, due_date_reason: task.due_date_reason, is_blocked: task.is_blocked, blocked_note: task.blocked_note, voters: [...task.voters] } : {}),
    });
    ctx.state.history.copyComments([spec.kind, item.id], ['userstory', story.id]);
    // The source gets a change entry (promoted_to); the task is then deleted without a deletion entry.
    if (fromTask) {
      recordIndirect(ctx, 'task', task);
      ctx.state.tasks.delete(task.id);
      syncStoryClosed(ctx.state, task.user_story);
    } else {
      recordIndirect(ctx, 'issue', item as Issue);
    }
    return ok([story.ref]);
  };
}

export function promoteRoute(prefix: string, spec: KindSpec<Task> | KindSpec<Issue>): RouteTable[number] {
  return [`${prefix}/:id/promote_to_user_story`, { POST: promote(spec) }];
}
