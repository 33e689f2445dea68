// /epics writes: create (a random predefined color; any string is accepted,
// README #9), PUT/PATCH with OCC, delete (its story links go too) and
// bulk_create. Cross-project statuses are 400 WrongArguments (README #8).
import { bodyObject, type Ctx, type RouteTable } from '../context.js';
import { noContent, ok, wrongArguments, type Reply } from '../http.js';
import { commitCreate } from '../occ.js';
import { applyOrderUpdates, extraOrders, ordersHeader } from '../order.js';
import { can, denied, requireNotBlocked } from '../permissions.js';
import { epicFull } from '../serializers/epics.js';
import type { Epic, Project } from '../types.js';
import { Checker } from './item-input.js';
import { createItem, deleteItem, readCommon, updateItem, type WriteHooks } from './item-write.js';
import { EPIC } from './specs.js';

/** The Tango palette taiga-back picks epic colors from. */
const COLORS = [
  '#fce94f', '#edd400', '#c4a000', '#8ae234', '#73d216', '#4e9a06', '#d3d7cf', '#fcaf3e', '#f57900', '#ce5c00', '#729fcf', '#3465a4',
  '#204a87', '#888a85', '#ad7fa8', '#75507b', '#5c3566', '#ef2929', '#cc0000', '#a40000',
];

export function blankEpic(ctx: Ctx, project: Project): Epic {
  const now = new Date();
  return {
    id: 0, project: project.id, ref: 0, subject: '', description: '', status: project.defaults.epic_status!, owner: ctx.user?.id ?? null,
    assigned_to: null, tags: [], watchers: [], voters: [], is_blocked: false, blocked_note: '', external_reference: null,
    created_date: now.toISOString(), modified_date: now.toISOString(), version: 1,
    color: COLORS[Math.floor(Math.random() * COLORS.length)]!, epics_order: now.getTime(), client_requirement: false, team_requirement: false,
  };
}

function read(ctx: Ctx, c: Checker, project: Project | undefined, creating: boolean): (e: Epic) => void {
  const common = readCommon<Epic>(ctx, c, project, creating);
  const status = c.choice('status', 'epic_status');
  const color = c.text('color');
  if (color !== undefined && color.length > 32) c.fail('color', 'Ensure this field has no more than 32 characters.');
  const order = c.integer('epics_order');
  const client = c.flag('client_requirement');
  const team = c.flag('team_requirement');
  return (e) => {
    common(e);
    if (status !== undefined) e.status = status ?? ctx.state.projects.get(e.project)!.defaults.epic_status!;
    if (color !== undefined) e.color = color;
    if (order !== undefined) e.epics_order = order;
    if (client !== undefined) e.client_requirement = client;
    if (team !== undefined) e.team_requirement = team;
  };
}

function check(ctx: Ctx, e: Epic): void {
  if (ctx.state.choice('epic_status', e.status)?.project !== e.project) {
    throw wrongArguments("You don't have permissions to set this status to this epic.");
  }
}

const HOOKS: WriteHooks<Epic> = {
  spec: EPIC, read, blank: blankEpic, check, blockedFirst: true, remap: [['status', 'epic_status', 'slug']], dropOnMove: [],
};

function reset(e: Epic, project: Project): void {
  Object.assign(e, {
    status: project.defaults.epic_status!, assigned_to: null, tags: [], description: '', is_blocked: false, blocked_note: '',
    client_requirement: false, team_requirement: false,
  });
}

function update(ctx: Ctx): Reply {
  const before = EPIC.items(ctx.state).get(Number(ctx.params['id']))?.epics_order;
  const epic = updateItem(ctx, HOOKS, reset);
  let orders = new Map<number, number>();
  if (before !== undefined && before !== epic.epics_order) {
    const base = new Map([...ctx.state.epics.values()].filter((e) => e.project === epic.project).map((e) => [e.id, e.epics_order]));
    orders = applyOrderUpdates(base, new Map([[epic.id, epic.epics_order], ...extraOrders(ctx.headers['set-orders'])]));
    for (const [id, order] of orders) ctx.state.epics.get(id)!.epics_order = order;
  }
  return ok(epicFull(ctx, epic), 200, { 'Taiga-Info-Order-Updated': ordersHeader(orders) });
}

function destroy(ctx: Ctx): Reply {
  const epic = deleteItem(ctx, EPIC);
  for (const link of ctx.state.linksOf({ epic: epic.id })) ctx.state.epicLinks.delete(link.id);
  return noContent();
}

function bulkCreate(ctx: Ctx): Reply {
  const { state } = ctx;
  const c = new Checker(ctx, bodyObject(ctx));
  const project = c.projectId();
  const statusId = c.int('status_id', false);
  const lines = c.lines('bulk_epics');
  c.done();
  if (!can(ctx, project!, EPIC.perms.add)) denied(ctx);
  requireNotBlocked(project!);
  const created = lines!.map((subject) => {
    const epic: Epic = { ...blankEpic(ctx, project!), subject, status: statusId ?? project!.defaults.epic_status! };
    epic.id = state.nextId('epic');
    epic.ref = state.nextRef(project!.id);
    state.epics.set(epic.id, epic);
    commitCreate(ctx, 'epic', epic, {});
    return epic;
  });
  return ok(created.map((e) => epicFull(ctx, e)));
}

export const epicWriteRoutes: RouteTable = [
  ['/epics', { POST: (ctx) => ok(epicFull(ctx, createItem(ctx, HOOKS)), 201) }],
  ['/epics/:id', { PUT: update, PATCH: update, DELETE: destroy }],
  ['/epics/bulk_create', { POST: bulkCreate }],
];
