// /memberships and /roles.
import { bodyObject, type Ctx, type RouteTable } from '../context.js';
import { fieldErrors, noContent, notAuthenticated, notFound, notFoundModel, ok, rawError, type Reply } from '../http.js';
import { paginate } from '../pagination.js';
import { can, denied, isProjectAdmin, requireNotBlocked } from '../permissions.js';
import { roleOut } from '../serializers/choices.js';
import { pushEvent } from '../timeline-events.js';
import { userBasicInfo } from '../serializers/users.js';
import type { Membership } from '../types.js';
import { parseId, projectFromBody } from './lookup.js';
import { roleWrites } from './roles.js';

/** `adminView`: list, retrieve and create use the admin serializer for admins; PATCH answers with the plain one. */
export function membershipOut(ctx: Ctx, m: Membership, adminView = true) {
  const { state } = ctx;
  const user = m.user ? state.users.get(m.user) : undefined;
  const project = state.projects.get(m.project)!;
  const out: Record<string, unknown> = {
    id: m.id, user: m.user, project: m.project, role: m.role, is_admin: m.is_admin, created_at: m.created_at,
    invited_by: m.invited_by ? userBasicInfo(state.users.get(m.invited_by)) : null, invitation_extra_text: m.invitation_extra_text,
    user_order: m.user_order, role_name: state.roles.get(m.role)?.name ?? '', full_name: user?.full_name ?? null,
    is_user_active: user?.is_active ?? false, color: user?.color ?? null, photo: null, gravatar_id: user?.gravatar_id ?? null,
    project_name: project.name, project_slug: project.slug, is_owner: user ? project.owner === user.id : null,
  };
  if (adminView && isProjectAdmin(ctx, project)) Object.assign(out, { email: m.email, user_email: user?.email ?? null });
  return out;
}

function list(ctx: Ctx): Reply {
  const { state } = ctx;
  let items = [...state.memberships.values()];
  if (ctx.query['project'] !== undefined) {
    const project = state.projects.get(Number(ctx.query['project']));
    // A 404 still carries pagination headers (README #22): the error is raised after paginating.
    if (!project) throw ctx.user ? rawError(404, { _error_message: '' }, { 'x-pagination-count': '0', 'x-paginated': 'true', 'x-paginated-by': '30', 'x-pagination-current': '1' }) : notAuthenticated();
    items = items.filter((m) => m.project === project.id);
  }
  if (ctx.query['role'] !== undefined) items = items.filter((m) => m.role === Number(ctx.query['role']));
  items = items.filter((m) => can(ctx, state.projects.get(m.project)!, 'view_project'));
  const name = (m: Membership) => (m.user ? state.users.get(m.user)!.full_name : '~');
  items.sort((a, b) => a.project - b.project || Number(a.user === null) - Number(b.user === null) || name(a).localeCompare(name(b)) || (a.email ?? '').localeCompare(b.email ?? ''));
  return paginate(ctx, items.map((m) => membershipOut(ctx, m)));
}

function retrieve(ctx: Ctx): Reply {
  const m = ctx.state.memberships.get(parseId(ctx));
  if (!m) throw notFoundModel('Membership');
  if (!can(ctx, ctx.state.projects.get(m.project)!, 'view_project')) denied(ctx);
  return ok(membershipOut(ctx, m));
}

function create(ctx: Ctx): Reply {
  const body = bodyObject(ctx);
  const errors: Record<string, string[]> = {};
  for (const f of ['project', 'role', 'username']) if (body[f] === undefined || body[f] === '') errors[f] = ['This field is required.'];
  if (Object.keys(errors).length) throw fieldErrors(errors);
  const project = projectFromBody(ctx, body['project']);
  const role = ctx.state.roles.get(Number(body['role']));
  if (!role || role.project !== project.id) throw fieldErrors({ role: ['Invalid role for the project'] });
  if (!isProjectAdmin(ctx, project)) denied(ctx);
  requireNotBlocked(project);
  const login = String(body['username']);
  const user = ctx.state.userByLogin(login);
  if (user && ctx.state.membership(project.id, user.id)) throw fieldErrors({ username: ['The user yet exists in the project'] });
  const id = ctx.state.nextId('membership');
  const m: Membership = {
    id, project: project.id, user: user?.id ?? null, role: role.id, is_admin: false, email: user?.email ?? login,
    created_at: new Date().toISOString(), invited_by: ctx.user!.id, invitation_extra_text: null,
    user_order: user ? 0 : Date.now(), token: user ? null : crypto.randomUUID(),
  };
  ctx.state.memberships.set(id, m);
  if (user) pushEvent(ctx.state, project, 'projects.membership.create', user.id, m.created_at, {}, [user.id]);
  return ok(membershipOut(ctx, m), 201);
}

function destroy(ctx: Ctx): Reply {
  const m = ctx.state.memberships.get(parseId(ctx));
  if (!m) throw ctx.user?.is_superuser ? notFound('') : ctx.user ? denied(ctx) : notAuthenticated();
  const project = ctx.state.projects.get(m.project)!;
  if (!isProjectAdmin(ctx, project)) denied(ctx);
  requireNotBlocked(project);
  if (m.user === project.owner) {
    throw rawError(400, { _error_message: 'The project must have an owner and at least one of the users must be an active admin', _error_type: 'taiga.base.exceptions.BadRequest' });
  }
  ctx.state.memberships.delete(m.id);
  if (m.user !== null) pushEvent(ctx.state, project, 'projects.membership.delete', m.user, new Date().toISOString(), {}, [m.user]);
  return noContent();
}

function update(ctx: Ctx): Reply {
  const m = ctx.state.memberships.get(parseId(ctx));
  if (!m) throw ctx.user?.is_superuser ? notFound('') : ctx.user ? denied(ctx) : notAuthenticated();
  const project = ctx.state.projects.get(m.project)!;
  if (!isProjectAdmin(ctx, project)) denied(ctx);
  requireNotBlocked(project);
  const body = bodyObject(ctx);
  if ('is_admin' in body && !body['is_admin'] && m.user === project.owner) throw fieldErrors({ is_admin: ['The project owner must be admin.'] });
  if (body['role'] !== undefined) {
    const role = ctx.state.roles.get(Number(body['role']));
    if (!role || role.project !== project.id) throw fieldErrors({ role: ['Invalid role for the project'] });
    m.role = role.id;
  }
  if ('is_admin' in body) m.is_admin = Boolean(body['is_admin']);
  return ok(membershipOut(ctx, m, false));
}

function listRoles(ctx: Ctx): Reply {
  let roles = [...ctx.state.roles.values()].filter((r) => can(ctx, ctx.state.projects.get(r.project)!, 'view_project'));
  if (ctx.query['project'] !== undefined) roles = roles.filter((r) => r.project === Number(ctx.query['project']));
  roles.sort((a, b) => a.project - b.project || a.order - b.order || a.name.localeCompare(b.name));
  return paginate(ctx, roles.map((r) => roleOut(ctx.state, r)));
}

function getRole(ctx: Ctx): Reply {
  const r = ctx.state.roles.get(parseId(ctx));
  if (!r) throw notFoundModel('Role');
  return ok(roleOut(ctx.state, r));
}

export const membershipRoutes: RouteTable = [
  ['/memberships', { GET: list, POST: create }],
  ['/memberships/:id', { GET: retrieve, PUT: update, PATCH: update, DELETE: destroy }],
  ['/roles', { GET: listRoles, POST: roleWrites.POST }],
  ['/roles/:id', { GET: getRole, PUT: roleWrites.PUT, PATCH: roleWrites.PATCH, DELETE: roleWrites.DELETE }],
];
