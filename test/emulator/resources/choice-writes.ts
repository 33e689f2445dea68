// Writes of the project's choice values (§9.11): create and PATCH (admins; the
// slug follows the name), DELETE with the mandatory ?moveTo= (the objects
// using the value, and the project default, move to it), bulk_update_order.
import { bodyObject, type Ctx, type RouteTable } from '../context.js';
import { badRequest, fieldErrors, noContent, notFoundModel, ok, type Reply } from '../http.js';
import { denied, isProjectAdmin, missingForWrite, requireNotBlocked } from '../permissions.js';
import { choiceOut } from '../serializers/choices.js';
import { slugify } from '../template.js';
import type { Choice, ChoiceKind, Project } from '../types.js';
import { Checker } from './item-input.js';
import { parseId } from './lookup.js';
import { toBool } from './story-input.js';

/** Re-points the objects that use `from` at `to` (on_destroy's move). */
function moveUses(ctx: Ctx, kind: ChoiceKind, from: number, to: number): void {
  const { state } = ctx;
  const swap = <T>(items: Iterable<T>, get: (i: T) => number, set: (i: T, v: number) => void) => {
    for (const i of items) if (get(i) === from) set(i, to);
  };
  if (kind === 'us_status') swap(state.stories.values(), (s) => s.status, (s, v) => (s.status = v));
  if (kind === 'task_status') swap(state.tasks.values(), (t) => t.status, (t, v) => (t.status = v));
  if (kind === 'epic_status') swap(state.epics.values(), (e) => e.status, (e, v) => (e.status = v));
  if (kind === 'issue_status') swap(state.issues.values(), (i) => i.status, (i, v) => (i.status = v));
  if (kind === 'issue_type') swap(state.issues.values(), (i) => i.type, (i, v) => (i.type = v));
  if (kind === 'priority') swap(state.issues.values(), (i) => i.priority, (i, v) => (i.priority = v));
  if (kind === 'severity') swap(state.issues.values(), (i) => i.severity, (i, v) => (i.severity = v));
  if (kind === 'points') {
    for (const s of state.stories.values()) for (const role of Object.keys(s.points)) if (s.points[role] === from) s.points[role] = to;
  }
}

const uniqueSlug = (ctx: Ctx, c: Pick<Choice, 'kind' | 'project' | 'id'>, name: string) => {
  const taken = (slug: string) => ctx.state.choicesOf(c.kind, c.project).some((x) => x.slug === slug && x.id !== c.id);
  let slug = slugify(name);
  for (let n = 1; taken(slug); n++) slug = `${slugify(name)}-${n}`;
  return slug;
};

function apply(c: Choice, body: Record<string, unknown>, checker: Checker): void {
  const order = checker.integer('order');
  const wip = checker.has('wip_limit') && body['wip_limit'] !== null ? checker.integer('wip_limit') : undefined;
  checker.done();
  if (typeof body['color'] === 'string') c.color = body['color'];
  if (order !== undefined) c.order = order;
  if ('is_closed' in body) c.is_closed = toBool(body['is_closed']);
  if ('is_archived' in body) c.is_archived = toBool(body['is_archived']);
  if ('wip_limit' in body) c.wip_limit = body['wip_limit'] === null ? null : (wip ?? null);
  if ('value' in body) c.value = body['value'] === null ? null : Number(body['value']);
}

export function choiceWriteRoutes(path: string, kind: ChoiceKind, model: string, bulkField: string): RouteTable {
  const duplicated = (ctx: Ctx, project: number, name: string, except?: number) =>
    ctx.state.choicesOf(kind, project).some((c) => c.name === name && c.id !== except);
  const admin = (ctx: Ctx, p: Project) => {
    if (!isProjectAdmin(ctx, p)) denied(ctx);
    requireNotBlocked(p);
  };
  const create = (ctx: Ctx): Reply => {
    const body = bodyObject(ctx);
    const checker = new Checker(ctx, body);
    const project = checker.project(true);
    checker.requiredText('name');
    checker.done();
    const name = String(body['name']);
    if (duplicated(ctx, project!.id, name)) throw fieldErrors({ name: ['Duplicated name'] });
    admin(ctx, project!);
    const id = ctx.state.nextId(kind);
    const c: Choice = {
      id, kind, project: project!.id, name, slug: '', order: 10, color: '#999999', is_closed: false, is_archived: false, wip_limit: null, value: null,
    };
    apply(c, body, checker);
    c.slug = uniqueSlug(ctx, c, name);
    ctx.state.choiceMap(kind).set(id, c);
    return ok(choiceOut(c), 201);
  };
  const writable = (ctx: Ctx): Choice => {
    const c = ctx.state.choice(kind, parseId(ctx));
    if (!c) missingForWrite(ctx);
    admin(ctx, ctx.state.projects.get(c.project)!);
    return c;
  };
  const update = (ctx: Ctx): Reply => {
    const c = writable(ctx);
    const body = bodyObject(ctx);
    const checker = new Checker(ctx, body);
    if (ctx.method === 'PUT') checker.requiredText('name');
    if (typeof body['name'] === 'string' && duplicated(ctx, c.project, body['name'], c.id)) throw fieldErrors({ name: ['Duplicated name'] });
    apply(c, body, checker);
    if (typeof body['name'] === 'string' && body['name']) {
      c.name = body['name'];
      c.slug = uniqueSlug(ctx, c, c.name); // renaming regenerates the slug (README #21)
    }
    return ok(choiceOut(c));
  };
  const destroy = (ctx: Ctx): Reply => {
    const moveTo = ctx.query['moveTo'];
    if (moveTo === undefined) throw badRequest("Query param 'moveTo' is required");
    const target = ctx.state.choice(kind, Number(moveTo));
    if (!target) throw notFoundModel(model);
    const c = writable(ctx);
    moveUses(ctx, kind, c.id, target.id);
    const project = ctx.state.projects.get(c.project)!;
    if (project.defaults[kind] === c.id) project.defaults[kind] = target.id;
    ctx.state.choiceMap(kind).delete(c.id);
    return noContent();
  };
  const bulkOrder = (ctx: Ctx): Reply => {
    const body = bodyObject(ctx);
    const checker = new Checker(ctx, body);
    const project = checker.project(true);
    checker.done();
    admin(ctx, project!);
    for (const [id, order] of (body[bulkField] as [number, number][] | undefined) ?? []) {
      const c = ctx.state.choice(kind, Number(id));
      if (c && c.project === project!.id) c.order = Number(order);
    }
    return noContent();
  };
  return [
    [path, { POST: create }],
    [`${path}/bulk_update_order`, { POST: bulkOrder }],
    [`${path}/:id`, { PUT: update, PATCH: update, DELETE: destroy }],
  ];
}
