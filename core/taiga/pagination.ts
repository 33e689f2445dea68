import { TaigaMcpError } from '../errors.js';

export interface PageResult<T> {
  items: T[];
  page: number;
  pageSize: number;
  /** `x-pagination-count`; null under lazy pagination, which sends no count. */
  total: number | null;
  hasNext: boolean;
}

export interface AllResult<T> {
  items: T[];
  /** Taiga's count when it sent one, else the number of items seen (a lower bound when truncated). */
  total: number;
  /** More items existed than were returned. */
  truncated: boolean;
}

const intHeader = (value: string | undefined): number | undefined => {
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value);
};

/**
 * Reads Taiga's header-only pagination (taiga-api.md §4): the body is a bare array, and
 * `x-pagination-count`, `x-paginated-by`, `x-pagination-current`, `x-pagination-next` describe it.
 * An endpoint that is not paginated sends none of them: then the array is the whole list.
 */
export function readPage<T>(
  headers: Record<string, string>,
  body: unknown,
  requested: { page: number; pageSize: number },
  path: string,
): PageResult<T> {
  if (!Array.isArray(body)) {
    throw new TaigaMcpError('INTERNAL', { message: `Taiga did not answer ${path} with a list; it is not a list endpoint.` });
  }
  const items = body as T[];
  if (headers['x-paginated'] === undefined) {
    return { items, page: 1, pageSize: items.length, total: items.length, hasNext: false };
  }
  return {
    items,
    page: intHeader(headers['x-pagination-current']) ?? requested.page,
    // Taiga caps page_size at 1000 and ignores bad values: report what it really used.
    pageSize: intHeader(headers['x-paginated-by']) ?? requested.pageSize,
    total: intHeader(headers['x-pagination-count']) ?? null,
    hasNext: headers['x-pagination-next'] !== undefined,
  };
}

export const ALL_PAGE_SIZE = 100;
export const DEFAULT_CAP = 1000;

/**
 * Follows pages until the list ends or `cap` items are in hand. Never truncates silently:
 * `truncated` is true whenever Taiga had more than was returned.
 */
export async function collectAll<T>(
  fetchPage: (page: number, pageSize: number) => Promise<PageResult<T>>,
  cap: number = DEFAULT_CAP,
): Promise<AllResult<T>> {
  if (!Number.isInteger(cap) || cap < 1) {
    throw new TaigaMcpError('INTERNAL', { message: 'getAll needs a positive integer cap.' });
  }
  const pageSize = Math.min(ALL_PAGE_SIZE, cap);
  const items: T[] = [];
  let total: number | null = null;
  let hasNext = true;

  // The page bound stops a server that keeps announcing a next page from looping us forever.
  for (let page = 1; hasNext && items.length < cap && page <= Math.ceil(cap / pageSize) + 1; page += 1) {
    const result = await fetchPage(page, pageSize);
    items.push(...result.items);
    total = result.total ?? total;
    hasNext = result.hasNext && result.items.length > 0;
  }

  const truncated = items.length > cap || hasNext;
  const kept = items.length > cap ? items.slice(0, cap) : items;
  return { items: kept, total: total ?? (truncated ? kept.length : items.length), truncated };
}
