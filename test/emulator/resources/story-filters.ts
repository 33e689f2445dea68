// The /userstories list filters of §8 with taiga-back's error messages.
import type { Ctx } from '../context.js';
import { badRequest } from '../http.js';
import { storyIsClosed } from '../serializers/stories.js';
import type { UserStory } from '../types.js';

type Pred = (s: UserStory) => boolean;

/** "1,2,null" → ids and whether null was asked; a non-integer is "Wrong arguments." */
function idList(raw: string): { ids: Set<number>; withNull: boolean } {
  const ids = new Set<number>();
  let withNull = false;
  for (const part of raw.split(',')) {
    if (part === 'null') withNull = true;
    else if (/^\d+$/.test(part)) ids.add(Number(part));
    else throw badRequest('Wrong arguments.');
  }
  return { ids, withNull };
}

function multi(ctx: Ctx, name: string, values: (s: UserStory) => (number | null)[]): Pred[] {
  const preds: Pred[] = [];
  for (const [param, negate] of [[name, false], [`exclude_${name}`, true]] as const) {
    const raw = ctx.query[param];
    if (raw === undefined) continue;
    const { ids, withNull } = idList(raw);
    const hit = (s: UserStory) => {
      const v = values(s);
      return v.some((x) => (x === null ? withNull : ids.has(x))) || (withNull && v.length === 0);
    };
    preds.push(negate ? (s) => !hit(s) : hit);
  }
  return preds;
}

function bool(raw: string): boolean {
  return raw === 'true' || raw === 'True' || raw === '1';
}

export function storyFilters(ctx: Ctx): Pred[] {
  const { query: q, state } = ctx;
  const preds: Pred[] = [];
  if (q['project'] !== undefined) {
    if (!/^\d+$/.test(q['project'])) throw badRequest("'project' must be an integer value.");
    preds.push((s) => s.project === Number(q['project']));
  }
  if (q['project__slug'] !== undefined) preds.push((s) => state.projects.get(s.project)?.slug === q['project__slug']);
  if (q['milestone'] !== undefined) {
    const m = q['milestone'];
    if (m !== 'null' && !/^\d+$/.test(m)) throw badRequest('Error in filter params types.');
    preds.push((s) => (m === 'null' ? s.milestone === null : s.milestone === Number(m)));
  }
  if (q['milestone__isnull'] !== undefined) preds.push((s) => (s.milestone === null) === bool(q['milestone__isnull']!));
  if (q['is_closed'] !== undefined) preds.push((s) => storyIsClosed(state, s) === bool(q['is_closed']!));
  if (q['status__is_closed'] !== undefined) {
    preds.push((s) => (state.choice('us_status', s.status)?.is_closed ?? false) === bool(q['status__is_closed']!));
  }
  if (q['status__is_archived'] !== undefined) {
    preds.push((s) => (state.choice('us_status', s.status)?.is_archived ?? false) === bool(q['status__is_archived']!));
  }
  preds.push(...multi(ctx, 'status', (s) => [s.status]));
  preds.push(...multi(ctx, 'assigned_to', (s) => [s.assigned_to]));
  preds.push(...multi(ctx, 'assigned_users', (s) => [...new Set([...s.assigned_users, ...(s.assigned_to ? [s.assigned_to] : [])])]));
  preds.push(...multi(ctx, 'owner', (s) => [s.owner]));
  preds.push(...multi(ctx, 'epic', (s) => s.epics));
  // The swimlane parameter is misspelled in taiga-back (README #15); `?swimlane=` is ignored.
  for (const [param, negate] of [['swimnlane', false], ['exclude_swimlane', true]] as const) {
    if (q[param] === undefined) continue;
    const { ids, withNull } = idList(q[param]);
    preds.push((s) => (s.swimlane === null ? withNull : ids.has(s.swimlane)) !== negate);
  }
  preds.push(...multi(ctx, 'role', (s) => {
    const userIds = [...new Set([...s.assigned_users, ...(s.assigned_to ? [s.assigned_to] : [])])];
    return userIds.map((u) => state.membership(s.project, u)?.role ?? null).filter((r): r is number => r !== null);
  }));
  for (const [param, negate] of [['tags', false], ['exclude_tags', true]] as const) {
    const raw = q[param];
    if (raw === undefined) continue;
    const tags = raw.split(',');
    preds.push((s) => s.tags.some((t) => tags.includes(t)) !== negate);
  }
  if (q['watchers'] !== undefined) {
    const { ids } = idList(q['watchers']);
    preds.push((s) => s.watchers.some((w) => ids.has(w)));
  }
  if (q['q']) {
    const words = q['q'].toLowerCase().split(/\s+/).filter(Boolean);
    preds.push((s) => {
      const haystack = [s.subject, s.description, String(s.ref), ...s.tags].join(' ').toLowerCase().split(/[^a-z0-9]+/);
      return words.every((w) => haystack.some((h) => h.startsWith(w)));
    });
  }
  return preds;
}

const ORDER_FIELDS = new Set([
  'backlog_order', 'sprint_order', 'kanban_order', 'project', 'milestone', 'status', 'created_date', 'modified_date', 'subject',
]);

export function storyComparator(ctx: Ctx): (a: UserStory, b: UserStory) => number {
  const raw = ctx.query['order_by'] ?? '';
  const desc = raw.startsWith('-');
  const field = raw.replace(/^-/, '');
  const base = (a: UserStory, b: UserStory) => a.project - b.project || a.backlog_order - b.backlog_order || a.ref - b.ref;
  if (!ORDER_FIELDS.has(field)) return base;
  return (a, b) => {
    const x = (a as unknown as Record<string, unknown>)[field] ?? '';
    const y = (b as unknown as Record<string, unknown>)[field] ?? '';
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return (desc ? -c : c) || b.id - a.id;
  };
}
