// Optimistic concurrency (§7) and the bookkeeping of a successful write,
// shared by every versioned kind.
import type { Ctx } from './context.js';
import { recordHistory, type Versioned } from './freeze.js';
import type { State } from './state.js';

type Kinds = Versioned;

/**
 * The OCC error for `body`, or null when the write may proceed. A stale
 * version only conflicts when the fields changed by the last
 * (current − sent) history entries overlap the request's keys; entries
 * written by bulk moves count although they did not bump the version.
 */
export function occError(state: State, kind: keyof Kinds, item: { id: number; version: number }, body: Record<string, unknown>): unknown {
  const invalid = versionError(item, body);
  if (invalid) return invalid;
  const v = Number(body['version']);
  if (v < item.version) {
    const changed = state.history.changedKeys(kind, item.id, item.version - v);
    if (Object.keys(body).some((k) => k !== 'version' && changed.has(k))) {
      return { version: "The version doesn't match with the current one" };
    }
  }
  return null;
}

/**
 * The checks every versioned write makes: `version` present, a whole number,
 * between 0 and the current one. Custom attribute values stop here: their
 * history lives on the parent, so a stale version never conflicts (§7).
 */
export function versionError(item: { version: number }, body: Record<string, unknown>): unknown {
  if (!('version' in body)) return { version: 'The version parameter is not valid' };
  const raw = body['version'];
  if (raw === null) return { version: ['This field cannot be null.'] };
  const v = typeof raw === 'number' ? raw : /^-?\d+$/.test(String(raw).trim()) ? Number(raw) : NaN;
  if (!Number.isInteger(v)) return { version: ['Enter a whole number.'] };
  if (v < 0 || v > item.version) return { version: 'The version parameter is not valid' };
  return null;
}

export function commentOf(body: Record<string, unknown>): string {
  const c = body['comment'];
  return c === undefined || c === null ? '' : String(c);
}

/** Only `comment` (and `version`) in the body: the comment_* permission is enough (§6). */
export function isCommentOnly(body: Record<string, unknown>): boolean {
  const keys = Object.keys(body).filter((k) => k !== 'version');
  return keys.length === 1 && keys[0] === 'comment';
}

/** Commenting makes the author a watcher (analize_object_for_watchers). */
function watchIfCommented(ctx: Ctx, item: { watchers: number[] }, comment: string): void {
  if (comment && ctx.user && !item.watchers.includes(ctx.user.id)) item.watchers = [...item.watchers, ctx.user.id];
}

/** After a successful PUT/PATCH: version + 1 (even when nothing changed), modified_date, history. */
export function commitUpdate<K extends keyof Kinds>(ctx: Ctx, kind: K, item: Kinds[K], body: Record<string, unknown>): void {
  const comment = commentOf(body);
  watchIfCommented(ctx, item, comment);
  item.version += 1;
  item.modified_date = new Date().toISOString();
  recordHistory(ctx.state, kind, item, { user: ctx.user?.id ?? null, comment });
}

/** After a create: the creation entry, carrying the comment if one was sent. */
export function commitCreate<K extends keyof Kinds>(ctx: Ctx, kind: K, item: Kinds[K], body: Record<string, unknown>): void {
  const comment = commentOf(body);
  watchIfCommented(ctx, item, comment);
  recordHistory(ctx.state, kind, item, { user: ctx.user?.id ?? null, comment, type: 'create' });
}

/** Bulk moves and other indirect changes: a history entry but no version bump (§7). */
export function recordIndirect<K extends keyof Kinds>(ctx: Ctx, kind: K, item: Kinds[K]): void {
  recordHistory(ctx.state, kind, item, { user: ctx.user?.id ?? null });
}

export function recordDeletion<K extends keyof Kinds>(ctx: Ctx, kind: K, item: Kinds[K]): void {
  recordHistory(ctx.state, kind, item, { user: ctx.user?.id ?? null, type: 'delete' });
}
