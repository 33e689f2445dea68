// The create / update / delete flow of taiga-back's ModelCrudViewSet for
// epics, tasks and issues: validation, permission, OCC, pre_conditions_on_save
// (blocked project, cross-project ids), save, history.
import { bodyObject, type Ctx } from '../context.js';
import { fieldErrors, rawError } from '../http.js';
import { commitCreate, commitUpdate, isCommentOnly, occError, recordDeletion } from '../occ.js';
import { beforeWrite, notifyItemWrite } from '../web-notifications.js';
import { can, denied, requireNotBlocked } from '../permissions.js';
import type { ChoiceKind, Epic, Issue, Project, Task } from '../types.js';
import { dropAttachments } from './attachments.js';
import { Checker } from './item-input.js';
import { projectOf, writableItem, type KindSpec } from './items.js';
import { applyTags } from './story-input.js';

type Item = Task | Issue | Epic;

export interface WriteHooks<T extends Item> {
  spec: KindSpec<T> & { kind: 'task' | 'issue' | 'epic' };
  /** Validates the body into `c`; returns what to apply to the draft. Watchers only count on update (README #13). */
  read(ctx: Ctx, c: Checker, project: Project | undefined, creating: boolean): (draft: T) => void;
  /** A new object with the project's defaults; id and ref come once it passed every check. */
  blank(ctx: Ctx, project: Project): T;
  /** pre_conditions_on_save: the cross-project id checks on the draft. */
  check(ctx: Ctx, draft: T): void;
  /** Issues check cross-project ids before the blocked project; tasks and epics after. */
  blockedFirst: boolean;
  /** Choice fields that a move to another project maps onto the target's values by slug or name. */
  remap: [field: string, kind: ChoiceKind, by: 'slug' | 'name'][];
  /** Related fields that a move drops when they are not in the target project. */
  dropOnMove: [field: string, inProject: (ctx: Ctx, id: number, projectId: number) => boolean][];
}

/** The fields every kind takes the same way. */
export function readCommon<T extends Item>(ctx: Ctx, c: Checker, project: Project | undefined, creating: boolean): (draft: T) => void {
  const subject = c.text('subject');
  const description = c.text('description');
  const blockedNote = c.text('blocked_note');
  const isBlocked = c.flag('is_blocked');
  const assigned = c.member('assigned_to', project);
  const tags = c.tags();
  const watchers = creating ? undefined : c.watchers(project);
  const external = c.has('external_reference') ? ((c.body['external_reference'] as unknown[] | null) ?? null) : undefined;
  return (d) => {
    if (subject !== undefined) d.subject = subject;
    if (description !== undefined) d.description = description;
    if (blockedNote !== undefined) d.blocked_note = blockedNote;
    if (isBlocked !== undefined) d.is_blocked = isBlocked;
    if (assigned !== undefined) d.assigned_to = assigned;
    if (tags !== undefined) d.tags = applyTags(projectOf(ctx, d), tags);
    if (watchers !== undefined) d.watchers = watchers;
    if (external !== undefined) d.external_reference = external;
  };
}

function preconditions<T extends Item>(ctx: Ctx, hooks: WriteHooks<T>, draft: T): void {
  const project = projectOf(ctx, draft);
  if (hooks.blockedFirst) requireNotBlocked(project);
  hooks.check(ctx, draft);
  if (!hooks.blockedFirst) requireNotBlocked(project);
}

export function createItem<T extends Item>(ctx: Ctx, hooks: WriteHooks<T>): T {
  if (Array.isArray(ctx.body())) throw fieldErrors({ non_field_errors: ['Invalid data'] });
  const body = bodyObject(ctx);
  const c = new Checker(ctx, body);
  const project = c.project(true);
  c.requiredText('subject');
  const apply = hooks.read(ctx, c, project, true);
  c.done();
  if (!can(ctx, project!, hooks.spec.perms.add)) denied(ctx);
  const draft = hooks.blank(ctx, project!);
  apply(draft);
  preconditions(ctx, hooks, draft);
  draft.id = ctx.state.nextId(hooks.spec.kind);
  draft.ref = ctx.state.nextRef(project!.id);
  hooks.spec.items(ctx.state).set(draft.id, draft);
  commitCreate(ctx, hooks.spec.kind, draft as never, body);
  notifyItemWrite(ctx, hooks.spec.kind, draft, body);
  return draft;
}

/** A move to another project: taiga-back rewrites the body's ids before validating it. */
function prepareMove<T extends Item>(ctx: Ctx, hooks: WriteHooks<T>, item: T, body: Record<string, unknown>): Project | undefined {
  const target = ctx.state.projects.get(Number(body['project']));
  if (body['project'] === undefined || !target || target.id === item.project) return undefined;
  if (!can(ctx, projectOf(ctx, item), hooks.spec.perms.delete) || !can(ctx, target, hooks.spec.perms.add)) denied(ctx);
  for (const [field, inProject] of hooks.dropOnMove) {
    if (body[field] !== undefined && body[field] !== null && !inProject(ctx, Number(body[field]), target.id)) body[field] = null;
  }
  for (const [field, kind, by] of hooks.remap) {
    if (body[field] === undefined || body[field] === null) continue;
    const old = ctx.state.choice(kind, Number(body[field]));
    const targets = ctx.state.choicesOf(kind, target.id);
    const match = old?.project === item.project ? targets.find((t) => t[by] === old[by]) : undefined;
    body[field] = (match ?? ctx.state.choice(kind, target.defaults[kind]!))?.id ?? body[field];
  }
  return target;
}

export function updateItem<T extends Item>(ctx: Ctx, hooks: WriteHooks<T>, reset: (draft: T, project: Project) => void): T {
  const item = writableItem(ctx, hooks.spec);
  const body = bodyObject(ctx);
  const project = projectOf(ctx, item);
  if (!can(ctx, project, isCommentOnly(body) ? hooks.spec.perms.comment : hooks.spec.perms.modify)) denied(ctx);
  const target = prepareMove(ctx, hooks, item, body);
  const c = new Checker(ctx, body);
  const sent = c.project(ctx.method === 'PUT');
  if (ctx.method === 'PUT') c.requiredText('subject');
  c.version();
  const apply = hooks.read(ctx, c, sent ?? project, false);
  c.done();
  const conflict = occError(ctx.state, hooks.spec.kind, item, body);
  if (conflict) throw rawError(400, conflict);
  const draft = structuredClone(item);
  if (ctx.method === 'PUT') reset(draft, project);
  if (target) {
    draft.project = target.id;
    draft.ref = ctx.state.nextRef(target.id);
  }
  apply(draft);
  preconditions(ctx, hooks, draft);
  const before = beforeWrite(item);
  Object.assign(item, draft);
  commitUpdate(ctx, hooks.spec.kind, item as never, body);
  notifyItemWrite(ctx, hooks.spec.kind, item, body, before);
  return item;
}

export function deleteItem<T extends Item>(ctx: Ctx, spec: KindSpec<T> & { kind: 'task' | 'issue' | 'epic' }): T {
  const item = writableItem(ctx, spec);
  if (!can(ctx, projectOf(ctx, item), spec.perms.delete)) denied(ctx);
  requireNotBlocked(projectOf(ctx, item));
  recordDeletion(ctx, spec.kind, item as never);
  spec.items(ctx.state).delete(item.id);
  dropAttachments(ctx.state, spec.kind, item.id);
  ctx.state.dropCustomValues(spec.kind, item.id);
  return item;
}
