// /history entries (§9.14): the entry with its user, `key`, the diff, the
// frozen `values` and the `values_diff` read from both, and comment versions.
import { CONTENT_TYPES, type HistoryEntry, type HistoryKind } from '../history.js';
import { renderMarkdown } from '../markdown.js';
import type { State } from '../state.js';
import { userPublic } from './users.js';

const IGNORED = new Set(['watchers', 'description_diff', 'content_diff', 'blocked_note_diff']);
const TEXTS = new Set(['description', 'content', 'blocked_note']);
const USER_KEYS = new Set(['owner', 'assigned_to']);

const del = (s: string) => `<del style="background:#ffe6e6;">${s}</del>`;
const ins = (s: string) => `<ins style="background:#e6ffe6;">${s}</ins>`;
/** A whole-value diff in the markup of taiga-back's get_diff_of_htmls (which diffs character runs). */
export function htmlDiff(before: unknown, after: unknown): string {
  const a = before === null || before === undefined ? '' : String(before);
  const b = after === null || after === undefined ? '' : String(after);
  if (a === b) return a;
  return (a ? del(a) : '') + (b ? ins(b) : '');
}

type Attr = { id: number; name: string; type?: string; value?: unknown } & Record<string, unknown>;

/** attachments / custom_attributes: {new, changed, deleted}, or null when nothing moved. */
function listDiff(key: string, before: unknown, after: unknown) {
  const old = new Map(((before ?? []) as Attr[]).map((x) => [x.id, x]));
  const now = new Map(((after ?? []) as Attr[]).map((x) => [x.id, x]));
  const out = { new: [] as unknown[], changed: [] as unknown[], deleted: [] as unknown[] };
  for (const id of new Set([...old.keys(), ...now.keys()])) {
    const o = old.get(id);
    const n = now.get(id);
    if (o && n) {
      const changes = Object.fromEntries(
        Object.keys({ ...o, ...n })
          .filter((k) => !['name', 'filename', 'url', 'thumb_url'].includes(k) && JSON.stringify(o[k]) !== JSON.stringify(n[k]))
          .map((k) => [k, [o[k] ?? null, n[k] ?? null]]),
      );
      if (!Object.keys(changes).length) continue;
      out.changed.push(key === 'custom_attributes'
        ? { name: n.name, type: n.type, changes, value_diff: htmlDiff(o.value, n.value) }
        : { filename: n['filename'], url: n['url'], thumb_url: n['thumb_url'], changes });
    } else if (o) out.deleted.push(o);
    else if (n) out.new.push(key === 'custom_attributes' ? { ...n, value_diff: htmlDiff(null, n.value) } : n);
  }
  return out.new.length || out.changed.length || out.deleted.length ? out : null;
}

export function valuesDiff(entry: HistoryEntry): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  const name = (field: string, id: unknown) => (id === null || id === undefined ? null : (entry.values[field]?.[String(id)] ?? null));
  for (const [key, [before, after]] of Object.entries(entry.diff)) {
    if (IGNORED.has(key)) continue;
    let out: [string, unknown] = [key, entry.diff[key]];
    if (TEXTS.has(key)) out = [`${key}_diff`, [null, htmlDiff(before, after)]];
    else if (USER_KEYS.has(key)) out = [key, [name('users', before), name('users', after)]];
    else if (key === 'attachments' || key === 'custom_attributes') out = [key, listDiff(key, before, after)];
    else if (key === 'points') {
      const o = (before ?? {}) as Record<string, number>;
      const changed = Object.entries((after ?? {}) as Record<string, number>)
        .map(([role, pts]) => [name('roles', role), [name('points', o[role]), name('points', pts)]] as const)
        .filter(([, [a, b]]) => a !== b);
      out = [key, changed.length ? Object.fromEntries(changed) : null];
    } else if (key !== 'users' && key in entry.values) out = [key, [name(key, before), name(key, after)]];
    if (out[1]) result[out[0]] = out[1];
  }
  return result;
}

export function entryUser(state: State, userId: number | null) {
  const u = userId === null ? undefined : state.users.get(userId);
  return u ? { pk: u.id, username: u.username, name: u.full_name, photo: null, is_active: u.is_active, gravatar_id: u.gravatar_id } : null;
}

export function commentHtml(state: State, projectId: number, comment: string): string {
  return comment ? renderMarkdown(comment, state.projects.get(projectId)?.slug) : '';
}

export function historyEntryOut(state: State, kind: HistoryKind, objectId: number, projectId: number, e: HistoryEntry) {
  const deleter = e.delete_comment_user === null ? undefined : state.users.get(e.delete_comment_user);
  return {
    id: e.id, user: entryUser(state, e.user), created_at: e.created_at, type: { change: 1, create: 2, delete: 3 }[e.type],
    key: `${CONTENT_TYPES[kind]}:${objectId}`, diff: e.diff, snapshot: e.snapshot, values: e.values, values_diff: valuesDiff(e),
    comment: e.comment, comment_html: commentHtml(state, projectId, e.comment), delete_comment_date: e.delete_comment_date,
    delete_comment_user: deleter ? { pk: deleter.id, name: deleter.full_name } : null, edit_comment_date: e.edit_comment_date,
    is_hidden: e.is_hidden, is_snapshot: false,
  };
}

export function commentVersionsOut(state: State, projectId: number, e: HistoryEntry) {
  return e.comment_versions.map((v) => {
    const user = v.user === null ? undefined : state.users.get(v.user);
    return { date: v.date, user: user ? userPublic(state, user) : null, comment: v.comment, comment_html: commentHtml(state, projectId, v.comment) };
  });
}
