// /projects: list, detail, by_slug, create, patch, delete and a few actions.
import { bodyObject, type Ctx, type RouteTable } from '../context.js';
import { emptyOk, fieldErrors, noContent, notAuthenticated, notFound, ok, type Reply } from '../http.js';
import { paginate } from '../pagination.js';
import { can, denied, isProjectAdmin, requireAuth, requireNotBlocked } from '../permissions.js';
import { applyTemplate, ownerRoleId } from '../seed.js';
import { projectDetail, projectListItem } from '../serializers/projects.js';
import { slugify, VIEW_PERMISSIONS } from '../template.js';
import { pushEvent, relatedPeople } from '../timeline-events.js';
import type { Project } from '../types.js';
import { parseId, pkError } from './lookup.js';

export function canViewProject(ctx: Ctx, p: Project): boolean {
  return can(ctx, p, 'view_project');
}

/** get_object_or_error: 404 "" for a user, 401 for anonymous. */
function projectOr404(ctx: Ctx, p: Project | undefined): Project {
  if (!p) throw ctx.user ? notFound('') : notAuthenticated();
  return p;
}

function list(ctx: Ctx): Reply {
  let projects = [...ctx.state.projects.values()].filter((p) => canViewProject(ctx, p));
  const member = ctx.query['member'];
  if (member !== undefined) projects = projects.filter((p) => ctx.state.membership(p.id, Number(member)));
  projects.sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id);
  const slight = ctx.query['slight'] !== undefined && ctx.query['slight'] !== 'false';
  return paginate(ctx, projects.map((p) => projectListItem(ctx, p, slight)));
}

function retrieve(ctx: Ctx): Reply {
  const p = projectOr404(ctx, ctx.state.projects.get(parseId(ctx)));
  if (!canViewProject(ctx, p)) denied(ctx);
  return ok(projectDetail(ctx, p));
}

function bySlug(ctx: Ctx): Reply {
  const p = [...ctx.state.projects.values()].find((x) => x.slug === ctx.query['slug'] && canViewProject(ctx, x));
  return ok(projectDetail(ctx, projectOr404(ctx, p)));
}

function create(ctx: Ctx): Reply {
  const body = bodyObject(ctx);
  const errors: Record<string, string[]> = {};
  for (const field of ['name', 'description']) if (typeof body[field] !== 'string' || !body[field]) errors[field] = ['This field is required.'];
  const template = body['creation_template'] ?? 1;
  if (pkError(template) === null && ![1, 2].includes(Number(template))) {
    errors['creation_template'] = [`Invalid pk '${String(template)}' - object does not exist.`];
  }
  if (Object.keys(errors).length) throw fieldErrors(errors);
  const user = requireAuth(ctx);
  const { state } = ctx;
  const id = state.nextId('project');
  const now = new Date().toISOString();
  let slug = slugify(`${user.username} ${String(body['name'])}`);
  for (let n = 1; [...state.projects.values()].some((p) => p.slug === slug); n++) slug = `${slugify(`${user.username} ${String(body['name'])}`)}-${n}`;
  const kanban = Number(template) === 2;
  const isPrivate = body['is_private'] === undefined ? true : Boolean(body['is_private']);
  const project: Project = {
    id, name: String(body['name']), slug, description: String(body['description']), created_date: now, modified_date: now,
    owner: user.id, is_private: isPrivate, blocked_code: null, tags: Array.isArray(body['tags']) ? body['tags'].map(String) : [],
    tags_colors: {}, anon_permissions: isPrivate ? [] : [...VIEW_PERMISSIONS], public_permissions: isPrivate ? [] : [...VIEW_PERMISSIONS],
    is_epics_activated: false, is_backlog_activated: !kanban, is_kanban_activated: kanban, is_wiki_activated: !kanban,
    is_issues_activated: true, is_contact_activated: true, is_featured: false, is_looking_for_people: false,
    looking_for_people_note: '', videoconferences: null, videoconferences_extra_data: null, creation_template: Number(template),
    total_milestones: null, total_story_points: null, fans: [], watchers: [user.id], modules: null, defaults: {},
  };
  state.projects.set(id, project);
  project.defaults = applyTemplate(state, id);
  pushEvent(state, project, 'projects.project.create', user.id, now, {}, relatedPeople(state, [project.owner, ...project.watchers]));
  const membershipId = state.nextId('membership');
  state.memberships.set(membershipId, {
    id: membershipId, project: id, user: user.id, role: ownerRoleId(state, id), is_admin: true, email: user.email,
    created_at: now, invited_by: null, invitation_extra_text: null, user_order: Date.now(), token: null,
  });
  return ok(projectDetail(ctx, project), 201);
}

const EDITABLE = [
  'name', 'description', 'is_private', 'is_epics_activated', 'is_backlog_activated', 'is_kanban_activated', 'is_wiki_activated',
  'is_issues_activated', 'is_contact_activated', 'is_looking_for_people', 'looking_for_people_note', 'tags',
  'total_milestones', 'total_story_points', 'videoconferences', 'videoconferences_extra_data', 'anon_permissions', 'public_permissions',
] as const;

/** Admin-only writes; a missing project is looked up like retrieve. */
function writableProject(ctx: Ctx): Project {
  const p = projectOr404(ctx, ctx.state.projects.get(parseId(ctx)));
  if (!isProjectAdmin(ctx, p)) denied(ctx);
  requireNotBlocked(p);
  return p;
}

function update(ctx: Ctx): Reply {
  const p = writableProject(ctx);
  const body = bodyObject(ctx);
  for (const key of EDITABLE) if (key in body) (p as unknown as Record<string, unknown>)[key] = body[key];
  if ('is_private' in body && !p.is_private) {
    p.anon_permissions = [...VIEW_PERMISSIONS];
    p.public_permissions = [...VIEW_PERMISSIONS];
  }
  p.modified_date = new Date().toISOString();
  return ok(projectDetail(ctx, p));
}

function destroy(ctx: Ctx): Reply {
  const p = writableProject(ctx);
  const { state } = ctx;
  state.projects.delete(p.id);
  const epics = new Set([...state.epics.values()].filter((e) => e.project === p.id).map((e) => e.id));
  const stories = new Set(state.storiesOf(p.id).map((s) => s.id));
  for (const [id, l] of state.epicLinks) if (epics.has(l.epic) || stories.has(l.user_story)) state.epicLinks.delete(id);
  for (const a of state.attachments.values()) if (a.project === p.id) state.files.delete(a.path);
  const owned = [
    state.memberships, state.milestones, state.stories, state.tasks, state.issues, state.epics, state.roles, state.wikiPages, state.wikiLinks,
    state.attachments, state.swimlanes, ...Object.values(state.dueDates), ...Object.values(state.attributes),
  ];
  for (const m of owned as Map<number, { project: number }>[]) {
    for (const [id, v] of m) if (v.project === p.id) m.delete(id);
  }
  return noContent();
}

/** watch/unwatch/like/unlike: 200 with an empty body. */
function projectAction(apply: (ctx: Ctx, p: Project) => void) {
  return (ctx: Ctx): Reply => {
    const user = requireAuth(ctx);
    const p = projectOr404(ctx, ctx.state.projects.get(parseId(ctx)));
    if (!canViewProject(ctx, p)) denied(ctx);
    requireNotBlocked(p);
    void user;
    apply(ctx, p);
    return emptyOk();
  };
}

export const projectRoutes: RouteTable = [
  ['/projects', { GET: list, POST: create }],
  ['/projects/by_slug', { GET: bySlug }],
  ['/projects/:id', { GET: retrieve, PUT: update, PATCH: update, DELETE: destroy }],
  ['/projects/:id/watch', { POST: projectAction((ctx, p) => { if (!p.watchers.includes(ctx.user!.id)) p.watchers.push(ctx.user!.id); }) }],
  ['/projects/:id/unwatch', { POST: projectAction((ctx, p) => { p.watchers = p.watchers.filter((w) => w !== ctx.user!.id); }) }],
  ['/projects/:id/like', { POST: projectAction((ctx, p) => { if (!p.fans.includes(ctx.user!.id)) p.fans.push(ctx.user!.id); }) }],
  ['/projects/:id/unlike', { POST: projectAction((ctx, p) => { p.fans = p.fans.filter((f) => f !== ctx.user!.id); }) }],
];
