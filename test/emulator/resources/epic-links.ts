// /epics/{epic}/related_userstories (README #17): the epic ↔ story links,
// looked up by the story id. `epic` is required in the body although it is
// in the URL, a story of any project may be linked, and `order` defaults to
// a millisecond timestamp.
import { bodyObject, type Ctx, type RouteTable } from '../context.js';
import { fieldErrors, noContent, notFoundModel, ok, type Reply } from '../http.js';
import { recordHistory } from '../freeze.js';
import { applyOrderUpdates, extraOrders, ordersHeader } from '../order.js';
import { paginate } from '../pagination.js';
import { can, denied, missingForWrite, requireNotBlocked } from '../permissions.js';
import type { EpicLink, Project } from '../types.js';
import { Checker } from './item-input.js';
import { parseId, visibleOr404 } from './lookup.js';
import { STORY } from './specs.js';
import { createStoryRecord } from './userstories-write.js';

const linkOut = (l: EpicLink) => ({ epic: l.epic, user_story: l.user_story, order: l.order });

function epicProject(ctx: Ctx, epicId: number): Project | undefined {
  const epic = ctx.state.epics.get(epicId);
  return epic && ctx.state.projects.get(epic.project);
}

function list(ctx: Ctx): Reply {
  return paginate(ctx, ctx.state.linksOf({ epic: parseId(ctx, 'epic') }).map(linkOut));
}

function retrieve(ctx: Ctx): Reply {
  const link = ctx.state.linksOf({ epic: parseId(ctx, 'epic'), story: parseId(ctx) })[0];
  if (!link) throw notFoundModel('RelatedUserStory');
  if (!can(ctx, epicProject(ctx, link.epic)!, 'view_epics')) denied(ctx);
  return ok(linkOut(link));
}

function create(ctx: Ctx): Reply {
  const { state } = ctx;
  const c = new Checker(ctx, bodyObject(ctx));
  const bodyEpic = c.pk('epic', (id) => state.epics.has(id), true);
  const story = c.pk('user_story', (id) => state.stories.has(id), true);
  const order = c.integer('order');
  c.done();
  if (state.linksOf({ epic: bodyEpic!, story: story! }).length) {
    throw fieldErrors({ __all__: ['Related user story with this User story and Epic already exists.'] });
  }
  // Permissions are checked on the epic of the body; the link then goes to the epic of the URL.
  const project = epicProject(ctx, bodyEpic!)!;
  if (!can(ctx, project, 'modify_epic')) denied(ctx);
  requireNotBlocked(project);
  const id = state.nextId('epic_link');
  const link: EpicLink = { id, epic: parseId(ctx, 'epic'), user_story: story!, order: order ?? Date.now() };
  state.epicLinks.set(id, link);
  return ok(linkOut(link), 201);
}

function writable(ctx: Ctx): EpicLink {
  const link = ctx.state.linksOf({ epic: parseId(ctx, 'epic'), story: parseId(ctx) })[0];
  const project = link && epicProject(ctx, link.epic);
  if (!link || !project || !can(ctx, project, 'view_epics')) missingForWrite(ctx);
  if (!can(ctx, project, 'modify_epic')) denied(ctx);
  requireNotBlocked(project);
  return link;
}

/** Changing `order` renumbers the epic's other links; the header lists them by link id. */
function update(ctx: Ctx): Reply {
  const link = writable(ctx);
  const c = new Checker(ctx, bodyObject(ctx));
  const order = c.integer('order');
  c.done();
  let moved = new Map<number, number>();
  if (order !== undefined && order !== link.order) {
    link.order = order;
    const base = new Map(ctx.state.linksOf({ epic: link.epic }).map((l) => [l.id, l.order]));
    const extra = extraOrders(ctx.headers['set-orders'])
      .map(([storyId, o]) => [ctx.state.linksOf({ epic: link.epic, story: storyId })[0]?.id, o] as const)
      .filter((e): e is [number, number] => e[0] !== undefined);
    moved = applyOrderUpdates(base, new Map([[link.id, order], ...extra]));
    for (const [id, o] of moved) ctx.state.epicLinks.get(id)!.order = o;
  }
  return ok(linkOut(link), 200, { 'Taiga-Info-Order-Updated': ordersHeader(moved) });
}

function destroy(ctx: Ctx): Reply {
  ctx.state.epicLinks.delete(writable(ctx).id);
  return noContent();
}

/** Creates one story per line in `project_id` and links them; answers with all of the epic's links (200). */
function bulkCreate(ctx: Ctx): Reply {
  const { state } = ctx;
  const c = new Checker(ctx, bodyObject(ctx));
  const project = c.projectId();
  const lines = c.lines('bulk_userstories');
  c.done();
  const epicId = parseId(ctx, 'epic');
  const epic = state.epics.get(epicId);
  if (!epic || !can(ctx, state.projects.get(epic.project)!, 'view_epics')) visibleOr404(ctx, undefined);
  if (!can(ctx, project!, 'modify_epic')) denied(ctx);
  requireNotBlocked(project!);
  for (const subject of lines!) {
    const story = createStoryRecord(ctx, project!, { subject });
    recordHistory(state, STORY.kind, story, { user: ctx.user?.id ?? null, type: 'create' });
    const id = state.nextId('epic_link');
    state.epicLinks.set(id, { id, epic: epicId, user_story: story.id, order: Date.now() });
  }
  return ok(state.linksOf({ epic: epicId }).map(linkOut));
}

export const epicLinkRoutes: RouteTable = [
  ['/epics/:epic/related_userstories', { GET: list, POST: create }],
  ['/epics/:epic/related_userstories/bulk_create', { POST: bulkCreate }],
  ['/epics/:epic/related_userstories/:id', { GET: retrieve, PUT: update, PATCH: update, DELETE: destroy }],
];
