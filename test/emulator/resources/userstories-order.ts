// POST /userstories/bulk_update_backlog_order and bulk_update_kanban_order, as
// taiga-back 6.7 does them (services.update_userstories_backlog_or_sprint_order_in_bulk
// and update_userstories_kanban_order_in_bulk; validators.UpdateUserStoriesBacklogOrderBulkValidator
// and UpdateUserStoriesKanbanOrderBulkValidator). The moved stories take the place
// of the anchor (before), the place after it (after), or the top (neither); the
// stories of the cell from that order on follow them, renumbered one by one; the
// stories before the anchor keep their numbers. The answer lists every renumbered
// story. No version is bumped; the stories that changed sprint or status get a
// history entry (take_snapshot).
import { bodyObject, type Ctx, type RouteTable } from '../context.js';
import { fieldErrors, ok, type Reply } from '../http.js';
import { recordIndirect } from '../occ.js';
import type { Project, UserStory } from '../types.js';
import { projectFromBody } from './lookup.js';
import { requireWriteAccess } from './userstories-write.js';
import { moveToMilestone } from './userstories-bulk.js';

type OrderKey = 'backlog_order' | 'sprint_order' | 'kanban_order';
type Errors = Record<string, string[]>;

const intOrUndefined = (v: unknown): number | undefined => (v === undefined || v === null ? undefined : Number(v));

/** The IntegerField / ListField(IntegerField(min_value=1)) checks of the validators. */
function shapeErrors(body: Record<string, unknown>, required: string[], optional: string[]): Errors {
  const errors: Errors = {};
  for (const f of [...required, ...optional]) {
    const v = body[f];
    if (v === undefined || v === null) {
      if (required.includes(f)) errors[f] = ['This field is required.'];
    } else if (!Number.isInteger(Number(v)) || typeof v === 'boolean' || v === '') errors[f] = ['A valid integer is required.'];
  }
  const list = body['bulk_userstories'];
  if (list === undefined) errors['bulk_userstories'] = ['This field is required.'];
  else if (!Array.isArray(list) || list.some((id) => !Number.isInteger(Number(id)) || Number(id) < 1)) errors['bulk_userstories'] = ['Invalid user story ids.'];
  return errors;
}

/** The anchor (before/after) must be a story of the project in the same cell. */
function anchorErrors(ctx: Ctx, body: Record<string, unknown>, inCell: (s: UserStory) => boolean, cell: string, project: Project, errors: Errors): void {
  const after = intOrUndefined(body['after_userstory_id']);
  const before = intOrUndefined(body['before_userstory_id']);
  const valid = (id: number) => {
    const s = ctx.state.stories.get(id);
    return !!s && s.project === project.id && inCell(s);
  };
  if (after !== undefined && !errors['after_userstory_id'] && !valid(after)) {
    errors['after_userstory_id'] = [`Invalid user story id to move after. The user story must belong to the same project${cell}.`];
  }
  if (after && before) errors['before_userstory_id'] = ["You can't use after and before at the same time."];
  else if (before !== undefined && !errors['before_userstory_id'] && !valid(before)) {
    errors['before_userstory_id'] = [`Invalid user story id to move before. The user story must belong to the same project${cell}.`];
  }
  const ids = (body['bulk_userstories'] as unknown[] | undefined) ?? [];
  if (!errors['bulk_userstories'] && ids.some((id) => ctx.state.stories.get(Number(id))?.project !== project.id)) {
    errors['bulk_userstories'] = ['Invalid user story ids. All stories must belong to the same project.'];
  }
}

/** The ids in their new order and the numbers they get, from the anchor on. */
function renumber(ctx: Ctx, cell: UserStory[], moved: number[], key: OrderKey, body: Record<string, unknown>): [number, number][] {
  const before = ctx.state.stories.get(Number(body['before_userstory_id']));
  const after = ctx.state.stories.get(Number(body['after_userstory_id']));
  let rest = cell.filter((s) => !moved.includes(s.id));
  let start = 1;
  if (body['before_userstory_id'] !== undefined && body['before_userstory_id'] !== null && before) {
    rest = rest.filter((s) => s[key] >= before[key]);
    start = before[key];
  } else if (body['after_userstory_id'] !== undefined && body['after_userstory_id'] !== null && after) {
    rest = rest.filter((s) => s.id !== after.id && s[key] >= after[key]);
    start = after[key] + 1;
  }
  rest.sort((a, b) => a[key] - b[key] || a.id - b.id);
  return [...moved, ...rest.map((s) => s.id)].map((id, i) => [id, start + i]);
}

function bulkUpdateBacklogOrder(ctx: Ctx): Reply {
  const body = bodyObject(ctx);
  const errors = shapeErrors(body, ['project_id'], ['milestone_id', 'after_userstory_id', 'before_userstory_id']);
  if (errors['project_id']) throw fieldErrors(errors);
  const project = projectFromBody(ctx, body['project_id'], 'project_id');
  const milestone = intOrUndefined(body['milestone_id']) ?? null;
  if (milestone !== null && !errors['milestone_id'] && ctx.state.milestones.get(milestone)?.project !== project.id) {
    errors['milestone_id'] = ['Invalid milestone id. The milestone must belong to the same project.'];
  }
  anchorErrors(ctx, body, (s) => s.milestone === milestone, ' and milestone', project, errors);
  if (Object.keys(errors).length) throw fieldErrors(errors);
  requireWriteAccess(ctx, project, 'modify_us');
  const key: OrderKey = milestone === null ? 'backlog_order' : 'sprint_order';
  const moved = [...new Set((body['bulk_userstories'] as unknown[]).map(Number))];
  const cell = ctx.state.storiesOf(project.id).filter((s) => s.milestone === milestone);
  const data = renumber(ctx, cell, moved, key, body);
  for (const [id, order] of data) ctx.state.stories.get(id)![key] = order;
  for (const id of moved) {
    const s = ctx.state.stories.get(id)!;
    if (s.milestone !== milestone) moveToMilestone(ctx, s, milestone);
  }
  return ok(data.map(([id, order]) => ({ id, milestone, [key]: order })));
}

function bulkUpdateKanbanOrder(ctx: Ctx): Reply {
  const body = bodyObject(ctx);
  const errors = shapeErrors(body, ['project_id', 'status_id'], ['swimlane_id', 'after_userstory_id', 'before_userstory_id']);
  if (errors['project_id']) throw fieldErrors(errors);
  const project = projectFromBody(ctx, body['project_id'], 'project_id');
  const status = Number(body['status_id']);
  if (!errors['status_id'] && ctx.state.choice('us_status', status)?.project !== project.id) {
    errors['status_id'] = ['Invalid user story status id. The status must belong to the same project.'];
  }
  const swimlane = intOrUndefined(body['swimlane_id']) ?? null;
  if (swimlane !== null && !errors['swimlane_id'] && ctx.state.swimlanes.get(swimlane)?.project !== project.id) {
    errors['swimlane_id'] = ['Invalid swimlane id. The swimlane must belong to the same project.'];
  }
  anchorErrors(ctx, body, (s) => s.status === status && s.swimlane === swimlane, ', status and swimlane', project, errors);
  if (Object.keys(errors).length) throw fieldErrors(errors);
  requireWriteAccess(ctx, project, 'modify_us');
  const moved = [...new Set((body['bulk_userstories'] as unknown[]).map(Number))];
  const cell = ctx.state.storiesOf(project.id).filter((s) => s.status === status && s.swimlane === swimlane);
  const data = renumber(ctx, cell, moved, 'kanban_order', body);
  for (const [id, order] of data) ctx.state.stories.get(id)!.kanban_order = order;
  for (const id of moved) {
    const s = ctx.state.stories.get(id)!;
    if (s.status === status && s.swimlane === swimlane) continue;
    s.status = status;
    s.swimlane = swimlane;
    recordIndirect(ctx, 'userstory', s);
  }
  return ok(data.map(([id, kanban_order]) => ({ id, swimlane, status, kanban_order })));
}

export const orderRoutes: RouteTable = [
  ['/userstories/bulk_update_backlog_order', { POST: bulkUpdateBacklogOrder }],
  ['/userstories/bulk_update_kanban_order', { POST: bulkUpdateKanbanOrder }],
];
