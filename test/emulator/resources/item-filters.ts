// The list filters and ordering of §8 shared by epics, stories, tasks and
// issues, with taiga-back's error messages.
import type { Ctx } from '../context.js';
import { badRequest } from '../http.js';
import type { WorkItem } from '../types.js';

export type Pred<T> = (item: T) => boolean;

/** "1,2,null" → ids and whether null was asked; a non-integer is "Wrong arguments." */
export function idList(raw: string): { ids: Set<number>; withNull: boolean } {
  const ids = new Set<number>();
  let withNull = false;
  for (const part of raw.split(',')) {
    if (part === 'null') withNull = true;
    else if (/^\d+$/.test(part)) ids.add(Number(part));
    else throw badRequest('Wrong arguments.');
  }
  return { ids, withNull };
}

export function bool(raw: string): boolean {
  return raw === 'true' || raw === 'True' || raw === '1';
}

/** A multi-id filter and its `exclude_` twin (BaseRelatedFieldsFilter). */
export function multi<T>(ctx: Ctx, name: string, values: (item: T) => (number | null)[]): Pred<T>[] {
  const preds: Pred<T>[] = [];
  for (const [param, negate] of [[name, false], [`exclude_${name}`, true]] as const) {
    const raw = ctx.query[param];
    if (raw === undefined) continue;
    const { ids, withNull } = idList(raw);
    const hit = (item: T) => {
      const v = values(item);
      return v.some((x) => (x === null ? withNull : ids.has(x))) || (withNull && v.length === 0);
    };
    preds.push(negate ? (item) => !hit(item) : hit);
  }
  return preds;
}

/**
 * A `filter_fields` exact match on an id field: `null` means "is null"; the
 * whole string must be an integer, so "1,2" is "Error in filter params types."
 */
export function exactId<T>(ctx: Ctx, name: string, get: (item: T) => number | null): Pred<T>[] {
  const raw = ctx.query[name];
  if (raw === undefined) return [];
  if (raw !== 'null' && !/^\d+$/.test(raw)) throw badRequest('Error in filter params types.');
  return [(item) => (raw === 'null' ? get(item) === null : get(item) === Number(raw))];
}

export function exactBool<T>(ctx: Ctx, name: string, get: (item: T) => boolean): Pred<T>[] {
  const raw = ctx.query[name];
  return raw === undefined ? [] : [(item) => get(item) === bool(raw)];
}

/** A dateutil-parsed value; Django reads a naive one in UTC (taiga-back's TIME_ZONE). */
function instant(raw: string): number {
  const text = raw.trim();
  const naive = !/(Z|[+-]\d{2}:?\d{2})$/i.test(text);
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : naive ? `${text}Z` : text);
  // dateutil's ParserError is not caught by taiga-back: a 500, which no exchange records.
  if (Number.isNaN(ms)) throw new Error(`unparsable date filter ${raw}`);
  return ms;
}

const COMPARE: Record<string, (a: number, b: number) => boolean> = {
  '': (a, b) => a === b, lt: (a, b) => a < b, gt: (a, b) => a > b, lte: (a, b) => a <= b, gte: (a, b) => a >= b,
};

/** `<base>`, `<base>__lt|gt|lte|gte` (BaseDateFilter); an item without the date never matches. */
export function dateFilters<T>(ctx: Ctx, base: string, get: (item: T) => string | null): Pred<T>[] {
  const preds: Pred<T>[] = [];
  for (const [op, compare] of Object.entries(COMPARE)) {
    const raw = ctx.query[op ? `${base}__${op}` : base];
    if (raw === undefined) continue;
    const bound = instant(raw);
    preds.push((item) => {
      const value = get(item);
      return value !== null && compare(Date.parse(value), bound);
    });
  }
  return preds;
}

/** project, project__slug, tags/exclude_tags (ORed), watchers, the full-text `q` and the created/modified dates. */
export function commonFilters<T extends WorkItem>(ctx: Ctx): Pred<T>[] {
  const { query: q, state } = ctx;
  const preds: Pred<T>[] = [];
  if (q['project'] !== undefined) {
    if (!/^\d+$/.test(q['project'])) throw badRequest("'project' must be an integer value.");
    preds.push((item) => item.project === Number(q['project']));
  }
  if (q['project__slug'] !== undefined) preds.push((item) => state.projects.get(item.project)?.slug === q['project__slug']);
  for (const [param, negate] of [['tags', false], ['exclude_tags', true]] as const) {
    const raw = q[param];
    if (raw === undefined) continue;
    const tags = raw.split(',');
    preds.push((item) => item.tags.some((t) => tags.includes(t)) !== negate);
  }
  if (q['watchers'] !== undefined) {
    const { ids } = idList(q['watchers']);
    preds.push((item) => item.watchers.some((w) => ids.has(w)));
  }
  preds.push(...dateFilters<T>(ctx, 'created_date', (item) => item.created_date), ...dateFilters<T>(ctx, 'modified_date', (item) => item.modified_date));
  if (q['q']) {
    // Postgres prefix matching over subject, description, ref and tags.
    const words = q['q'].toLowerCase().split(/\s+/).filter(Boolean);
    preds.push((item) => {
      const haystack = [item.subject, item.description, String(item.ref), ...item.tags].join(' ').toLowerCase().split(/[^a-z0-9]+/);
      return words.every((w) => haystack.some((h) => h.startsWith(w)));
    });
  }
  return preds;
}

/** The role of the members a filter looks at (assigned users), by project. */
export function rolesOf(ctx: Ctx, projectId: number, userIds: number[]): number[] {
  return userIds.map((u) => ctx.state.membership(projectId, u)?.role ?? null).filter((r): r is number => r !== null);
}

/** A user's full name, as `order_by=owner|assigned_to` sorts. */
export function fullNameOf(ctx: Ctx, userId: number | null): string {
  return userId === null ? '' : (ctx.state.users.get(userId)?.full_name ?? '');
}

/**
 * `order_by=<field>` or `-<field>` among `fields` (others are ignored, and
 * the default order applies), with -id as the tiebreak.
 */
export function ordering<T extends { id: number }>(
  ctx: Ctx, fields: Record<string, (item: T) => string | number | null>, fallback: (a: T, b: T) => number,
): (a: T, b: T) => number {
  const raw = ctx.query['order_by'] ?? '';
  const desc = raw.startsWith('-');
  const get = fields[raw.replace(/^-/, '')];
  if (!get) return fallback;
  return (a, b) => {
    const x = get(a) ?? '';
    const y = get(b) ?? '';
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return (desc ? -c : c) || b.id - a.id;
  };
}
