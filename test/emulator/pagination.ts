// taiga-back's header-only pagination (§4).
import type { Ctx } from './context.js';
import { notFound, ok, type Reply } from './http.js';

const DEFAULT_PAGE_SIZE = 30;
const MAX_PAGE_SIZE = 1000;
const BAD_PAGE = "Page is not 'last', nor can it be converted to an int.";

export function paginate(ctx: Ctx, items: unknown[], extraHeaders: Record<string, string> = {}): Reply {
  if (ctx.headers['x-disable-pagination'] !== undefined) return ok(items, 200, extraHeaders);
  const requested = Number.parseInt(ctx.query['page_size'] ?? '', 10);
  const pageSize = Number.isFinite(requested) && requested > 0 ? Math.min(requested, MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
  const pageCount = Math.max(1, Math.ceil(items.length / pageSize));
  const rawPage = ctx.query['page'] ?? '1';
  const page = rawPage === 'last' ? pageCount : /^\d+$/.test(rawPage) ? Number(rawPage) : NaN;
  if (!Number.isInteger(page) || page < 1 || page > pageCount) throw notFound(BAD_PAGE);
  const headers: Record<string, string> = {
    'x-paginated': 'true',
    'x-paginated-by': String(pageSize),
    'x-pagination-current': String(page),
  };
  if (ctx.headers['x-lazy-pagination'] === undefined) headers['x-pagination-count'] = String(items.length);
  if (page < pageCount) headers['X-Pagination-Next'] = pageUrl(ctx, page + 1);
  if (page > 1) headers['X-Pagination-Prev'] = pageUrl(ctx, page - 1);
  return ok(items.slice((page - 1) * pageSize, page * pageSize), 200, { ...headers, ...extraHeaders });
}

/** The current URL with `page` replaced (appended last, as Django's replace_query_param does for new keys). */
function pageUrl(ctx: Ctx, page: number): string {
  const params = new URLSearchParams(ctx.url.search);
  params.delete('page');
  params.append('page', String(page));
  return `${ctx.apiUrl}${ctx.path}?${params.toString()}`;
}
