// /milestones (sprints): list with nested stories and taiga-info headers, get,
// create, patch, delete (stories go back to the backlog).
import { bodyObject, type Ctx, type RouteTable } from '../context.js';
import { fieldErrors, noContent, notFoundModel, ok, rawError, type Reply } from '../http.js';
import { paginate } from '../pagination.js';
import { can, denied, missingForWrite } from '../permissions.js';
import { projectExtraInfo, storyNested, totalPoints } from '../serializers/stories.js';
import { storyIsClosed } from '../serializers/stories.js';
import { slugify } from '../template.js';
import { pushEvent, relatedPeople } from '../timeline-events.js';
import type { Milestone } from '../types.js';
import { parseId, projectFromBody } from './lookup.js';
import { moveToMilestone } from './userstories-bulk.js';
import { requireWriteAccess } from './userstories-write.js';
import { milestoneStats } from './milestone-stats.js';
import { watchRoutes } from './watching.js';

const DATE_ERROR = ['Date has wrong format. Use one of these formats instead: YYYY[-MM[-DD]]'];

function milestoneOut(ctx: Ctx, m: Milestone) {
  const stories = ctx.state.storiesOf(m.project).filter((s) => s.milestone === m.id).sort((a, b) => a.sprint_order - b.sprint_order || a.ref - b.ref);
  const sum = (xs: (number | null)[]) => (xs.some((x) => x !== null) ? xs.reduce<number>((a, b) => a + (b ?? 0), 0) : null);
  return {
    project: m.project, project_extra_info: projectExtraInfo(ctx.state.projects.get(m.project)!), id: m.id, name: m.name, slug: m.slug,
    owner: m.owner, estimated_start: m.estimated_start, estimated_finish: m.estimated_finish, created_date: m.created_date,
    modified_date: m.modified_date, closed: m.closed, disponibility: m.disponibility, order: m.order,
    user_stories: stories.map((s) => storyNested(ctx, s)),
    total_points: sum(stories.map((s) => totalPoints(ctx.state, s))),
    closed_points: sum(stories.filter((s) => storyIsClosed(ctx.state, s)).map((s) => totalPoints(ctx.state, s))),
  };
}

const visible = (ctx: Ctx, m: Milestone) => can(ctx, ctx.state.projects.get(m.project)!, 'view_milestones');

function list(ctx: Ctx): Reply {
  let items = [...ctx.state.milestones.values()].filter((m) => visible(ctx, m));
  if (ctx.query['project'] !== undefined) items = items.filter((m) => m.project === Number(ctx.query['project']));
  const headers: Record<string, string> = {};
  if (ctx.query['project'] !== undefined) {
    headers['Taiga-Info-Total-Opened-Milestones'] = String(items.filter((m) => !m.closed).length);
    headers['Taiga-Info-Total-Closed-Milestones'] = String(items.filter((m) => m.closed).length);
  }
  if (ctx.query['closed'] !== undefined) items = items.filter((m) => m.closed === (ctx.query['closed'] === 'true'));
  items.sort((a, b) => b.estimated_start.localeCompare(a.estimated_start) || b.id - a.id);
  return paginate(ctx, items.map((m) => milestoneOut(ctx, m)), headers);
}

function visibleMilestone(ctx: Ctx): Milestone {
  const m = ctx.state.milestones.get(parseId(ctx));
  if (!m) throw notFoundModel('Milestone');
  if (!visible(ctx, m)) denied(ctx);
  return m;
}

const retrieve = (ctx: Ctx): Reply => ok(milestoneOut(ctx, visibleMilestone(ctx)));

function validDate(v: unknown): boolean {
  return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v));
}

function create(ctx: Ctx): Reply {
  const body = bodyObject(ctx);
  const errors: Record<string, string[]> = {};
  for (const f of ['project', 'name', 'estimated_start', 'estimated_finish']) if (body[f] === undefined || body[f] === '') errors[f] = ['This field is required.'];
  for (const f of ['estimated_start', 'estimated_finish']) if (!errors[f] && !validDate(body[f])) errors[f] = DATE_ERROR;
  if (Object.keys(errors).length) throw fieldErrors(errors);
  const project = projectFromBody(ctx, body['project']);
  const name = String(body['name']);
  if ([...ctx.state.milestones.values()].some((m) => m.project === project.id && m.name === name)) throw fieldErrors({ name: ['Duplicated name'] });
  if (String(body['estimated_start']) > String(body['estimated_finish'])) {
    throw fieldErrors({ __all__: ['The estimated start must be previous to the estimated finish.'] });
  }
  requireWriteAccess(ctx, project, 'add_milestone');
  const id = ctx.state.nextId('milestone');
  const now = new Date().toISOString();
  let slug = slugify(name);
  for (let n = 1; [...ctx.state.milestones.values()].some((m) => m.project === project.id && m.slug === slug); n++) slug = `${slugify(name)}-${n}`;
  const m: Milestone = {
    id, project: project.id, name, slug, owner: ctx.user!.id, estimated_start: String(body['estimated_start']),
    estimated_finish: String(body['estimated_finish']), created_date: now, modified_date: now, closed: false, disponibility: 0, order: 1,
    watchers: [],
  };
  ctx.state.milestones.set(id, m);
  pushEvent(ctx.state, project, 'milestones.milestone.create', ctx.user!.id, now, { milestone: { id: m.id, name: m.name, slug: m.slug } }, relatedPeople(ctx.state, [m.owner, ...m.watchers]));
  return ok(milestoneOut(ctx, m), 201);
}

function writable(ctx: Ctx, perm: string): Milestone {
  const m = ctx.state.milestones.get(parseId(ctx));
  if (!m || !visible(ctx, m)) missingForWrite(ctx);
  requireWriteAccess(ctx, ctx.state.projects.get(m.project)!, perm);
  return m;
}

function update(ctx: Ctx): Reply {
  const m = writable(ctx, 'modify_milestone');
  const body = bodyObject(ctx);
  if (typeof body['name'] === 'string') m.name = body['name']; // the slug is kept (README #21)
  if ('closed' in body) m.closed = Boolean(body['closed']);
  for (const f of ['estimated_start', 'estimated_finish'] as const) {
    if (f in body) {
      if (!validDate(body[f])) throw fieldErrors({ [f]: DATE_ERROR });
      m[f] = String(body[f]);
    }
  }
  m.modified_date = new Date().toISOString();
  return ok(milestoneOut(ctx, m));
}

function destroy(ctx: Ctx): Reply {
  const m = writable(ctx, 'delete_milestone');
  for (const s of ctx.state.storiesOf(m.project)) if (s.milestone === m.id) s.milestone = null;
  for (const t of ctx.state.tasks.values()) if (t.milestone === m.id) t.milestone = null;
  for (const i of ctx.state.issues.values()) if (i.milestone === m.id) i.milestone = null;
  ctx.state.milestones.delete(m.id);
  const project = ctx.state.projects.get(m.project)!;
  pushEvent(ctx.state, project, 'milestones.milestone.delete', ctx.user!.id, new Date().toISOString(), { milestone: { id: m.id, name: m.name, slug: m.slug } }, relatedPeople(ctx.state, [m.owner, ...m.watchers]));
  return noContent();
}

function moveStories(ctx: Ctx): Reply {
  const body = bodyObject(ctx);
  const target = ctx.state.milestones.get(Number(body['milestone_id']));
  if (!target) throw rawError(400, { milestone_id: ['This field is required.'] });
  requireWriteAccess(ctx, ctx.state.projects.get(target.project)!, 'modify_us');
  for (const item of (body['bulk_stories'] as { us_id: number; order: number }[]) ?? []) {
    const s = ctx.state.stories.get(Number(item.us_id));
    if (s) {
      s.sprint_order = Number(item.order);
      moveToMilestone(ctx, s, target.id);
    }
  }
  return noContent();
}

export const milestoneRoutes: RouteTable = [
  ['/milestones', { GET: list, POST: create }],
  ['/milestones/:id', { GET: retrieve, PUT: update, PATCH: update, DELETE: destroy }],
  ['/milestones/:id/move_userstories_to_sprint', { POST: moveStories }],
  ['/milestones/:id/stats', { GET: milestoneStats }],
  ...watchRoutes('/milestones', visibleMilestone),
];
