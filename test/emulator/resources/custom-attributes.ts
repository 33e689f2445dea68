// Custom attribute definitions (§9.12): /{epic|userstory|task|issue}-custom-attributes,
// admin-only writes; deleting one drops its key from every values row.
import { bodyObject, type Ctx, type RouteTable } from '../context.js';
import { fieldErrors, noContent, notFoundModel, ok, type Reply } from '../http.js';
import { paginate } from '../pagination.js';
import { can, denied, isProjectAdmin, missingForWrite, requireNotBlocked } from '../permissions.js';
import type { AttributeKind, AttributeType, CustomAttribute } from '../types.js';
import { Checker } from './item-input.js';
import { parseId } from './lookup.js';

export const ATTRIBUTE_KINDS: [kind: AttributeKind, path: string, model: string][] = [
  ['epic', '/epic-custom-attributes', 'EpicCustomAttribute'],
  ['userstory', '/userstory-custom-attributes', 'UserStoryCustomAttribute'],
  ['task', '/task-custom-attributes', 'TaskCustomAttribute'],
  ['issue', '/issue-custom-attributes', 'IssueCustomAttribute'],
];
const TYPES: AttributeType[] = ['text', 'multiline', 'richtext', 'date', 'url', 'dropdown', 'checkbox', 'number'];
const DUPLICATE = 'Already exists one with the same name.';

export function attributeOut(a: CustomAttribute) {
  return {
    id: a.id, name: a.name, description: a.description, type: a.type, order: a.order, project: a.project, extra: a.extra,
    created_date: a.created_date, modified_date: a.modified_date,
  };
}

const canView = (ctx: Ctx, a: CustomAttribute) => can(ctx, ctx.state.projects.get(a.project)!, 'view_project');

function readFields(c: Checker, creating: boolean) {
  if (creating) c.requiredText('name');
  const type = c.body['type'];
  if (type !== undefined && !TYPES.includes(type as AttributeType)) {
    c.fail('type', `Select a valid choice. ${String(type)} is not one of the available choices.`);
  }
  return { order: c.integer('order') };
}

function routes(kind: AttributeKind, path: string, model: string): RouteTable {
  const map = (ctx: Ctx) => ctx.state.attributes[kind];
  const taken = (ctx: Ctx, project: number, name: string, except?: number) =>
    [...map(ctx).values()].some((a) => a.project === project && a.name === name && a.id !== except);

  const list = (ctx: Ctx): Reply => {
    const project = ctx.query['project'];
    const items = [...map(ctx).values()]
      .filter((a) => canView(ctx, a) && (project === undefined || String(a.project) === project))
      .sort((a, b) => a.project - b.project || a.order - b.order || a.name.localeCompare(b.name) || a.id - b.id);
    return paginate(ctx, items.map(attributeOut));
  };
  const retrieve = (ctx: Ctx): Reply => {
    const a = map(ctx).get(parseId(ctx));
    if (!a) throw notFoundModel(model);
    if (!canView(ctx, a)) denied(ctx);
    return ok(attributeOut(a));
  };
  const create = (ctx: Ctx): Reply => {
    const body = bodyObject(ctx);
    const c = new Checker(ctx, body);
    const project = c.project(true);
    const { order } = readFields(c, true);
    c.done();
    const name = String(body['name']);
    if (taken(ctx, project!.id, name)) throw fieldErrors({ name: [DUPLICATE], project: [DUPLICATE] });
    if (!isProjectAdmin(ctx, project!)) denied(ctx);
    requireNotBlocked(project!);
    const now = new Date().toISOString();
    const id = ctx.state.nextId(`${kind}_attribute`);
    const a: CustomAttribute = {
      id, kind, project: project!.id, name, description: typeof body['description'] === 'string' ? body['description'] : '',
      type: (body['type'] as AttributeType | undefined) ?? 'text', order: order ?? Date.now(), extra: body['extra'] ?? null,
      created_date: now, modified_date: now,
    };
    map(ctx).set(id, a);
    return ok(attributeOut(a), 201);
  };
  const writable = (ctx: Ctx): CustomAttribute => {
    const a = map(ctx).get(parseId(ctx));
    if (!a || !canView(ctx, a)) missingForWrite(ctx);
    const project = ctx.state.projects.get(a.project)!;
    if (!isProjectAdmin(ctx, project)) denied(ctx);
    requireNotBlocked(project);
    return a;
  };
  const update = (ctx: Ctx): Reply => {
    const a = writable(ctx);
    const body = bodyObject(ctx);
    const c = new Checker(ctx, body);
    const { order } = readFields(c, ctx.method === 'PUT');
    c.done();
    if (typeof body['name'] === 'string' && taken(ctx, a.project, body['name'], a.id)) throw fieldErrors({ name: [DUPLICATE], project: [DUPLICATE] });
    if (typeof body['name'] === 'string' && body['name']) a.name = body['name'];
    if ('description' in body) a.description = String(body['description'] ?? '');
    if (body['type'] !== undefined) a.type = body['type'] as AttributeType;
    if ('extra' in body) a.extra = body['extra'] ?? null;
    if (order !== undefined) a.order = order;
    a.modified_date = new Date().toISOString();
    return ok(attributeOut(a));
  };
  const destroy = (ctx: Ctx): Reply => {
    const a = writable(ctx);
    map(ctx).delete(a.id);
    ctx.state.forgetAttribute(kind, a.id);
    return noContent();
  };
  /** {project, bulk_<kind>_custom_attributes: [[id, order], …]} → 204. */
  const bulkOrder = (ctx: Ctx): Reply => {
    const body = bodyObject(ctx);
    const c = new Checker(ctx, body);
    const project = c.project(true);
    c.done();
    if (!isProjectAdmin(ctx, project!)) denied(ctx);
    for (const [id, order] of (body[`bulk_${kind}_custom_attributes`] as [number, number][] | undefined) ?? []) {
      const a = map(ctx).get(Number(id));
      if (a && a.project === project!.id) a.order = Number(order);
    }
    return noContent();
  };
  return [
    [path, { GET: list, POST: create }],
    [`${path}/bulk_update_order`, { POST: bulkOrder }],
    [`${path}/:id`, { GET: retrieve, PUT: update, PATCH: update, DELETE: destroy }],
  ];
}

export const customAttributeRoutes: RouteTable = ATTRIBUTE_KINDS.flatMap(([kind, path, model]) => routes(kind, path, model));
