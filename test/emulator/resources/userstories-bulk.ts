// /userstories bulk actions (README #16): bulk_create (200) and bulk_update_milestone
// (204); the order endpoints are in userstories-order.ts. None bumps `version`;
// each writes history entries for the stories it moved (§7).
import { bodyObject, type Ctx, type RouteTable } from '../context.js';
import { fieldErrors, noContent, ok, type Reply } from '../http.js';
import { recordHistory } from '../freeze.js';
import { recordIndirect } from '../occ.js';
import { storyDetail } from '../serializers/stories.js';
import type { UserStory } from '../types.js';
import { projectFromBody } from './lookup.js';
import { createStoryRecord, requireWriteAccess } from './userstories-write.js';

function bulkCreate(ctx: Ctx): Reply {
  const body = bodyObject(ctx);
  const errors: Record<string, string[]> = {};
  if (body['project_id'] === undefined) errors['project_id'] = ['This field is required.'];
  if (typeof body['bulk_stories'] !== 'string' || !body['bulk_stories']) errors['bulk_stories'] = ['This field is required.'];
  if (Object.keys(errors).length) throw fieldErrors(errors);
  const project = projectFromBody(ctx, body['project_id'], 'project_id');
  let status = project.defaults.us_status!;
  if (body['status_id'] !== undefined) {
    if (ctx.state.choice('us_status', Number(body['status_id']))?.project !== project.id) {
      throw fieldErrors({ status_id: ['Invalid user story status id. The status must belong to the same project.'] });
    }
    status = Number(body['status_id']);
  }
  requireWriteAccess(ctx, project, 'add_us');
  const swimlane = body['swimlane_id'] === undefined ? null : Number(body['swimlane_id']);
  const lines = String(body['bulk_stories']).split('\n').map((l) => l.trim()).filter(Boolean);
  const created = lines.map((subject) => createStoryRecord(ctx, project, { subject, status, swimlane }));
  for (const s of created) recordHistory(ctx.state, 'userstory', s, { user: ctx.user?.id ?? null, type: 'create' });
  return ok(created.map((s) => storyDetail(ctx, s)));
}

/** A story moved to another sprint or the backlog takes its tasks along; both get history entries. */
export function moveToMilestone(ctx: Ctx, s: UserStory, milestone: number | null): void {
  s.milestone = milestone;
  recordIndirect(ctx, 'userstory', s);
  for (const t of ctx.state.tasksOfStory(s.id)) {
    t.milestone = milestone;
    recordIndirect(ctx, 'task', t);
  }
}

function storiesOfBody(ctx: Ctx, projectId: number, ids: number[]): UserStory[] {
  const stories = ids.map((id) => ctx.state.stories.get(id));
  if (stories.some((s) => !s || s.project !== projectId)) {
    throw fieldErrors({ bulk_stories: ['All the user stories must be from the same project'] });
  }
  return stories as UserStory[];
}

function bulkUpdateMilestone(ctx: Ctx): Reply {
  const body = bodyObject(ctx);
  const project = projectFromBody(ctx, body['project_id'], 'project_id');
  const items = Array.isArray(body['bulk_stories']) ? (body['bulk_stories'] as { us_id: number; order: number }[]) : [];
  const stories = storiesOfBody(ctx, project.id, items.map((i) => Number(i.us_id)));
  requireWriteAccess(ctx, project, 'modify_us');
  stories.forEach((s, i) => {
    s.sprint_order = Number(items[i]!.order);
    moveToMilestone(ctx, s, body['milestone_id'] === null ? null : Number(body['milestone_id']));
  });
  return noContent();
}

export const bulkRoutes: RouteTable = [
  ['/userstories/bulk_create', { POST: bulkCreate }],
  ['/userstories/bulk_update_milestone', { POST: bulkUpdateMilestone }],
];
