// /history/{kind}/{id} (§9.14): the change entries of an object, newest first,
// and the comment actions with their odd error bodies (README #7).
import { bodyObject, type Ctx, type RouteTable } from '../context.js';
import { emptyOk, notFound, ok, rawError, type Reply } from '../http.js';
import type { HistoryEntry, HistoryKind } from '../history.js';
import { paginate } from '../pagination.js';
import { can, denied, isProjectAdmin, requireNotBlocked } from '../permissions.js';
import { commentVersionsOut, historyEntryOut } from '../serializers/history.js';
import type { Project } from '../types.js';
import { parseId } from './lookup.js';

const KINDS: HistoryKind[] = ['epic', 'userstory', 'task', 'issue', 'wiki'];

/** get_object: 404 "" for an unknown id; then view_project, 401 anonymous / 403 otherwise. */
function lookup(ctx: Ctx, kind: HistoryKind): { id: number; project: Project } {
  const id = parseId(ctx);
  const obj = ctx.state.objectOf(kind, id);
  if (!obj) throw notFound('');
  const project = ctx.state.projects.get(obj.project)!;
  if (!can(ctx, project, 'view_project')) denied(ctx);
  return { id, project };
}

const EMPTY_404: Reply = { status: 404 };

function list(kind: HistoryKind) {
  return (ctx: Ctx): Reply => {
    const { id, project } = lookup(ctx, kind);
    let entries = ctx.state.history.of(kind, id).filter((e) => e.type === 'change' && !e.is_hidden);
    if (ctx.query['type'] === 'comment') entries = entries.filter((e) => e.comment);
    if (ctx.query['type'] === 'activity') entries = entries.filter((e) => !e.comment);
    const newest = [...entries].sort((a, b) => b.created_at.localeCompare(a.created_at));
    return paginate(ctx, newest.map((e) => historyEntryOut(ctx.state, kind, id, project.id, e)));
  };
}

type Rule = 'owner' | 'deleter';

/** A comment action: the entry by ?id= (an empty 404 when unknown), then its owner (or deleter) or a project admin. */
function commentAction(kind: HistoryKind, rule: Rule, act: (ctx: Ctx, entry: HistoryEntry, project: Project) => Reply | null) {
  return (ctx: Ctx): Reply => {
    const { id, project } = lookup(ctx, kind);
    const entry = ctx.state.history.find(kind, id, ctx.query['id']);
    if (!entry) return EMPTY_404;
    const userId = ctx.user?.id;
    const allowed = userId !== undefined && (isProjectAdmin(ctx, project) || (rule === 'owner' ? entry.user : entry.delete_comment_user) === userId);
    if (!allowed) denied(ctx);
    requireNotBlocked(project);
    const reply = act(ctx, entry, project);
    if (reply) return reply;
    ctx.state.history.saved(kind, id, entry);
    return emptyOk();
  };
}

const fail = (error: string) => rawError(400, { error }).reply;

function routesOf(kind: HistoryKind): RouteTable {
  const base = `/history/${kind}`;
  return [
    // The list route exists only to answer an empty 404 (taiga-back's HistoryViewSet.list).
    [base, { GET: () => EMPTY_404 }],
    [`${base}/:id`, { GET: list(kind) }],
    [`${base}/:id/comment_versions`, {
      GET: commentAction(kind, 'owner', (ctx, entry, project) => ok(commentVersionsOut(ctx.state, project.id, entry))),
    }],
    [`${base}/:id/edit_comment`, {
      POST: commentAction(kind, 'owner', (ctx, entry) => {
        const comment = bodyObject(ctx)['comment'];
        if (comment === undefined || comment === null) return fail('comment is required');
        if (entry.delete_comment_date) return fail("deleted comments can't be edited");
        // Every version is dated with the entry's creation, whoever edited it (taiga-back does so).
        entry.comment_versions.push({ date: entry.created_at, user: ctx.user!.id, comment: entry.comment });
        entry.comment = String(comment);
        entry.edit_comment_date = new Date().toISOString();
        return null;
      }),
    }],
    [`${base}/:id/delete_comment`, {
      POST: commentAction(kind, 'owner', (ctx, entry) => {
        if (entry.delete_comment_date) return fail('Comment already deleted');
        entry.delete_comment_date = new Date().toISOString();
        entry.delete_comment_user = ctx.user!.id;
        return null;
      }),
    }],
    [`${base}/:id/undelete_comment`, {
      POST: commentAction(kind, 'deleter', (_ctx, entry) => {
        if (!entry.delete_comment_date) return fail('Comment not deleted');
        entry.delete_comment_date = null;
        entry.delete_comment_user = null;
        return null;
      }),
    }],
  ];
}

export const historyRoutes: RouteTable = KINDS.flatMap(routesOf);
