// /userstories writes: create, PUT/PATCH with OCC (§7), delete, bulk actions.
import { bodyObject, type Ctx, type RouteTable } from '../context.js';
import { fieldErrors, noContent, ok, permissionDenied, rawError, type Reply } from '../http.js';
import { commitCreate, commitUpdate, isCommentOnly, occError, recordDeletion } from '../occ.js';
import { beforeWrite, notifyItemWrite } from '../web-notifications.js';
import { can, denied, missingForWrite, requireNotBlocked } from '../permissions.js';
import { newStory } from '../seed.js';
import { storyDetail } from '../serializers/stories.js';
import { syncStoryClosed } from '../story-closing.js';
import type { Project, UserStory } from '../types.js';
import { parseId, projectFromBody } from './lookup.js';
import {
  applySimpleFields, checkSameProject, choicePk, normaliseTags, validateDueDate, validateMember, validatePoints,
} from './story-input.js';
import { dropAttachments } from './attachments.js';
import { canView } from './items.js';
import { STORY } from './specs.js';

let orderSeq = 0;
/** Taiga orders are microsecond timestamps. */
export function nowOrder(): number {
  return Date.now() * 1000 + (orderSeq++ % 1000);
}

export function defaultPoints(ctx: Ctx, project: Project): Record<string, number> {
  const pts = project.defaults.points;
  return Object.fromEntries(ctx.state.rolesOf(project.id).filter((r) => r.computable).map((r) => [String(r.id), pts ?? 0]));
}

export function requireWriteAccess(ctx: Ctx, project: Project, perm: string): void {
  if (!can(ctx, project, perm)) denied(ctx);
  requireNotBlocked(project);
}

export function createStoryRecord(ctx: Ctx, project: Project, fields: Partial<UserStory>): UserStory {
  const now = new Date().toISOString();
  const order = nowOrder();
  const story = newStory({
    id: ctx.state.nextId('userstory'), project: project.id, ref: ctx.state.nextRef(project.id), subject: '',
    status: project.defaults.us_status!, owner: ctx.user?.id ?? null, points: defaultPoints(ctx, project),
    backlog_order: order, sprint_order: order, kanban_order: order, created_date: now, modified_date: now, ...fields,
  });
  ctx.state.stories.set(story.id, story);
  return story;
}

function create(ctx: Ctx): Reply {
  const raw = ctx.body();
  if (Array.isArray(raw)) throw fieldErrors({ non_field_errors: ['Invalid data'] });
  const body = bodyObject(ctx);
  const errors: Record<string, string[]> = {};
  if (body['project'] === undefined || body['project'] === null || body['project'] === '') errors['project'] = ['This field is required.'];
  if (typeof body['subject'] !== 'string' || body['subject'] === '') errors['subject'] = ['This field is required.'];
  if (Object.keys(errors).length) throw fieldErrors(errors);
  const project = projectFromBody(ctx, body['project']);
  const status = body['status'] !== undefined ? choicePk(ctx, 'us_status', 'status', body['status']) : undefined;
  const assignedTo = validateMember(ctx, project, 'assigned_to', body['assigned_to']);
  const dueDate = validateDueDate(body['due_date']);
  requireWriteAccess(ctx, project, 'add_us');
  const milestone = body['milestone'] === undefined || body['milestone'] === null ? null : Number(body['milestone']);
  checkSameProject(ctx, project, status, milestone);
  const story = createStoryRecord(ctx, project, {
    status: status ?? project.defaults.us_status!, milestone, assigned_to: assignedTo, due_date: dueDate,
    assigned_users: Array.isArray(body['assigned_users']) ? body['assigned_users'].map(Number) : assignedTo ? [assignedTo] : [],
  });
  applySimpleFields(story, body); // watchers are ignored on create (README #13)
  // Points and tags are validated after the row is saved: a 400 here leaves the
  // story behind (ids 118, 119 and 121 of userstories.json), as taiga-back does.
  story.points = { ...story.points, ...validatePoints(ctx, project, body['points']) };
  story.tags = normaliseTags(project, body['tags']);
  commitCreate(ctx, 'userstory', story, body);
  notifyItemWrite(ctx, 'userstory', story, body);
  return ok(storyDetail(ctx, story), 201);
}

function update(ctx: Ctx): Reply {
  const story = ctx.state.stories.get(parseId(ctx));
  if (!story || !canView(ctx, STORY, story)) missingForWrite(ctx);
  const body = bodyObject(ctx);
  if (ctx.method === 'PUT') {
    const errors: Record<string, string[]> = {};
    if (body['project'] === undefined) errors['project'] = ['This field is required.'];
    if (typeof body['subject'] !== 'string' || !body['subject']) errors['subject'] = ['This field is required.'];
    if (Object.keys(errors).length) throw fieldErrors(errors);
  }
  const project = ctx.state.projects.get(story.project)!;
  requireWriteAccess(ctx, project, isCommentOnly(body) ? 'comment_us' : 'modify_us');
  const conflict = occError(ctx.state, 'userstory', story, body);
  if (conflict) throw rawError(400, conflict);
  const before = beforeWrite(story);
  if (ctx.method === 'PUT') resetForPut(ctx, story, project);
  applyChanges(ctx, story, project, body);
  syncStoryClosed(ctx.state, story.id);
  commitUpdate(ctx, 'userstory', story, body);
  notifyItemWrite(ctx, 'userstory', story, body, before);
  return ok(storyDetail(ctx, story), 200, { 'Taiga-Info-Order-Updated': '{}' });
}

/** PUT is a real replace (README #11). */
function resetForPut(ctx: Ctx, s: UserStory, project: Project): void {
  Object.assign(s, {
    status: project.defaults.us_status!, milestone: null, swimlane: null, assigned_to: null, assigned_users: [], tags: [], is_blocked: false,
    blocked_note: '', client_requirement: false, team_requirement: false, due_date: null, description: '',
    points: defaultPoints(ctx, project),
  });
}

function applyChanges(ctx: Ctx, s: UserStory, project: Project, body: Record<string, unknown>): void {
  const { state } = ctx;
  const target = body['project'] !== undefined ? projectFromBody(ctx, body['project']) : project;
  const status = body['status'] !== undefined ? choicePk(ctx, 'us_status', 'status', body['status']) : undefined;
  const milestone = 'milestone' in body ? (body['milestone'] === null ? null : Number(body['milestone'])) : undefined;
  if (target.id !== s.project) {
    // Moving needs the old ids in the body (README #14); they are remapped.
    if ((milestone === undefined ? s.milestone : milestone) !== null) {
      throw permissionDenied("You don't have permissions to set this sprint to this user story.");
    }
    if (status === undefined) throw permissionDenied("You don't have permissions to set this status to this user story.");
    checkSameProject(ctx, project, status, undefined);
    const order = state.choice('us_status', status)!.order;
    const targetStatuses = state.choicesOf('us_status', target.id);
    s.status = (targetStatuses.find((c) => c.order === order) ?? targetStatuses[0]!).id;
    s.project = target.id;
    s.ref = state.nextRef(target.id);
    s.milestone = null;
    s.swimlane = null;
    s.points = defaultPoints(ctx, target);
  } else {
    checkSameProject(ctx, project, status, milestone);
    if (status !== undefined) s.status = status;
    if (milestone !== undefined) s.milestone = milestone;
  }
  if ('points' in body) s.points = { ...s.points, ...validatePoints(ctx, target, body['points']) };
  if ('tags' in body) s.tags = normaliseTags(target, body['tags']);
  if ('assigned_to' in body) s.assigned_to = validateMember(ctx, target, 'assigned_to', body['assigned_to']);
  if ('assigned_users' in body && Array.isArray(body['assigned_users'])) s.assigned_users = body['assigned_users'].map(Number);
  if ('watchers' in body && Array.isArray(body['watchers'])) s.watchers = body['watchers'].map(Number);
  if ('due_date' in body) s.due_date = validateDueDate(body['due_date']);
  applySimpleFields(s, body);
}

function destroy(ctx: Ctx): Reply {
  const story = ctx.state.stories.get(parseId(ctx));
  if (!story || !canView(ctx, STORY, story)) missingForWrite(ctx);
  requireWriteAccess(ctx, ctx.state.projects.get(story.project)!, 'delete_us');
  recordDeletion(ctx, 'userstory', story);
  ctx.state.stories.delete(story.id);
  dropAttachments(ctx.state, 'userstory', story.id);
  ctx.state.dropCustomValues('userstory', story.id);
  for (const t of ctx.state.tasksOfStory(story.id)) {
    ctx.state.tasks.delete(t.id); // cascade (README #12)
    dropAttachments(ctx.state, 'task', t.id);
    ctx.state.dropCustomValues('task', t.id);
  }
  for (const l of ctx.state.linksOf({ story: story.id })) ctx.state.epicLinks.delete(l.id);
  return noContent();
}

export const storyWriteRoutes: RouteTable = [
  ['/userstories', { POST: create }],
  ['/userstories/:id', { PUT: update, PATCH: update, DELETE: destroy }],
];

