// Role writes (§9.3): create, PATCH and DELETE by project admins. A computable
// role gives every story of the project a points entry; DELETE moves the
// members to ?moveTo= when given, and otherwise their memberships go with the
// role (the foreign key cascades in taiga-back).
import { bodyObject, type Ctx } from '../context.js';
import { noContent, notFoundModel, ok, type Reply } from '../http.js';
import { denied, isProjectAdmin, missingForWrite, requireNotBlocked } from '../permissions.js';
import { roleOut } from '../serializers/choices.js';
import { slugify } from '../template.js';
import type { Project, Role } from '../types.js';
import { Checker } from './item-input.js';
import { parseId } from './lookup.js';
import { toBool } from './story-input.js';

function admin(ctx: Ctx, p: Project): void {
  if (!isProjectAdmin(ctx, p)) denied(ctx);
  requireNotBlocked(p);
}

/** Computable roles are estimated: each story of the project gets the default points for them. */
function syncPoints(ctx: Ctx, r: Role): void {
  const project = ctx.state.projects.get(r.project)!;
  for (const s of ctx.state.storiesOf(r.project)) {
    if (r.computable && !(String(r.id) in s.points)) s.points[String(r.id)] = project.defaults.points!;
    if (!r.computable) delete s.points[String(r.id)];
  }
}

function apply(r: Role, body: Record<string, unknown>, c: Checker): void {
  const order = c.integer('order');
  c.done();
  if (typeof body['name'] === 'string' && body['name']) {
    r.name = body['name'];
    r.slug = slugify(r.name);
  }
  if (Array.isArray(body['permissions'])) r.permissions = body['permissions'].map(String);
  if ('computable' in body) r.computable = toBool(body['computable']);
  if (order !== undefined) r.order = order;
}

function create(ctx: Ctx): Reply {
  const body = bodyObject(ctx);
  const c = new Checker(ctx, body);
  const project = c.project(true);
  c.requiredText('name');
  c.done();
  admin(ctx, project!);
  const id = ctx.state.nextId('role');
  const r: Role = { id, project: project!.id, name: '', slug: '', order: 10, computable: true, permissions: [] };
  apply(r, body, c);
  ctx.state.roles.set(id, r);
  syncPoints(ctx, r);
  return ok(roleOut(ctx.state, r), 201);
}

function writable(ctx: Ctx): Role {
  const r = ctx.state.roles.get(parseId(ctx));
  if (!r) missingForWrite(ctx);
  admin(ctx, ctx.state.projects.get(r.project)!);
  return r;
}

function update(ctx: Ctx): Reply {
  const r = writable(ctx);
  const body = bodyObject(ctx);
  const c = new Checker(ctx, body);
  if (ctx.method === 'PUT') c.requiredText('name');
  apply(r, body, c);
  syncPoints(ctx, r);
  return ok(roleOut(ctx.state, r));
}

function destroy(ctx: Ctx): Reply {
  const r = writable(ctx);
  const moveTo = ctx.query['moveTo'];
  const target = moveTo === undefined ? undefined : ctx.state.roles.get(Number(moveTo));
  if (moveTo !== undefined && (!target || target.project !== r.project)) throw notFoundModel('Role');
  for (const m of ctx.state.membershipsOf(r.project)) {
    if (m.role !== r.id) continue;
    if (target) m.role = target.id;
    else ctx.state.memberships.delete(m.id);
  }
  for (const s of ctx.state.storiesOf(r.project)) delete s.points[String(r.id)];
  ctx.state.roles.delete(r.id);
  return noContent();
}

export const roleWrites = { POST: create, PUT: update, PATCH: update, DELETE: destroy };
