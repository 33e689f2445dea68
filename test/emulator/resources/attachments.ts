// /{epics|userstories|tasks|issues|wiki}/attachments (§9.13): multipart
// uploads kept in the bounded store, their media URLs, PATCH, DELETE. Detail
// routes find an attachment by id whatever its kind (README #19). Each change
// also snapshots the parent object, as taiga-back's get_object_for_snapshot does.
import { createHash } from 'node:crypto';
import { bodyObject, type Ctx, type RouteTable } from '../context.js';
import { fieldErrors, noContent, notFoundModel, notSupported, ok, wrongArguments, type Reply } from '../http.js';
import { attachmentPath } from '../attachment-store.js';
import { recordIndirect } from '../occ.js';
import { UploadedFile } from '../multipart.js';
import { paginate } from '../pagination.js';
import { can, denied, missingForWrite, requireNotBlocked } from '../permissions.js';
import { attachmentOut } from '../serializers/attachments.js';
import type { State } from '../state.js';
import type { AttachableKind, Attachment } from '../types.js';
import { Checker } from './item-input.js';
import { parseId } from './lookup.js';
import { toBool } from './story-input.js';

interface Spec { view: string; modify: string; comment: string }
const SPECS: Record<AttachableKind, Spec> = {
  epic: { view: 'view_epics', modify: 'modify_epic', comment: 'comment_epic' },
  userstory: { view: 'view_us', modify: 'modify_us', comment: 'comment_us' },
  task: { view: 'view_tasks', modify: 'modify_task', comment: 'comment_task' },
  issue: { view: 'view_issues', modify: 'modify_issue', comment: 'comment_issue' },
  wiki: { view: 'view_wiki_pages', modify: 'modify_wiki_page', comment: 'comment_wiki_page' },
};
const PREFIXES: Record<AttachableKind, string> = { epic: '/epics', userstory: '/userstories', task: '/tasks', issue: '/issues', wiki: '/wiki' };

/** The parent's history entry for a changed attachment list (no version bump). */
function snapshotParent(ctx: Ctx, a: Attachment): void {
  const parent = ctx.state.objectOf(a.kind, a.object_id);
  if (parent) recordIndirect(ctx, a.kind, parent as never);
}

/** Deleting an object deletes its attachments and frees their bytes. */
export function dropAttachments(state: State, kind: AttachableKind, objectId: number): void {
  for (const a of state.attachmentsOf(kind, objectId)) {
    state.files.delete(a.path);
    state.attachments.delete(a.id);
  }
}

const canView = (ctx: Ctx, a: Attachment) => can(ctx, ctx.state.projects.get(a.project)!, SPECS[a.kind].view);

function list(kind: AttachableKind) {
  return (ctx: Ctx): Reply => {
    const { project, object_id: objectId } = ctx.query;
    const items = [...ctx.state.attachments.values()]
      .filter((a) => a.kind === kind && canView(ctx, a))
      .filter((a) => (project === undefined || String(a.project) === project) && (objectId === undefined || String(a.object_id) === objectId))
      .sort((a, b) => a.project - b.project || a.created_date.localeCompare(b.created_date) || a.id - b.id);
    return paginate(ctx, items.map((a) => attachmentOut(ctx, a)));
  };
}

function retrieve(ctx: Ctx): Reply {
  const a = ctx.state.attachments.get(parseId(ctx));
  if (!a) throw notFoundModel('Attachment');
  if (!canView(ctx, a)) denied(ctx);
  return ok(attachmentOut(ctx, a));
}

function create(kind: AttachableKind) {
  return (ctx: Ctx): Reply => {
    const body = bodyObject(ctx);
    const c = new Checker(ctx, body);
    const file = body['attached_file'];
    if (!(file instanceof UploadedFile)) c.fail('attached_file', 'This field is required.');
    const project = c.project(true);
    const objectId = c.int('object_id');
    c.done();
    const upload = file as UploadedFile;
    const fromComment = body['from_comment'] !== undefined && toBool(body['from_comment']);
    const spec = SPECS[kind];
    if (!can(ctx, project!, spec.modify) && !(fromComment && can(ctx, project!, spec.comment))) denied(ctx);
    const parent = ctx.state.objectOf(kind, objectId!);
    if (!parent) throw wrongArguments("Object id issue doesn't exist"); // sic, whatever the kind
    if (parent.project !== project!.id) throw wrongArguments('Project ID does not match between object and project');
    requireNotBlocked(project!);
    const id = ctx.state.nextId('attachment');
    const path = attachmentPath(id, upload.filename);
    if (!ctx.state.files.put(path, upload.bytes, upload.contentType)) {
      throw fieldErrors({ attached_file: [`The emulator keeps at most ${ctx.state.files.maxBytes} bytes of attachments; delete some first.`] });
    }
    const now = new Date().toISOString();
    const a: Attachment = {
      id, kind, project: project!.id, object_id: objectId!, owner: ctx.user!.id, name: upload.filename, size: upload.bytes.length,
      description: typeof body['description'] === 'string' ? body['description'] : '',
      is_deprecated: body['is_deprecated'] !== undefined && toBool(body['is_deprecated']), from_comment: fromComment,
      created_date: now, modified_date: now, order: 0, sha1: createHash('sha1').update(upload.bytes).digest('hex'), path,
      content_type: upload.contentType,
    };
    ctx.state.attachments.set(id, a);
    snapshotParent(ctx, a);
    const out = attachmentOut(ctx, a);
    return ok(out, 201, { Location: out.url });
  };
}

function writable(ctx: Ctx): Attachment {
  const a = ctx.state.attachments.get(parseId(ctx));
  if (!a || !canView(ctx, a)) missingForWrite(ctx);
  const project = ctx.state.projects.get(a.project)!;
  if (!can(ctx, project, SPECS[a.kind].modify)) denied(ctx);
  requireNotBlocked(project);
  return a;
}

function update(ctx: Ctx): Reply {
  if (ctx.method === 'PUT') throw notSupported('Partial updates are not supported'); // sic (README #19)
  const a = writable(ctx);
  const body = bodyObject(ctx);
  const c = new Checker(ctx, body);
  const order = c.integer('order');
  c.done();
  if ('description' in body) a.description = String(body['description'] ?? '');
  if ('is_deprecated' in body) a.is_deprecated = toBool(body['is_deprecated']);
  if (order !== undefined) a.order = order;
  a.modified_date = new Date().toISOString();
  snapshotParent(ctx, a);
  return ok(attachmentOut(ctx, a));
}

function destroy(ctx: Ctx): Reply {
  const a = writable(ctx);
  ctx.state.files.delete(a.path);
  ctx.state.attachments.delete(a.id);
  snapshotParent(ctx, a);
  return noContent();
}

export const attachmentRoutes: RouteTable = (Object.keys(PREFIXES) as AttachableKind[]).flatMap((kind): RouteTable => [
  [`${PREFIXES[kind]}/attachments`, { GET: list(kind), POST: create(kind) }],
  [`${PREFIXES[kind]}/attachments/:id`, { GET: retrieve, PUT: update, PATCH: update, DELETE: destroy }],
]);
