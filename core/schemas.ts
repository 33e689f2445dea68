import * as v from 'valibot';

/**
 * Building blocks for tool schemas, shared so that every tool says the same thing the same way.
 * Every string and array has a bound the server enforces; bounds are not advertised in tools/list
 * (see tool-schemas.ts `advertise`), and conventions are said once in the server's instructions,
 * so that a property carries a description only where its name does not say it.
 */
export const Id = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(2_147_483_647));

export const Text = (max: number) => v.pipe(v.string(), v.maxLength(max));
const IdString = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200));

/** An id, or a name, slug or "#ref" that the tool resolves. */
export const IdOrName = v.union([Id, IdString]);
/** The same, or null to clear. */
export const NullableIdOrName = v.union([Id, IdString, v.null()]);

export const ProjectRef = IdOrName;
export const UserRef = IdOrName;
export const NullableUserRef = NullableIdOrName;

export const Subject = v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(500));
export const Description = v.pipe(v.string(), v.maxLength(100_000));
export const Comment = v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(20_000));
export const Tag = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100));
export const Tags = v.pipe(v.array(Tag), v.maxLength(50));
export const Version = Id;
export const DateString = v.pipe(v.string(), v.maxLength(10), v.isoDate('expected a date YYYY-MM-DD'));
export const Email = v.pipe(v.string(), v.maxLength(254), v.rfcEmail());
export const Flag = v.boolean();

/** `include`: detail a result leaves out unless asked for (a sprint's burndown, projects' tags). */
export const Include = <T extends string>(...names: [T, ...T[]]) => v.optional(v.pipe(v.array(v.picklist(names)), v.maxLength(names.length)));

export const Page = v.optional(v.pipe(Id, v.maxValue(100_000)), 1);
export const PageSize = v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100)), 30);

/** The paging part of every list output: never a silent truncation. An empty list has no page to name. */
export const PagingOutput = {
  page: v.optional(v.number()),
  page_size: v.optional(v.number()),
  total: v.nullable(v.number()),
  has_next: v.boolean(),
};

export interface PageCount {
  readonly page: number;
  readonly pageSize: number;
  readonly total: number | null;
  readonly hasNext: boolean;
}

/** Nothing at all matched: the whole answer of an empty list, beside its empty items. */
export const isEmptyList = (p: Pick<PageCount, 'total' | 'hasNext'>): boolean => p.total === 0 && !p.hasNext;

/** A list's paging fields; an empty list says only that it is complete (total 0, no next page). */
export const pageFields = (p: PageCount) => (isEmptyList(p) ? { total: 0, has_next: false } : { page: p.page, page_size: p.pageSize, total: p.total, has_next: p.hasNext });

/** The text of an empty list, the whole of it. */
export const EMPTY_LIST_TEXT = '(none; complete)';

/** Keeps only whitelisted keys whose value says something (not undefined, null, false, '' or []), in whitelist order. */
export function pick<T extends Record<string, unknown>>(source: T, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const value = source[k];
    if (value === undefined || value === null || value === false || value === '' || (Array.isArray(value) && value.length === 0)) continue;
    out[k] = value;
  }
  return out;
}
