// Swimlanes (with their per-status WIP cells) and due-date levels (§9.11):
// lists by project, and admin writes.
import { bodyObject, type Ctx, type RouteTable } from '../context.js';
import { noContent, notFoundModel, ok, type Reply } from '../http.js';
import { paginate } from '../pagination.js';
import { can, denied, isProjectAdmin, missingForWrite, requireNotBlocked } from '../permissions.js';
import { createSwimlane } from '../seed-boards.js';
import type { DueDate, DueDateKind, Project, Swimlane } from '../types.js';
import { Checker } from './item-input.js';
import { parseId } from './lookup.js';
import { toBool } from './story-input.js';

const visible = (ctx: Ctx, projectId: number) => can(ctx, ctx.state.projects.get(projectId)!, 'view_project');
const inQuery = (ctx: Ctx, projectId: number) => ctx.query['project'] === undefined || String(projectId) === ctx.query['project'];
function admin(ctx: Ctx, p: Project): void {
  if (!isProjectAdmin(ctx, p)) denied(ctx);
  requireNotBlocked(p);
}

function swimlaneOut(ctx: Ctx, s: Swimlane) {
  const cells = [...ctx.state.swimlaneStatuses.values()].filter((c) => c.swimlane === s.id);
  const statuses = ctx.state.choicesOf('us_status', s.project).map((st) => {
    const cell = cells.find((c) => c.status === st.id);
    return {
      id: st.id, name: st.name, slug: st.slug, order: st.order, is_closed: st.is_closed, is_archived: st.is_archived, color: st.color,
      wip_limit: cell?.wip_limit ?? null, swimlane_userstory_status_id: cell?.id ?? null,
    };
  });
  return { id: s.id, name: s.name, order: s.order, project: s.project, statuses };
}

function swimlaneRoutes(): RouteTable {
  const find = (ctx: Ctx) => {
    const s = ctx.state.swimlanes.get(parseId(ctx));
    if (!s || !visible(ctx, s.project)) missingForWrite(ctx);
    admin(ctx, ctx.state.projects.get(s.project)!);
    return s;
  };
  return [
    ['/swimlanes', {
      GET: (ctx) => paginate(ctx, [...ctx.state.swimlanes.values()]
        .filter((s) => visible(ctx, s.project) && inQuery(ctx, s.project))
        .sort((a, b) => a.project - b.project || a.order - b.order || a.id - b.id)
        .map((s) => swimlaneOut(ctx, s))),
      POST: (ctx) => {
        const body = bodyObject(ctx);
        const c = new Checker(ctx, body);
        const project = c.project(true);
        c.requiredText('name');
        const order = c.integer('order');
        c.done();
        admin(ctx, project!);
        const id = createSwimlane(ctx.state, project!.id, String(body['name']), order ?? Date.now());
        return ok(swimlaneOut(ctx, ctx.state.swimlanes.get(id)!), 201);
      },
    }],
    ['/swimlanes/:id', {
      GET: (ctx) => {
        const s = ctx.state.swimlanes.get(parseId(ctx));
        if (!s) throw notFoundModel('Swimlane');
        if (!visible(ctx, s.project)) denied(ctx);
        return ok(swimlaneOut(ctx, s));
      },
      PATCH: (ctx) => {
        const s = find(ctx);
        const body = bodyObject(ctx);
        const c = new Checker(ctx, body);
        const order = c.integer('order');
        c.done();
        if (typeof body['name'] === 'string' && body['name']) s.name = body['name'];
        if (order !== undefined) s.order = order;
        return ok(swimlaneOut(ctx, s));
      },
      DELETE: (ctx) => {
        const s = find(ctx);
        for (const story of ctx.state.storiesOf(s.project)) if (story.swimlane === s.id) story.swimlane = null;
        for (const [id, cell] of ctx.state.swimlaneStatuses) if (cell.swimlane === s.id) ctx.state.swimlaneStatuses.delete(id);
        ctx.state.swimlanes.delete(s.id);
        return noContent();
      },
    }],
  ];
}

const dueDateOut = (d: DueDate) => ({
  id: d.id, name: d.name, order: d.order, by_default: d.by_default, days_to_due: d.days_to_due, color: d.color, project: d.project,
});

function dueDateRoutes(path: string, kind: DueDateKind): RouteTable {
  const find = (ctx: Ctx) => {
    const d = ctx.state.dueDates[kind].get(parseId(ctx));
    if (!d || !visible(ctx, d.project)) missingForWrite(ctx);
    admin(ctx, ctx.state.projects.get(d.project)!);
    return d;
  };
  const read = (ctx: Ctx, d: DueDate, body: Record<string, unknown>) => {
    const c = new Checker(ctx, body);
    const order = c.integer('order');
    const days = body['days_to_due'] === null ? undefined : c.integer('days_to_due');
    c.done();
    if (typeof body['name'] === 'string' && body['name']) d.name = body['name'];
    if (typeof body['color'] === 'string') d.color = body['color'];
    if ('by_default' in body) d.by_default = toBool(body['by_default']);
    if ('days_to_due' in body) d.days_to_due = body['days_to_due'] === null ? null : (days ?? null);
    if (order !== undefined) d.order = order;
  };
  return [
    [path, {
      GET: (ctx) => paginate(ctx, [...ctx.state.dueDates[kind].values()]
        .filter((d) => visible(ctx, d.project) && inQuery(ctx, d.project))
        .sort((a, b) => a.project - b.project || a.order - b.order || a.name.localeCompare(b.name))
        .map(dueDateOut)),
      POST: (ctx): Reply => {
        const body = bodyObject(ctx);
        const c = new Checker(ctx, body);
        const project = c.project(true);
        c.requiredText('name');
        c.done();
        admin(ctx, project!);
        const d: DueDate = {
          id: ctx.state.nextId(`${kind}_duedate`), kind, project: project!.id, name: '', order: 10, by_default: false, days_to_due: null,
          color: '#999999',
        };
        read(ctx, d, body);
        ctx.state.dueDates[kind].set(d.id, d);
        return ok(dueDateOut(d), 201);
      },
    }],
    [`${path}/:id`, {
      GET: (ctx) => {
        const d = ctx.state.dueDates[kind].get(parseId(ctx));
        if (!d) throw notFoundModel(`${kind === 'userstory' ? 'UserStory' : kind === 'task' ? 'Task' : 'Issue'}DueDate`);
        if (!visible(ctx, d.project)) denied(ctx);
        return ok(dueDateOut(d));
      },
      PATCH: (ctx) => {
        const d = find(ctx);
        read(ctx, d, bodyObject(ctx));
        return ok(dueDateOut(d));
      },
      DELETE: (ctx) => {
        ctx.state.dueDates[kind].delete(find(ctx).id);
        return noContent();
      },
    }],
  ];
}

export const boardRoutes: RouteTable = [
  ...swimlaneRoutes(),
  ...dueDateRoutes('/userstory-due-dates', 'userstory'),
  ...dueDateRoutes('/task-due-dates', 'task'),
  ...dueDateRoutes('/issue-due-dates', 'issue'),
];
