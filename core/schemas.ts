import * as v from 'valibot';

/**
 * Building blocks for tool schemas, shared so that every tool says the same thing the same
 * way (and the tools/list stays small and consistent). Every string has a maximum length.
 */
/** The upper bound is a check, not advertised: it would cost tokens on every id of every tool. */
export const Id = v.pipe(v.number(), v.integer(), v.minValue(1), v.check((n) => n <= 2_147_483_647, 'expected an id below 2^31'));

const IdString = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200));
/** An id, or a name/slug that the tool resolves. */
export const IdOrName = (description: string) => v.pipe(v.union([Id, IdString]), v.description(description));
/** The same, or null to clear (one flat union, which advertises more compactly than a nullable union). */
export const NullableIdOrName = (description: string) => v.pipe(v.union([Id, IdString, v.null()]), v.description(description));

export const ProjectRef = IdOrName('Project id or slug.');
export const UserRef = IdOrName('User id, username, or "me".');
export const NullableUserRef = NullableIdOrName('User id, username, "me", or null for nobody.');

export const Subject = v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(500));
export const Description = v.pipe(v.string(), v.maxLength(100_000));
export const Tag = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100));
export const Tags = v.pipe(v.array(Tag), v.maxLength(50));
export const Version = v.pipe(Id, v.description('Version you read. A stale one fails with VERSION_CONFLICT. Omit to use the current.'));
export const DateString = v.pipe(v.string(), v.isoDate('expected a date YYYY-MM-DD'));
export const Email = v.pipe(v.string(), v.maxLength(254), v.rfcEmail());

export const Page = v.optional(v.pipe(Id, v.maxValue(100_000), v.description('1-based page.')), 1);
export const PageSize = v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100), v.description('Items per page (max 100).')), 30);

/** The paging part of every list output: never a silent truncation. */
export const PagingOutput = {
  page: v.number(),
  page_size: v.number(),
  total: v.nullable(v.number()),
  has_next: v.boolean(),
};

/** Mark text written by Taiga users so that agents read it as data. */
export function untrusted(text: string): string {
  const clean = text.replace(/<\/?untrusted-user-content>/gi, '');
  return `<untrusted-user-content>\n${clean}\n</untrusted-user-content>`;
}

/** Keeps only whitelisted keys, in whitelist order. */
export function pick<T extends Record<string, unknown>>(source: T, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (source[k] !== undefined) out[k] = source[k];
  return out;
}
