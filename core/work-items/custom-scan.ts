import { createHash } from 'node:crypto';
import * as v from 'valibot';
import { TaigaMcpError } from '../errors.js';
import { isPastLastPage } from '../taiga/error-mapping.js';
import type { ToolContext } from '../plugin/types.js';
import type { Query } from '../taiga/request-target.js';
import type { PageResult } from '../taiga/pagination.js';
import type { WorkItemKind } from './kind.js';

type Raw = Record<string, unknown>;

/** Which items a `custom` filter keeps; `key` is what it compares, for the cursor's fingerprint. */
export interface Matcher {
  readonly key: unknown;
  test(values: Raw): boolean;
}

/** A page's paging facts; the last three only on a page filtered by custom. */
export interface Paging {
  /** Left out, with page_size, on an empty list (schemas.ts pageFields). */
  page?: number;
  page_size?: number;
  total: number | null;
  has_next: boolean;
  next_page?: string;
  scanned?: { from: number; to: number; of: number | null };
  scan_limit?: number;
}

/** Taiga pages are scanned this size, so that a cursor's offset means the same item on every call. */
export const SCAN_PAGE_SIZE = 50;
/** At most this many Taiga pages per call (one values request per item on them): then the cursor goes on. */
export const SCAN_PAGES = 4;

/** `<page>.<offset>.<fingerprint>`: the page ordinal, the Taiga item where scanning stopped, and which list it belongs to. */
export const Cursor = v.pipe(v.string(), v.maxLength(40), v.regex(/^\d{1,6}\.\d{1,9}\.[0-9a-f]{8}$/, 'expected the next_page of a filtered page'));

/** Ties a cursor to its list: the kind, Taiga's query (project, filters, order) and the custom filter. */
function fingerprint(kind: WorkItemKind, query: Query, key: unknown): string {
  // Stryker disable next-line MethodExpression,ArrowFunction: the query's keys come in the filters' order whatever order the agent wrote them in; sorted so that no later change of toTaigaQuery can break a cursor
  const sorted = Object.entries(query).sort(([a], [b]) => a.localeCompare(b));
  return createHash('sha256').update(JSON.stringify([kind.plural, sorted, key])).digest('hex').slice(0, 8);
}

function start(cursor: string | undefined, print: string): { ordinal: number; offset: number } {
  if (cursor === undefined) return { ordinal: 1, offset: 0 };
  const [ordinal, offset, owner] = cursor.split('.');
  if (owner !== print) {
    throw new TaigaMcpError('INVALID_INPUT', {
      message: 'page: this next_page belongs to another list (other filters, order or project); give the filters it came with.',
      details: { fields: { page: 'a next_page of another list' } },
    });
  }
  return { ordinal: Number(ordinal), offset: Number(offset) };
}

async function taigaPage(ctx: ToolContext, kind: WorkItemKind, query: Query, page: number): Promise<PageResult<Raw>> {
  try {
    return await ctx.taiga.page<Raw>(kind.endpoint, query, { page, pageSize: SCAN_PAGE_SIZE });
  } catch (err) {
    // Taiga answers a page past the last with a 404 ("Page is not 'last'…", error-mapping.ts): the list ended (it shrank since the cursor was made).
    // Stryker disable next-line ConditionalExpression,EqualityOperator: Taiga answers page 1 of any list, an empty one too; the first clause only saves the look at the error
    if (page > 1 && isPastLastPage(err)) return { items: [], page, pageSize: SCAN_PAGE_SIZE, total: null, hasNext: false };
    throw err;
  }
}

/**
 * The matching items of one page, scanned in Taiga's order from the cursor: the scan stops when the
 * page is full, when Taiga's list ends, or after SCAN_PAGES Taiga pages. The cursor it returns is
 * the first item not yet tested, so no item is skipped or shown twice; has_next is false only
 * when Taiga's list ended. The count of matches is unknown (total null); `scanned` says which of
 * Taiga's items were tested, `scan_limit` that the bound stopped the scan.
 */
export async function scanPage(
  ctx: ToolContext, kind: WorkItemKind, query: Query, pageSize: number, matcher: Matcher, cursor: string | undefined,
  read: (raws: Raw[]) => Promise<Map<Raw, Raw>>,
): Promise<{ raws: Raw[]; values: Map<Raw, Raw>; paging: Paging }> {
  const print = fingerprint(kind, query, matcher.key);
  const { ordinal, offset: from } = start(cursor, print);
  const raws: Raw[] = [];
  const values = new Map<Raw, Raw>();
  let offset = from;
  let total: number | null = null;
  let ended = false;
  for (let pages = 0; pages < SCAN_PAGES && raws.length < pageSize && !ended; pages += 1) {
    const page = Math.floor(offset / SCAN_PAGE_SIZE) + 1;
    const result = await taigaPage(ctx, kind, query, page);
    total = result.total ?? total;
    let i = offset % SCAN_PAGE_SIZE;
    while (i < result.items.length && raws.length < pageSize) {
      // Only as many values as the page still needs (if all match, it is full at the chunk's end), a few requests at a time (valuesOf).
      const chunk = result.items.slice(i, i + pageSize - raws.length);
      const read_ = await read(chunk);
      for (const raw of chunk) {
        const found = read_.get(raw);
        if (found && matcher.test(found)) {
          raws.push(raw);
          values.set(raw, found);
        }
      }
      i += chunk.length;
    }
    // A Taiga page with a next one is full (SCAN_PAGE_SIZE items): its end is the next page's start.
    offset = (page - 1) * SCAN_PAGE_SIZE + i;
    ended = i >= result.items.length && !result.hasNext;
  }
  return {
    raws,
    values,
    paging: {
      page: ordinal, page_size: pageSize, total: null, has_next: !ended,
      ...(!ended && { next_page: `${ordinal + 1}.${offset}.${print}` }),
      scanned: { from: from + 1, to: offset, of: total },
      ...(!ended && raws.length < pageSize && { scan_limit: SCAN_PAGES * SCAN_PAGE_SIZE }),
    },
  };
}

/** The paging line of a filtered page: what matched among which of Taiga's items, and how to go on. */
export function scanText(r: { items: unknown[]; page?: number; has_next: boolean; next_page?: string | undefined; scanned: { from: number; to: number; of: number | null }; scan_limit?: number | undefined }): string {
  const { from, to, of } = r.scanned;
  const scanned = to >= from ? `items ${from}-${to} of ${of ?? '?'} scanned` : 'no item scanned';
  const limit = r.scan_limit ? `; scan limit (${r.scan_limit} items a call) reached` : '';
  return `(page ${r.page}: ${r.items.length} matching custom, ${scanned}${limit}${r.has_next ? `; next: page ${r.next_page ?? ''}` : '; last page'})`;
}
